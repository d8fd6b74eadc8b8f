import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { scheduleDag } from './schedule.js';

type Outcome = 'ok' | 'fail' | 'throw';

/**
 * Runs a DAG whose tasks each wait `delayMs`, recording when each task starts, the highest
 * number running at once, and every skip with the upstream it named.
 */
async function runDag(options: {
  order: string[];
  upstream?: Record<string, string[]>;
  outcomes?: Record<string, Outcome>;
  delayMs?: number;
  shouldStop?: () => boolean;
  onStart?: (name: string) => void;
}) {
  const started: string[] = [];
  const finished: string[] = [];
  const skipped: Array<[string, string]> = [];
  let running = 0;
  let maxRunning = 0;
  await scheduleDag({
    order: options.order,
    upstream: new Map(Object.entries(options.upstream ?? {}).map(([k, v]) => [k, new Set(v)])),
    shouldStop: options.shouldStop ?? (() => false),
    skip: (name, failedUpstream) => skipped.push([name, failedUpstream]),
    run: async (name) => {
      started.push(name);
      options.onStart?.(name);
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        await sleep(options.delayMs ?? 5);
        const outcome = options.outcomes?.[name] ?? 'ok';
        if (outcome === 'throw') throw new Error(`${name} blew up`);
        return outcome === 'ok';
      } finally {
        running--;
        finished.push(name);
      }
    },
  });
  return { started, finished, skipped, maxRunning };
}

describe('scheduleDag', () => {
  it('starts a task only after all its upstream tasks succeeded', async () => {
    const finishedWhenStarted = new Map<string, string[]>();
    const finished: string[] = [];
    await scheduleDag({
      order: ['a', 'b', 'c'],
      upstream: new Map([['c', new Set(['a', 'b'])]]),
      shouldStop: () => false,
      skip: () => undefined,
      run: async (name) => {
        finishedWhenStarted.set(name, [...finished]);
        await sleep(name === 'a' ? 30 : 5);
        finished.push(name);
        return true;
      },
    });
    expect(finishedWhenStarted.get('c')).toEqual(['b', 'a']);
    expect(finished).toEqual(['b', 'a', 'c']);
  });

  it.each<Outcome>(['fail', 'throw'])(
    'skips every transitive dependent of a task that ends with %s and runs the rest',
    async (outcome) => {
      const result = await runDag({
        order: ['prepare', 'train', 'docs', 'evaluate', 'report'],
        upstream: { train: ['prepare'], evaluate: ['train'], report: ['evaluate', 'docs'] },
        outcomes: { prepare: outcome },
      });
      expect(result.started).toEqual(['prepare', 'docs']);
      expect(result.skipped.map(([name]) => name)).toEqual(['train', 'evaluate', 'report']);
      expect(result.skipped[0]).toEqual(['train', 'prepare']);
    },
  );

  it('names the task that actually failed when skipping transitive dependents', async () => {
    const result = await runDag({
      order: ['prepare', 'train', 'evaluate'],
      upstream: { train: ['prepare'], evaluate: ['train'] },
      outcomes: { prepare: 'fail' },
    });
    expect(result.skipped).toEqual([
      ['train', 'prepare'],
      ['evaluate', 'prepare'],
    ]);
  });

  it('lets a running sibling finish when another task fails', async () => {
    const result = await runDag({
      order: ['bad', 'slow', 'after-slow'],
      upstream: { 'after-slow': ['slow'] },
      outcomes: { bad: 'fail' },
      delayMs: 10,
    });
    expect(result.started).toEqual(['bad', 'slow', 'after-slow']);
    expect(result.skipped).toEqual([]);
  });

  it('skips the pending tasks with no upstream named once shouldStop is true, and starts none', async () => {
    let stop = false;
    const result = await runDag({
      order: ['a', 'b', 'c', 'd'],
      upstream: { d: ['a'] },
      onStart: (name) => {
        if (name === 'a') stop = true;
      },
      shouldStop: () => stop,
    });
    expect(result.started).toEqual(['a']);
    expect(result.finished).toEqual(['a']);
    expect(result.skipped).toEqual([
      ['b', ''],
      ['c', ''],
      ['d', ''],
    ]);
  });

  it('starts nothing when stopped from the outset', async () => {
    const result = await runDag({ order: ['a', 'b'], shouldStop: () => true });
    expect(result.started).toEqual([]);
    expect(result.skipped).toEqual([
      ['a', ''],
      ['b', ''],
    ]);
  });

  it('ignores upstream tasks that are not in the order', async () => {
    const result = await runDag({
      order: ['train', 'evaluate'],
      upstream: { train: ['prepare'], evaluate: ['train', 'lint'] },
    });
    expect(result.started).toEqual(['train', 'evaluate']);
    expect(result.skipped).toEqual([]);
  });

  it('returns at once for an empty order', async () => {
    const result = await runDag({ order: [] });
    expect(result.started).toEqual([]);
    expect(result.skipped).toEqual([]);
  });
});
