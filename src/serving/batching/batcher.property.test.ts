import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatcher, type BatchInfo } from './batcher.js';
import { FakeClock } from './fake-clock.js';

/**
 * Replays generated arrival patterns on a fake clock and checks each trace against the rules
 * and the latency bound stated atop batcher.ts. Times are whole milliseconds, so arrivals,
 * deadlines and finishing batches often fall on the same instant.
 */
interface Scenario {
  maxBatchSize: number;
  maxLatencyMs: number;
  maxConcurrentBatches: number;
  arrivals: { at: number; rows: number }[];
  /** Batch k runs runMs[k % length] ms and fails when fails[k % length]. */
  runMs: number[];
  fails: boolean[];
}

/** `seq` orders events that share an instant: submits and batch starts. */
interface SubmittedItem {
  id: number;
  rows: number;
  at: number;
  seq: number;
  settledAt: number;
  outcome?: { value: string } | { error: unknown };
}

interface StartedBatch {
  ids: number[];
  rows: number;
  at: number;
  seq: number;
  runMs: number;
  finishedAt: number;
  error: Error | undefined;
}

interface Trace {
  items: SubmittedItem[];
  batches: StartedBatch[];
  infos: BatchInfo[];
  overCommitted: boolean;
  drained: boolean;
}

const scenarios: fc.Arbitrary<Scenario> = fc
  .record({
    maxBatchSize: fc.integer({ min: 1, max: 8 }),
    maxLatencyMs: fc.integer({ min: 0, max: 20 }),
    maxConcurrentBatches: fc.integer({ min: 1, max: 3 }),
  })
  .chain((limits) =>
    fc
      .record({
        arrivals: fc
          .array(
            fc.record({
              at: fc.integer({ min: 0, max: 80 }),
              rows: fc.integer({ min: 1, max: limits.maxBatchSize * 2 }),
            }),
            { minLength: 1, maxLength: 40 },
          )
          .map((arrivals) => arrivals.sort((a, b) => a.at - b.at)),
        runMs: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 8 }),
        fails: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      })
      .map((pattern) => ({ ...limits, ...pattern })),
  );

async function replay(scenario: Scenario): Promise<Trace> {
  const clock = new FakeClock();
  const { maxBatchSize, maxLatencyMs, maxConcurrentBatches, runMs, fails } = scenario;
  const trace: Trace = { items: [], batches: [], infos: [], overCommitted: false, drained: false };
  let seq = 0;
  let running = 0;
  const batcher = createBatcher<{ id: number; rows: number }, string>({
    maxBatchSize,
    maxLatencyMs,
    maxConcurrentBatches,
    clock,
    rowsOf: (item) => item.rows,
    onBatch: (info) => trace.infos.push(info),
    run: (items) => {
      const index = trace.batches.length;
      const error = fails[index % fails.length] ? new Error(`batch ${index} failed`) : undefined;
      const rows = items.reduce((sum, item) => sum + item.rows, 0);
      const ids = items.map((item) => item.id);
      const duration = runMs[index % runMs.length] ?? 0;
      const at = clock.now();
      const batch: StartedBatch = {
        ids,
        rows,
        at,
        seq: ++seq,
        runMs: duration,
        finishedAt: NaN,
        error,
      };
      trace.batches.push(batch);
      trace.overCommitted ||= running >= maxConcurrentBatches;
      running += 1;
      return new Promise((resolve, reject) =>
        clock.setTimeout(() => {
          running -= 1;
          batch.finishedAt = clock.now();
          if (error) reject(error);
          else resolve(ids.map((id) => `result ${id}`));
        }, duration),
      );
    },
  });
  scenario.arrivals.forEach(({ at, rows }, id) =>
    clock.at(at, () => {
      const item: SubmittedItem = { id, rows, at: clock.now(), seq: ++seq, settledAt: NaN };
      trace.items.push(item);
      const settle = (outcome: SubmittedItem['outcome']) => {
        item.outcome = outcome;
        item.settledAt = clock.now();
      };
      batcher.submit({ id, rows }).then(
        (value) => settle({ value }),
        (error: unknown) => settle({ error }),
      );
    }),
  );
  await clock.run();
  void batcher.drain().then(() => (trace.drained = true));
  await clock.run();
  return trace;
}

const batchOfItem = (trace: Trace) =>
  new Map(trace.batches.flatMap((batch) => batch.ids.map((id) => [id, batch] as const)));

/** When batch i could start if a slot were free: its head's deadline, or earlier once full. */
function readyAt(scenario: Scenario, trace: Trace, batch: StartedBatch): number {
  const head = trace.items[batch.ids[0] ?? -1];
  const last = trace.items[batch.ids.at(-1) ?? -1];
  if (!head || !last) throw new Error('a batch without items');
  const next = trace.items[last.id + 1];
  const deadline = head.at + scenario.maxLatencyMs;
  const fullAt =
    batch.rows >= scenario.maxBatchSize
      ? last.at
      : next && next.seq < batch.seq
        ? next.at
        : deadline;
  return Math.min(deadline, fullAt);
}

const runningAt = (batches: StartedBatch[], time: number) =>
  batches.filter((batch) => batch.at <= time && batch.finishedAt > time);

/** The first instant, not before batch i-1 started (FIFO), with a slot free for batch i. */
function slotFreeAt(scenario: Scenario, trace: Trace, i: number): number {
  const earlier = trace.batches.slice(0, i);
  const since = earlier.at(-1)?.at ?? -Infinity;
  const instants = [since, ...earlier.map((batch) => batch.finishedAt)].filter((t) => t >= since);
  const free = instants
    .sort((a, b) => a - b)
    .find((t) => runningAt(earlier, t).length < scenario.maxConcurrentBatches);
  if (free === undefined) throw new Error('no slot ever freed');
  return free;
}

const property = (check: (scenario: Scenario, trace: Trace) => void) => () =>
  fc.assert(
    fc.asyncProperty(scenarios, async (scenario) => check(scenario, await replay(scenario))),
    { numRuns: 250 },
  );

describe('createBatcher on generated arrival patterns', () => {
  it(
    'runs every item once, in submit order, in batches of at most maxBatchSize rows',
    property((scenario, trace) => {
      expect(trace.batches.flatMap((batch) => batch.ids)).toEqual(
        trace.items.map((item) => item.id),
      );
      for (const batch of trace.batches) {
        if (batch.ids.length > 1) expect(batch.rows).toBeLessThanOrEqual(scenario.maxBatchSize);
      }
      expect(trace.overCommitted).toBe(false);
    }),
  );

  it(
    'settles every item with its own result or with the error of its own batch, as the batch finishes',
    property((_scenario, trace) => {
      const batchOf = batchOfItem(trace);
      for (const item of trace.items) {
        const batch = batchOf.get(item.id);
        const expected = batch?.error ? { error: batch.error } : { value: `result ${item.id}` };
        expect(item.outcome).toEqual(expected);
        if (batch?.error) expect(item.outcome).toHaveProperty('error', batch.error);
        expect(item.settledAt).toBe(batch?.finishedAt);
      }
      expect(trace.drained).toBe(true);
    }),
  );

  it(
    'reports each batch to onBatch with its rows, items and queue delays',
    property((_scenario, trace) => {
      const expected = trace.batches.map((batch) => ({
        rows: batch.rows,
        items: batch.ids.length,
        queueDelaysMs: batch.ids.map((id) => batch.at - (trace.items[id]?.at ?? NaN)),
      }));
      expect(trace.infos).toEqual(expected);
    }),
  );

  it(
    'starts each batch exactly when it is ready and a slot is free: windows never close early or late',
    property((scenario, trace) => {
      trace.batches.forEach((batch, i) => {
        const ready = readyAt(scenario, trace, batch);
        const free = slotFreeAt(scenario, trace, i);
        expect(batch.at).toBe(Math.max(ready, free));
        const next = trace.items[(batch.ids.at(-1) ?? -1) + 1];
        // The batch took every queued item that fit: whatever was left out would have overflowed it.
        if (next && next.seq < batch.seq) {
          expect(batch.rows + next.rows).toBeGreaterThan(scenario.maxBatchSize);
        }
        const head = trace.items[batch.ids[0] ?? -1];
        const isFull =
          batch.rows >= scenario.maxBatchSize || (next !== undefined && next.seq < batch.seq);
        if (head && !isFull)
          expect(batch.at).toBeGreaterThanOrEqual(head.at + scenario.maxLatencyMs);
        if (head && free <= ready) {
          expect(batch.at - head.at).toBeLessThanOrEqual(scenario.maxLatencyMs);
        }
      });
    }),
  );

  it(
    'bounds the wait of an item that fits in the next batch as batcher.ts states',
    property((scenario, trace) => {
      const { maxLatencyMs: latency, maxBatchSize, maxConcurrentBatches } = scenario;
      const batchOf = batchOfItem(trace);
      for (const item of trace.items) {
        const batch = batchOf.get(item.id);
        if (!batch) throw new Error(`item ${item.id} never ran`);
        const ahead = trace.items
          .filter((other) => other.id < item.id && (batchOf.get(other.id)?.seq ?? 0) > item.seq)
          .reduce((rows, other) => rows + other.rows, 0);
        if (ahead > 0 && ahead + item.rows > maxBatchSize) continue;
        expect(trace.batches.find((other) => other.seq > item.seq)).toBe(batch);
        const running = runningAt(trace.batches, item.at).filter((other) => other.seq < item.seq);
        const free =
          running.length < maxConcurrentBatches
            ? item.at
            : Math.min(...running.map((other) => other.finishedAt));
        expect(batch.at).toBeLessThanOrEqual(Math.max(item.at + latency, free));
        const waited = item.settledAt - item.at;
        expect(waited).toBeLessThanOrEqual(Math.max(latency, free - item.at) + batch.runMs);
        if (free === item.at) expect(waited).toBeLessThanOrEqual(latency + batch.runMs);
        const [ahead1] = running;
        if (maxConcurrentBatches === 1 && ahead1) {
          expect(waited).toBeLessThanOrEqual(Math.max(latency, ahead1.runMs) + batch.runMs);
        }
      }
    }),
  );
});
