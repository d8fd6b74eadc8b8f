import { describe, expect, it } from 'vitest';
import { hrefs, parseRoute } from './router.js';

describe('hash routes', () => {
  it.each([
    ['', { page: 'overview' }],
    ['#/', { page: 'overview' }],
    [hrefs.deployment('fraud model'), { page: 'deployment', name: 'fraud model' }],
    [hrefs.run(42), { page: 'run', id: 42 }],
    [
      hrefs.runs({ status: 'failed', branch: undefined }),
      { page: 'runs', query: { status: 'failed' } },
    ],
    [hrefs.compareRuns([1, 2]), { page: 'compare', runs: [1, 2], commits: [] }],
    [
      hrefs.compareCommits(['abc1234', 'def5678']),
      { page: 'compare', runs: [], commits: ['abc1234', 'def5678'] },
    ],
    ['#/compare?runs=1,x,,3', { page: 'compare', runs: [1, 3], commits: [] }],
    [hrefs.models(), { page: 'models' }],
    [hrefs.model('a/b'), { page: 'model', name: 'a/b' }],
    [hrefs.version('penguins', 2), { page: 'version', name: 'penguins', version: '2' }],
    [hrefs.audit({ actor: 'controller' }), { page: 'audit', query: { actor: 'controller' } }],
    ['#/runs/abc', { page: 'not-found', hash: '#/runs/abc' }],
    ['#/%E0%A4%A', { page: 'not-found', hash: '#/%E0%A4%A' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });
});
