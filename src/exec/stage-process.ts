import { join } from 'node:path';
import type { ResolvedStage } from '../spec/types.js';
import { KILL_GRACE_MS, launchStage, type StageProcessResult } from './stage-launcher.js';
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
  // One listener per running stage: the run's signal carries as many as -j allows at once.
  let kill: NodeJS.Timeout | undefined;
  const stop = (): void => {
    launched.signal('SIGTERM');
    kill = setTimeout(() => launched.signal('SIGKILL'), KILL_GRACE_MS);
    kill.unref();
  };
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  try {
    const result = await launched.result;
    if (result.spawnError) options.log.append(`weft: failed to start stage: ${result.spawnError}`);
    return result;
  } finally {
    signal.removeEventListener('abort', stop);
    clearTimeout(kill);
  }
}
