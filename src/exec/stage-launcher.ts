import { spawn, type ChildProcess } from 'node:child_process';

/** How long a stage gets to exit after SIGTERM before it is killed, by weft or the launcher. */
export const KILL_GRACE_MS = 5_000;

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
 *
 * What crosses the channel per stage is kept small, as both ends pay for it on a busy core: the
 * launcher keeps weft's base environment (sent again only when it changed) and a request carries
 * only the stage's own variables; the launcher's events leave in one message per turn of its
 * event loop, so a stage's last lines and its exit usually arrive together.
 */
const LAUNCHER_SOURCE = `
const { spawn } = require('node:child_process');
const { once } = require('node:events');
// Baseline code only: the launcher's few functions never run long enough to repay TurboFan
// compiling them (~15% of its CPU). Set here rather than as a node flag, which would make Node
// reject the code cache of its own modules and cost more at startup than it saves.
require('node:v8').setFlagsFromString('--max-opt=1');
const GRACE_MS = ${KILL_GRACE_MS};
// The line breaks readline knows, a lone '\\r' included (progress bars).
const LINE_BREAK = /\\r\\n|\\n|\\r/;
const running = new Map();
let baseEnv = {};
let outbox = [];
let disconnected = false;
const send = (event) => { if (outbox.push(event) === 1) setImmediate(flushOutbox); };
const flushOutbox = () => { if (!disconnected) process.send(outbox); outbox = []; };
const signalGroup = (pid, signal) => { try { process.kill(-pid, signal); } catch {} };
process.on('message', (request) => { void start(request); });
process.on('disconnect', () => {
  disconnected = true;
  for (const pid of running.values()) signalGroup(pid, 'SIGTERM');
  setTimeout(() => { for (const pid of running.values()) signalGroup(pid, 'SIGKILL'); }, GRACE_MS).unref();
});
// Lines are split here rather than by readline: its two interfaces per stage, paid even by a
// silent one, cost more than the splitting. Returns what hands over an unterminated last line.
function forwardLines(id, stream, input) {
  let partial = '';
  let afterReturn = false;
  input.setEncoding('utf8');
  input.on('data', (chunk) => {
    // As readline's crlfDelay: Infinity, a '\\r' ending a chunk and a '\\n' starting the next are one break.
    if (afterReturn && chunk.charCodeAt(0) === 10) chunk = chunk.slice(1);
    afterReturn = chunk.endsWith('\\r');
    // Only the new chunk is searched, as the partial line holds no break: a long line costs no
    // more than a short one.
    const lines = chunk.split(LINE_BREAK);
    lines[0] = partial + lines[0];
    partial = lines.pop();
    if (lines.length > 0) send({ type: 'lines', id, stream, lines });
  });
  return () => { if (partial !== '') send({ type: 'lines', id, stream, lines: [partial] }); };
}
async function start({ id, cmd, cwd, env, baseEnv: newBaseEnv }) {
  if (newBaseEnv !== undefined) baseEnv = newBaseEnv;
  let result;
  try {
    // Inside the try: a command or environment too big for exec (E2BIG) throws right here.
    const child = spawn('/bin/sh', ['-c', cmd], {
      cwd, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    if (child.pid !== undefined) {
      running.set(id, child.pid);
      send({ type: 'spawned', id, pid: child.pid });
    }
    const lastLines = ['stdout', 'stderr'].map((stream) => forwardLines(id, stream, child[stream]));
    // 'close' comes after both streams ended, so every complete line has been handed over.
    const [exitCode, signal] = await once(child, 'close');
    for (const handOver of lastLines) handOver();
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
  /** The environment the command starts from, as it is now (weft passes `process.env`). */
  baseEnv: NodeJS.ProcessEnv;
  /** Set on top of `baseEnv`. */
  env: Record<string, string>;
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
  /** The base environment the launcher holds: the last one sent. */
  private sentBaseEnv: EnvSnapshot | undefined;

  constructor(private readonly onGone: () => void) {
    // No inherited env: the launcher needs none (each stage gets its own), and NODE_OPTIONS or
    // NODE_EXTRA_CA_CERTS would only slow its start or change its behaviour.
    this.child = spawn(process.execPath, ['-e', LAUNCHER_SOURCE], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {},
    });
    this.child.on('message', (events: LauncherEvent[]) => {
      for (const event of events) this.handle(event);
    });
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
    const baseEnv = this.baseEnvToSend(request.baseEnv);
    // A launcher that died a moment ago (its exit not handled yet) cannot take the request.
    this.child.send({ id, cmd, cwd, env, baseEnv }, (error) => {
      if (error) this.settle(id, { exitCode: null, signal: null, spawnError: error.message });
    });
    return { result, signal: (signal) => this.signal(id, signal) };
  }

  /**
   * The base environment when it differs from the one the launcher holds, else undefined. The
   * environment can change between runs (tests, `weft up`), so it is compared at each launch:
   * reading ~50 variables costs a fraction of sending and parsing them all.
   */
  private baseEnvToSend(baseEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv | undefined {
    const keys = Object.keys(baseEnv);
    if (this.sentBaseEnv !== undefined && isSameEnv(baseEnv, keys, this.sentBaseEnv)) {
      return undefined;
    }
    const values = keys.map((key) => baseEnv[key]);
    this.sentBaseEnv = { keys, values };
    return Object.fromEntries(keys.map((key, i) => [key, values[i]]));
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

interface EnvSnapshot {
  keys: string[];
  values: (string | undefined)[];
}

/** Same variables with the same values; the same ones in another order count as a change. */
function isSameEnv(env: NodeJS.ProcessEnv, keys: string[], snapshot: EnvSnapshot): boolean {
  return (
    keys.length === snapshot.keys.length &&
    keys.every((key, i) => key === snapshot.keys[i] && env[key] === snapshot.values[i])
  );
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
