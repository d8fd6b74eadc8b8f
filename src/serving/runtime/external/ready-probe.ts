import type { LoopbackClient } from './loopback-client.js';

/** Where a runtime process says it is ready. */
export interface ReadyPaths {
  path: string;
  /** Asked when `path` answers 404 (a server without per-model readiness). */
  fallback?: string;
}

const DEFAULT_READY_PATH = '/v2/models/{model}/ready';
const HEALTH_READY_PATH = '/v2/health/ready';
/** Bounds each probe, so a process that accepts connections but never answers cannot stall startup. */
const PROBE_TIMEOUT_MS = 1_000;

/**
 * A configured path is asked alone; the default is the OIP model-ready endpoint, falling back to
 * server-ready. `{model}` and `{version}` are replaced, URL-encoded.
 */
export function resolveReadyPaths(
  readyPath: string | undefined,
  model: string,
  version: string,
): ReadyPaths {
  const fill = (template: string): string =>
    template
      .replaceAll('{model}', encodeURIComponent(model))
      .replaceAll('{version}', encodeURIComponent(version));
  if (readyPath !== undefined) return { path: fill(readyPath) };
  return { path: fill(DEFAULT_READY_PATH), fallback: HEALTH_READY_PATH };
}

/** True when the process on `port` answers 200 on its ready path; false on anything else. */
export async function probeReady(
  client: LoopbackClient,
  port: number,
  paths: ReadyPaths,
): Promise<boolean> {
  const ask = (path: string) => client.send(port, 'GET', path, undefined, PROBE_TIMEOUT_MS);
  try {
    const answer = await ask(paths.path);
    if (answer.status === 404 && paths.fallback) return (await ask(paths.fallback)).status === 200;
    return answer.status === 200;
  } catch {
    return false;
  }
}
