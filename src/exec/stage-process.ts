import { join } from 'node:path';
import type { ResolvedStage } from '../spec/types.js';
import { launchStage, type StageProcessResult } from './stage-launcher.js';
import type { StageLog } from './stage-log.js';

export type { StageProcessResult } from './stage-launcher.js';

export interface StageProcessOptions {
  root: string;
  stage: ResolvedStage;
  /** Collects the command's output (and why it could not start, if so). */
  log: StageLog;
  extraEnv: Record<string, string>;
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  signal: AbortSignal;
}

/** How long a stage gets to exit after SIGTERM before it is killed. */
const KILL_GRACE_MS = 5_000;

/**
 * Runs a stage's command through `/bin/sh -c` in its own process group, so that interrupting
 * weft stops the whole tree the command started, not just the shell.
 */
export async function runStageProcess(options: StageProcessOptions): Promise<StageProcessResult> {
  const { stage, signal } = options;
  const launched = launchStage({
    cmd: stage.cmd,
    cwd: join(options.root, stage.wdir),
    baseEnv: process.env,
    env: { ...options.extraEnv, ...stage.env },
    onLine: (line, stream) => {
      options.log.append(line);
      options.onLine(line, stream);
    },
  });
  const stop = (): void => launched.signal('SIGTERM');
  signal.addEventListener('abort', stop, { once: true });
  const grace = setTimeoutOnAbort(signal, () => launched.signal('SIGKILL'));
  if (signal.aborted) stop();
  try {
    const result = await launched.result;
    if (result.spawnError) options.log.append(`weft: failed to start stage: ${result.spawnError}`);
    return result;
  } finally {
    signal.removeEventListener('abort', stop);
    clearTimeout(grace());
  }
}

/** Arms a SIGKILL timer once the run is aborted; returns a getter for clearing it. */
function setTimeoutOnAbort(
  signal: AbortSignal,
  kill: () => void,
): () => NodeJS.Timeout | undefined {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    timer = setTimeout(kill, KILL_GRACE_MS);
    timer.unref();
  };
  if (signal.aborted) arm();
  else signal.addEventListener('abort', arm, { once: true });
  return () => {
    signal.removeEventListener('abort', arm);
    return timer;
  };
}
