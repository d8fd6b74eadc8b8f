import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Starts stage commands from a small helper process rather than from weft itself. Node starts
 * a child with fork() + exec(), and its thread waits while the whole address space is
 * duplicated: weft in a cold run (hash workers, SQLite, 100+ MB of heap) spent ~4.5 ms of its
 * main thread per stage, the thread that also feeds the hash workers. The launcher is a bare
 * Node process that forks in ~1.5 ms on whichever core is free; it hands each line of output
 * to weft, which shows and keeps it.
 *
 * The launcher is plain CommonJS run with `node -e`, so it survives bundling unchanged. When
 * weft goes away (crash, SIGKILL), the IPC channel closes and the launcher stops the stages it
 * started: they would otherwise run on unobserved and write outputs nobody records.
 */
const LAUNCHER_SOURCE = `
const { spawn } = require('node:child_process');
const { createInterface } = require('node:readline');
const { once } = require('node:events');
const GRACE_MS = ${5_000};
const running = new Map();
let disconnected = false;
const send = (message) => { if (!disconnected) process.send(message); };
const signalGroup = (pid, signal) => { try { process.kill(-pid, signal); } catch {} };
process.on('message', (request) => { void start(request); });
process.on('disconnect', () => {
  disconnected = true;
  for (const pid of running.values()) signalGroup(pid, 'SIGTERM');
  setTimeout(() => { for (const pid of running.values()) signalGroup(pid, 'SIGKILL'); }, GRACE_MS).unref();
});
function forwardLines(id, stream, input) {
  let batch = [];
  const flush = () => { if (batch.length > 0) send({ type: 'lines', id, stream, lines: batch }); batch = []; };
  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (batch.push(line) === 1) setImmediate(flush);
  });
  return once(lines, 'close').then(flush);
}
async function start({ id, cmd, cwd, env }) {
  const child = spawn('/bin/sh', ['-c', cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid !== undefined) {
    running.set(id, child.pid);
    send({ type: 'spawned', id, pid: child.pid });
  }
  const pipes = ['stdout', 'stderr'].map((stream) => forwardLines(id, stream, child[stream]));
  let result;
  try {
    const [exitCode, signal] = await once(child, 'close');
    await Promise.all(pipes);
    result = { exitCode, signal };
  } catch (error) {
    result = { exitCode: null, signal: null, spawnError: error.message };
  }
  running.delete(id);
  send({ type: 'exit', id, ...result });
}
`;

export interface StageProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all (e.g. its wdir does not exist). */
  spawnError?: string;
  /** Set when the launcher died while the command ran: its outcome is unknown. */
  lostError?: string;
}

export interface LaunchRequest {
  cmd: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface LaunchedStage {
  result: Promise<StageProcessResult>;
  /** Signals the command's process group (now, or as soon as it has started). */
  signal: (signal: NodeJS.Signals) => void;
}

type LauncherEvent =
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'lines'; id: number; stream: 'stdout' | 'stderr'; lines: string[] }
  | ({ type: 'exit'; id: number } & StageProcessResult);

interface PendingStage {
  request: LaunchRequest;
  pid?: number;
  /** Signals asked for before the launcher said the command started. */
  queuedSignals: NodeJS.Signals[];
  resolve: (result: StageProcessResult) => void;
}

class StageLauncher {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, PendingStage>();
  private nextId = 0;

  constructor(private readonly onGone: () => void) {
    // No inherited env: the launcher needs none (each stage gets its own), and NODE_OPTIONS or
    // NODE_EXTRA_CA_CERTS would only slow its start or change its behaviour.
    this.child = spawn(process.execPath, ['-e', LAUNCHER_SOURCE], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {},
    });
    this.child.on('message', (event: LauncherEvent) => this.handle(event));
    this.child.on('exit', (code, signal) => this.fail(`exited (${signal ?? `code ${code}`})`));
    this.child.on('error', (error) => this.fail(`failed: ${error.message}`));
    this.idle();
  }

  launch(request: LaunchRequest): LaunchedStage {
    const id = this.nextId++;
    const result = new Promise<StageProcessResult>((resolve) => {
      this.pending.set(id, { request, queuedSignals: [], resolve });
    });
    if (this.pending.size === 1) this.busy();
    const { cmd, cwd, env } = request;
    // A launcher that died a moment ago (its exit not handled yet) cannot take the request.
    this.child.send({ id, cmd, cwd, env }, (error) => {
      if (error) this.settle(id, { exitCode: null, signal: null, spawnError: error.message });
    });
    return { result, signal: (signal) => this.signal(id, signal) };
  }

  private handle(event: LauncherEvent): void {
    const stage = this.pending.get(event.id);
    if (stage === undefined) return;
    if (event.type === 'lines') {
      for (const line of event.lines) stage.request.onLine(line, event.stream);
    } else if (event.type === 'spawned') {
      stage.pid = event.pid;
      for (const signal of stage.queuedSignals) signalGroup(event.pid, signal);
    } else {
      const { exitCode, signal, spawnError, lostError } = event;
      this.settle(event.id, { exitCode, signal, spawnError, lostError });
    }
  }

  private signal(id: number, signal: NodeJS.Signals): void {
    const stage = this.pending.get(id);
    if (stage?.pid !== undefined) signalGroup(stage.pid, signal);
    else stage?.queuedSignals.push(signal);
  }

  private settle(id: number, result: StageProcessResult): void {
    const stage = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.idle();
    stage?.resolve(result);
  }

  /** The launcher is gone: its commands are stopped and reported lost; the next run starts anew. */
  private fail(reason: string): void {
    this.onGone();
    for (const [id, stage] of this.pending) {
      if (stage.pid !== undefined) signalGroup(stage.pid, 'SIGKILL');
      this.settle(id, {
        exitCode: null,
        signal: null,
        lostError: `weft's stage launcher ${reason}`,
      });
    }
  }

  // A launcher with nothing to run must not keep weft alive; one with work must.
  private idle(): void {
    this.child.unref();
    this.child.channel?.unref();
  }

  private busy(): void {
    this.child.ref();
    this.child.channel?.ref();
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

let shared: StageLauncher | undefined;

/** Runs `request.cmd` through `/bin/sh -c` in its own process group, via the shared launcher. */
export function launchStage(request: LaunchRequest): LaunchedStage {
  const launcher = (shared ??= new StageLauncher(() => {
    if (shared === launcher) shared = undefined;
  }));
  return launcher.launch(request);
}
