/**
 * Hash routes: the server serves one shell, and every page is addressable and linkable.
 *
 *   #/                          overview of every deployment
 *   #/deployments/NAME          a deployment: rollout timeline, live metrics, history
 *   #/runs                      runs, newest first
 *   #/runs/ID                   a run: stage graph, logs, params, metrics
 *   #/compare?runs=1,2          runs side by side (or ?commits=SHA,SHA: the newest run of each)
 *   #/models, #/models/NAME     models, a model's versions
 *   #/models/NAME/VERSION       a version: evaluation, fairness, gates, lineage
 *   #/audit?actor=...           the audit log, filtered, and its verification
 */
export type Route =
  | { page: 'overview' }
  | { page: 'deployment'; name: string }
  | { page: 'runs'; query: Record<string, string> }
  | { page: 'run'; id: number }
  | { page: 'compare'; runs: number[]; commits: string[] }
  | { page: 'models' }
  | { page: 'model'; name: string }
  | { page: 'version'; name: string; version: string }
  | { page: 'audit'; query: Record<string, string> }
  | { page: 'not-found'; hash: string };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path
    .split('/')
    .filter((part) => part !== '')
    .map(safeDecode);
  const query = Object.fromEntries(new URLSearchParams(search));
  const [first, second, third] = parts;
  if (parts.length === 0) return { page: 'overview' };
  if (first === 'deployments' && second !== undefined && parts.length === 2)
    return { page: 'deployment', name: second };
  if (first === 'runs' && parts.length === 1) return { page: 'runs', query };
  if (first === 'runs' && parts.length === 2 && /^\d+$/.test(second ?? ''))
    return { page: 'run', id: Number(second) };
  if (first === 'compare' && parts.length === 1) {
    return {
      page: 'compare',
      runs: listOf(query.runs)
        .filter((id) => /^\d+$/.test(id))
        .map(Number),
      commits: listOf(query.commits).filter((sha) => /^[0-9a-f]{4,40}$/i.test(sha)),
    };
  }
  if (first === 'models' && parts.length === 1) return { page: 'models' };
  if (first === 'models' && second !== undefined && parts.length === 2)
    return { page: 'model', name: second };
  if (first === 'models' && second !== undefined && third !== undefined && parts.length === 3)
    return { page: 'version', name: second, version: third };
  if (first === 'audit' && parts.length === 1) return { page: 'audit', query };
  return { page: 'not-found', hash };
}

function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

const encode = encodeURIComponent;

function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** Links to every page, so no page spells another's hash. */
export const hrefs = {
  overview: () => '#/',
  deployment: (name: string) => `#/deployments/${encode(name)}`,
  runs: (query: Record<string, string | undefined> = {}) => withQuery('#/runs', query),
  run: (id: number) => `#/runs/${id}`,
  compareRuns: (ids: readonly number[]) => `#/compare?runs=${ids.join(',')}`,
  compareCommits: (shas: readonly string[]) => `#/compare?commits=${shas.join(',')}`,
  models: () => '#/models',
  model: (name: string) => `#/models/${encode(name)}`,
  version: (name: string, version: string | number) =>
    `#/models/${encode(name)}/${encode(String(version))}`,
  audit: (query: Record<string, string | undefined> = {}) => withQuery('#/audit', query),
};
