import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { ResolvedStage } from '../spec/types.js';

export interface StageProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all (e.g. its wdir does not exist). */
  spawnError?: string;
}

export interface StageProcessOptions {
  root: string;
  stage: ResolvedStage;
  /** Where the combined log is written, line by line, prefixed by stream. */
  logPath: string;
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
  const log = createWriteStream(options.logPath);
  const child = spawn('/bin/sh', ['-c', stage.cmd], {
    cwd: join(options.root, stage.wdir),
    env: { ...process.env, ...options.extraEnv, ...stage.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pipes = (['stdout', 'stderr'] as const).map(async (stream) => {
    for await (const line of createInterface({ input: child[stream], crlfDelay: Infinity })) {
      log.write(`${line}\n`);
      options.onLine(line, stream);
    }
  });
  const stop = (): void => killGroup(child.pid, 'SIGTERM');
  signal.addEventListener('abort', stop, { once: true });
  const grace = setTimeoutOnAbort(signal, () => killGroup(child.pid, 'SIGKILL'));
  try {
    const [exitCode, exitSignal] = (await once(child, 'close')) as [
      number | null,
      NodeJS.Signals | null,
    ];
    await Promise.all(pipes);
    return { exitCode, signal: exitSignal };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.write(`weft: failed to start stage: ${message}\n`);
    return { exitCode: null, signal: null, spawnError: message };
  } finally {
    signal.removeEventListener('abort', stop);
    clearTimeout(grace());
    log.end();
    await once(log, 'close');
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
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
