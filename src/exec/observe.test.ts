import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildStageGraph } from '../plan/dag.js';
import type { ResolvedPipeline, ResolvedStage } from '../spec/types.js';
import { StatCache } from '../store/index.js';
import { observeStage, type Workspace } from './observe.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'weft-observe-'));
});
afterEach(async () => rm(root, { recursive: true, force: true }));

function stage(name: string, deps: string[], outs: string[]): ResolvedStage {
  return {
    name,
    cmd: `make ${name}`,
    wdir: '.',
    deps,
    params: [],
    outs,
    metrics: [],
    env: {},
    alwaysRun: false,
    location: { file: 'weft.yaml', line: 1, col: 1 },
  };
}

function workspace(stages: ResolvedStage[]): Workspace {
  const pipeline = { name: 'p', stages } as ResolvedPipeline;
  return {
    root,
    graph: buildStageGraph(pipeline, () => true),
    params: {},
    lock: new Map(),
    // A clock far ahead: nothing written by the test counts as racily clean.
    statCache: new StatCache(join(root, 'stat.json'), { now: () => Date.now() + 60_000 }),
    sourceDigests: new Map(),
  };
}

describe('observeStage', () => {
  it('hashes a source dep shared by stages observed side by side only once', async () => {
    await writeFile(join(root, 'data.csv'), 'a,b\n1,2\n');
    const ws = workspace([
      stage('a', ['data.csv'], ['a.out']),
      stage('b', ['data.csv'], ['b.out']),
    ]);
    const [a, b] = await Promise.all(
      ws.graph.order.map((n) => observeStage(ws, ws.graph.stages.get(n) as ResolvedStage)),
    );
    expect(a?.deps[0]?.digest).toBe(b?.deps[0]?.digest);
    expect(ws.statCache.stats.hashed).toBe(1);
  });

  it('hashes a dep another stage writes afresh each time: it changes during a run', async () => {
    await writeFile(join(root, 'in.txt'), 'x');
    await writeFile(join(root, 'mid.txt'), 'v1');
    const ws = workspace([
      stage('make', ['in.txt'], ['mid.txt']),
      stage('use', ['mid.txt'], ['out.txt']),
    ]);
    const use = ws.graph.stages.get('use') as ResolvedStage;
    const before = await observeStage(ws, use);
    await writeFile(join(root, 'mid.txt'), 'v2, longer');
    const after = await observeStage(ws, use);
    expect(after.deps[0]?.digest).not.toBe(before.deps[0]?.digest);
  });
});
