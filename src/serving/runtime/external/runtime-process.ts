/**
 * One run of an external runtime's command: spawned without a shell in its own process group,
 * its output forwarded line by line to the logger, stopped group-wide.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { isGroupAlive, stopGroup, trackGroup, untrackGroup } from './process-group.js';

/** Structured logger with pino's call shape, so a pino logger can be passed as is. */
export interface RuntimeLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: Date;
}

export interface RuntimeProcessOptions {
  /** argv; `{port}` in any element is replaced by the port. */
  command: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  port: number;
  logger: RuntimeLogger;
  /** Added to every log line, e.g. the runtime's name. */
  logFields: object;
}

export interface RuntimeProcess {
  readonly pid: number;
  readonly port: number;
  /** Resolves when the process itself has exited (members of its group may still run). */
  readonly exited: Promise<ProcessExit>;
  /**
   * SIGTERM to the group, SIGKILL to whatever is left after `graceMs`; resolves once the whole
   * group is gone. Safe to call again, and after the process exited by itself.
   */
  stop(graceMs: number): Promise<ProcessExit>;
}

/** @throws the spawn error (ENOENT, EACCES, missing cwd) when the command cannot start at all. */
export async function spawnRuntimeProcess(options: RuntimeProcessOptions): Promise<RuntimeProcess> {
  const [file = '', ...args] = options.command.map((arg) =>
    arg.replaceAll('{port}', String(options.port)),
  );
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, WEFT_RUNTIME_PORT: String(options.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  await once(child, 'spawn');
  const pid = child.pid as number;
  trackGroup(pid);
  const fields = { ...options.logFields, pid };
  forwardLines(child.stdout, options.logger, { ...fields, stream: 'stdout' });
  forwardLines(child.stderr, options.logger, { ...fields, stream: 'stderr' });
  let hasExited = false;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      resolve({ code, signal, at: new Date() });
    });
  });
  const isGone = (): boolean => hasExited && !isGroupAlive(pid);
  let stopping: Promise<ProcessExit> | undefined;
  const stop = (graceMs: number): Promise<ProcessExit> =>
    (stopping ??= (async () => {
      if (!(await stopGroup(pid, isGone, graceMs))) {
        options.logger.error(fields, 'external runtime process group survived SIGKILL');
      }
      untrackGroup(pid);
      return exited;
    })());
  return { pid, port: options.port, exited, stop };
}

function forwardLines(stream: Readable, logger: RuntimeLogger, fields: object): void {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => logger.info(fields, line));
}
