import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../core/errors.js';
import { createBatcher, type BatchInfo, type BatcherOptions } from './batcher.js';
import { FakeClock } from './fake-clock.js';

interface Item {
  id: string;
  rows: number;
}

/** A batcher whose run() echoes ids after `runMs` and records when each batch started. */
function setUp(options: Partial<BatcherOptions<Item, string>> & { runMs?: number } = {}) {
  const clock = new FakeClock();
  const started: { at: number; ids: string[] }[] = [];
  const batches: BatchInfo[] = [];
  const batcher = createBatcher<Item, string>({
    maxBatchSize: 4,
    maxLatencyMs: 10,
    rowsOf: (item) => item.rows,
    run: (items) => {
      started.push({ at: clock.now(), ids: items.map((item) => item.id) });
      const ids = items.map((item) => `result ${item.id}`);
      return new Promise((resolve) => clock.setTimeout(() => resolve(ids), options.runMs ?? 0));
    },
    clock,
    onBatch: (info) => batches.push(info),
    ...options,
  });
  const submit = (id: string, rows = 1) => batcher.submit({ id, rows });
  return { clock, started, batches, batcher, submit };
}

/** What a promise settled with, caught at once so a rejection awaited later is never unhandled. */
function outcomeOf<R>(promise: Promise<R>): Promise<{ value: R } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

describe('createBatcher', () => {
  it('starts a batch at once when its rows reach maxBatchSize exactly', async () => {
    const { clock, started, submit } = setUp();
    const results = [submit('a', 1), submit('b', 3)];
    await clock.run(0);
    expect(started).toEqual([{ at: 0, ids: ['a', 'b'] }]);
    expect(await Promise.all(results)).toEqual(['result a', 'result b']);
  });

  it('starts what is queued when the next item would overflow; the newcomer opens a new window', async () => {
    const { clock, started, submit } = setUp();
    clock.at(0, () => void submit('a', 3));
    clock.at(4, () => void submit('b', 2));
    await clock.run();
    expect(started).toEqual([
      { at: 4, ids: ['a'] },
      { at: 14, ids: ['b'] },
    ]);
  });

  it('measures the window from its first item: later arrivals do not extend or shorten it', async () => {
    const { clock, started, submit } = setUp({ maxBatchSize: 100 });
    for (const at of [0, 5, 9.99]) clock.at(at, () => void submit(`at ${at}`));
    await clock.run(9.999);
    expect(started).toEqual([]);
    await clock.run();
    expect(started).toEqual([{ at: 10, ids: ['at 0', 'at 5', 'at 9.99'] }]);
  });

  it('runs an item larger than maxBatchSize alone, after what was queued before it', async () => {
    const { clock, started, batches, submit } = setUp();
    clock.at(0, () => void submit('small', 1));
    clock.at(1, () => void submit('huge', 9));
    clock.at(2, () => void submit('after', 1));
    await clock.run();
    expect(started).toEqual([
      { at: 1, ids: ['small'] },
      { at: 1, ids: ['huge'] },
      { at: 12, ids: ['after'] },
    ]);
    expect(batches.map((batch) => batch.rows)).toEqual([1, 9, 1]);
  });

  it('collects the next window while a batch runs and starts it when the batch finishes', async () => {
    const { clock, started, batches, submit } = setUp({ runMs: 30 });
    clock.at(0, () => void submit('a', 4));
    for (const at of [1, 2, 3]) clock.at(at, () => void submit(`b${at}`));
    await clock.run();
    expect(started).toEqual([
      { at: 0, ids: ['a'] },
      { at: 30, ids: ['b1', 'b2', 'b3'] },
    ]);
    expect(batches[1]).toEqual({ rows: 3, items: 3, queueDelaysMs: [29, 28, 27] });
  });

  it('runs up to maxConcurrentBatches batches at once', async () => {
    const { clock, started, submit } = setUp({ runMs: 30, maxConcurrentBatches: 2 });
    for (const at of [0, 1, 2]) clock.at(at, () => void submit(`${at}`, 4));
    await clock.run();
    expect(started.map((batch) => batch.at)).toEqual([0, 1, 30]);
  });

  it('starts each item alone, on arrival, when maxLatencyMs is 0 and a slot is free', async () => {
    const { clock, started, submit } = setUp({ maxLatencyMs: 0, maxConcurrentBatches: 3 });
    const results = [submit('a'), submit('b')];
    expect(started).toEqual([
      { at: 0, ids: ['a'] },
      { at: 0, ids: ['b'] },
    ]);
    await clock.run();
    expect(await Promise.all(results)).toEqual(['result a', 'result b']);
  });

  it('rejects every item of a batch whose run fails, with that error, and only those', async () => {
    const failure = new Error('model crashed');
    let calls = 0;
    const { clock, submit } = setUp({
      run: (items) =>
        ++calls === 1 ? Promise.reject(failure) : Promise.resolve(items.map((item) => item.id)),
    });
    const first = [submit('a', 2), submit('b', 2)].map(outcomeOf);
    const second = outcomeOf(submit('c', 4));
    await clock.run();
    expect(await Promise.all(first)).toEqual([{ error: failure }, { error: failure }]);
    expect(await second).toEqual({ value: 'c' });
  });

  it('rejects every item when run throws instead of returning a promise', async () => {
    const { clock, submit } = setUp({
      run: () => {
        throw new Error('no session');
      },
    });
    const results = [submit('a', 2), submit('b', 2)].map(outcomeOf);
    await clock.run();
    for (const result of await Promise.all(results)) {
      expect(result).toEqual({ error: new Error('no session') });
    }
  });

  it('rejects every item with a clear error when run returns the wrong number of results', async () => {
    const { clock, submit } = setUp({ run: () => Promise.resolve(['only one']) });
    const results = [submit('a', 2), submit('b', 2)].map(outcomeOf);
    await clock.run();
    for (const result of await Promise.all(results)) {
      const error = 'error' in result ? result.error : undefined;
      expect(isWeftError(error, 'MODEL_INVALID')).toBe(true);
      expect((error as Error).message).toBe(
        'failed to run batch of 2 requests: run returned 1 results; it must return one per request, in order',
      );
    }
  });

  it('rejects an item whose rowsOf is not a whole number of rows', async () => {
    const { submit } = setUp();
    await expect(submit('a', 1.5)).rejects.toThrow('rowsOf gave 1.5, not a whole number of rows');
  });

  it('drains once everything submitted has settled, and close() rejects later submits only', async () => {
    const { clock, batcher, submit } = setUp({ runMs: 5 });
    const queued = submit('a');
    batcher.close();
    const error: unknown = await submit('b').catch((rejection: unknown) => rejection);
    expect(isWeftError(error, 'INTERRUPTED')).toBe(true);
    let drained = false;
    void batcher.drain().then(() => (drained = true));
    await clock.run(14);
    expect(drained).toBe(false);
    await clock.run(15);
    expect(drained).toBe(true);
    await expect(queued).resolves.toBe('result a');
  });

  it('refuses limits that cannot work', () => {
    const make = (limits: Partial<BatcherOptions<Item, string>>) => () => setUp(limits);
    expect(make({ maxBatchSize: 0 })).toThrow('maxBatchSize must be a whole number of rows');
    expect(make({ maxLatencyMs: -1 })).toThrow('maxLatencyMs must be 0 or more milliseconds');
    expect(make({ maxConcurrentBatches: 0 })).toThrow(
      'maxConcurrentBatches must be a whole number',
    );
  });

  it('never starts a window early on the system clock', async () => {
    const batches: BatchInfo[] = [];
    const batcher = createBatcher<number, number>({
      maxBatchSize: 10,
      maxLatencyMs: 15,
      rowsOf: () => 1,
      run: (items) => Promise.resolve(items),
      onBatch: (info) => batches.push(info),
    });
    expect(await Promise.all([1, 2, 3].map((item) => batcher.submit(item)))).toEqual([1, 2, 3]);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.queueDelaysMs[0]).toBeGreaterThanOrEqual(15);
  });
});
