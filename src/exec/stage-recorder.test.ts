import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleExecution } from '../registry/metadata-store.fixtures.js';
import type { NewStageExecution } from '../registry/types.js';
import { StageRecorder } from './stage-recorder.js';

/** A store that notes each batch (by stage names) and writes it the way `write` says. */
function fakeStore(write: (stages: string[]) => Promise<void> = () => Promise.resolve()) {
  const batches: string[][] = [];
  return {
    batches,
    recordStageExecutions: async (executions: NewStageExecution[]) => {
      const stages = executions.map((execution) => execution.stage);
      batches.push(stages);
      await write(stages);
      return executions.map((execution, id) => ({ ...execution, id }));
    },
  };
}

/** A write that stays in flight until the test lets it finish. */
function heldWrites() {
  const finishers: Array<(error?: Error) => void> = [];
  const write = () =>
    new Promise<void>((resolve, reject) =>
      finishers.push((error) => (error ? reject(error) : resolve())),
    );
  return { write, finish: (error?: Error) => finishers.shift()?.(error) };
}

const stage = (name: string) => sampleExecution(1, { stage: name });

describe('StageRecorder', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes what queued within the delay in one batch, and nothing before it', async () => {
    vi.useFakeTimers();
    const store = fakeStore();
    const recorder = new StageRecorder(store, { maxBatch: 50, maxDelayMs: 25 });
    recorder.record(stage('a'));
    await vi.advanceTimersByTimeAsync(10);
    recorder.record(stage('b'));
    await vi.advanceTimersByTimeAsync(14);
    expect(store.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.batches).toEqual([['a', 'b']]);
  });

  it('writes at once when the queue reaches the batch cap', () => {
    const store = fakeStore();
    const recorder = new StageRecorder(store, { maxBatch: 3, maxDelayMs: 60_000 });
    for (const name of ['a', 'b', 'c', 'd']) recorder.record(stage(name));
    expect(store.batches).toEqual([['a', 'b', 'c']]);
  });

  it('queues records while a write is in flight and writes them right after, in order', async () => {
    const held = heldWrites();
    const store = fakeStore(held.write);
    const recorder = new StageRecorder(store, { maxBatch: 2, maxDelayMs: 60_000 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) recorder.record(stage(name));
    expect(store.batches).toEqual([['a', 'b']]);

    held.finish();
    await sleep(0);
    // Not after the delay: these records already waited for the write before them.
    expect(store.batches).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    held.finish();
    await sleep(0);
    expect(store.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    held.finish();
    await recorder.drain();
  });

  it('loses nothing and keeps the order when stages record while batches are written', async () => {
    const store = fakeStore(() => sleep(2));
    const recorder = new StageRecorder(store, { maxBatch: 7, maxDelayMs: 3 });
    const recorded: string[] = [];
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        await sleep(i % 9);
        recorder.record(stage(`s${i}`));
        recorded.push(`s${i}`);
      }),
    );
    await recorder.drain();
    expect(store.batches.flat()).toEqual(recorded);
    expect(store.batches.every((batch) => batch.length <= 7)).toBe(true);
    expect(store.batches.length).toBeLessThan(recorded.length);
  });

  it('drains by writing the queue without waiting for the delay', async () => {
    const store = fakeStore();
    const recorder = new StageRecorder(store, { maxBatch: 50, maxDelayMs: 60_000 });
    recorder.record(stage('a'));
    recorder.record(stage('b'));
    await recorder.drain();
    expect(store.batches).toEqual([['a', 'b']]);
    await recorder.drain();
    expect(store.batches).toEqual([['a', 'b']]);
  });

  it('rethrows the first failed write from drain, after writing what was queued', async () => {
    const failures = [new Error('disk full'), new Error('still full')];
    const store = fakeStore(() => {
      const failure = failures.shift();
      return failure ? Promise.reject(failure) : Promise.resolve();
    });
    const recorder = new StageRecorder(store, { maxBatch: 1, maxDelayMs: 60_000 });
    recorder.record(stage('a'));
    recorder.record(stage('b'));
    recorder.record(stage('c'));
    await expect(recorder.drain()).rejects.toThrow('disk full');
    expect(store.batches).toEqual([['a'], ['b'], ['c']]);
    // A stage that finishes after the failure fails too, as when it awaited its own write.
    expect(() => recorder.record(stage('d'))).toThrow('disk full');
    await expect(recorder.drain()).rejects.toThrow('disk full');
  });
});
