/**
 * Keeps one external runtime process running: start it, wait until it answers ready, and when it
 * dies or never gets ready, start it again after a growing wait. Readiness is what the model
 * server reports and what lets requests through.
 *
 *   launch ──> starting ──ready probe ok──> ready ──exit──┐
 *                 │ exit / start timeout                   │
 *                 └───────────> stop group <───────────────┘
 *                                   │
 *                     wait nextBackoffDelay ──> launch again (until close)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { nextBackoffDelay, type BackoffPolicy } from './backoff.js';
import type { ProcessExit, RuntimeLogger, RuntimeProcess } from './runtime-process.js';

export interface SupervisorOptions {
  /** Spawns a fresh process (picking its port); rejects when it cannot be spawned. */
  launch(): Promise<RuntimeProcess>;
  /** Whether the process on `port` answers ready; never throws. */
  probeReady(port: number): Promise<boolean>;
  startTimeoutMs: number;
  backoff: BackoffPolicy;
  killGraceMs: number;
  logger: RuntimeLogger;
  logFields: object;
}

export interface SupervisorStatus {
  ready: boolean;
  pid: number | undefined;
  /** Processes started after the first one. */
  restarts: number;
  lastExit?: ProcessExit;
}

const PROBE_INTERVAL_MS = 100;

type StartOutcome = 'ready' | 'exited' | 'timed-out' | 'closing';

export class ProcessSupervisor {
  private current: RuntimeProcess | undefined;
  private isReady = false;
  private restarts = 0;
  private lastExit: ProcessExit | undefined;
  private readonly closing = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  private constructor(private readonly options: SupervisorOptions) {}

  /** Spawns the first process and supervises from there; rejects only if that spawn fails. */
  static async start(options: SupervisorOptions): Promise<ProcessSupervisor> {
    const supervisor = new ProcessSupervisor(options);
    const first = await options.launch();
    supervisor.loop = supervisor.supervise(first);
    return supervisor;
  }

  /** The port of the process while it is ready, else undefined. */
  get readyPort(): number | undefined {
    return this.isReady ? this.current?.port : undefined;
  }

  status(): SupervisorStatus {
    const { isReady: ready, restarts, lastExit } = this;
    return { ready, pid: this.current?.pid, restarts, ...(lastExit && { lastExit }) };
  }

  /** Stops restarting, stops the running process group, resolves once it is gone. */
  async close(): Promise<void> {
    this.closing.abort();
    this.isReady = false;
    await this.current?.stop(this.options.killGraceMs);
    await this.loop;
  }

  private get isClosing(): boolean {
    return this.closing.signal.aborted;
  }

  private async supervise(first: RuntimeProcess): Promise<void> {
    let next: RuntimeProcess | undefined = first;
    let delayMs: number | undefined;
    for (;;) {
      const servedMs = next ? await this.runUntilExit(next) : 0;
      if (this.isClosing) return;
      delayMs = nextBackoffDelay(this.options.backoff, delayMs, servedMs);
      this.log('info', { delayMs }, `restarting external runtime in ${delayMs} ms`);
      await sleep(delayMs, undefined, { signal: this.closing.signal }).catch(() => undefined);
      next = await this.relaunch();
    }
  }

  /** Runs one process to its end; returns how long it was ready (0 if it never was). */
  private async runUntilExit(proc: RuntimeProcess): Promise<number> {
    this.current = proc;
    this.log('info', { pid: proc.pid, port: proc.port }, 'external runtime process started');
    const startedAt = Date.now();
    const outcome = await this.waitUntilReady(proc);
    const readyAt = Date.now();
    if (outcome === 'ready') {
      this.isReady = true;
      this.log('info', { startMs: readyAt - startedAt }, 'external runtime is ready');
      await proc.exited;
      this.isReady = false;
    }
    this.lastExit = await proc.stop(this.options.killGraceMs);
    this.current = undefined;
    if (!this.isClosing) {
      const { code, signal } = this.lastExit;
      this.log('error', { pid: proc.pid, code, signal }, this.describeEnd(outcome));
    }
    return outcome === 'ready' ? Date.now() - readyAt : 0;
  }

  private async waitUntilReady(proc: RuntimeProcess): Promise<StartOutcome> {
    let hasExited = false;
    void proc.exited.then(() => (hasExited = true));
    const deadline = Date.now() + this.options.startTimeoutMs;
    for (;;) {
      if (this.isClosing) return 'closing';
      if (hasExited) return 'exited';
      if (Date.now() >= deadline) return 'timed-out';
      if ((await this.options.probeReady(proc.port)) && !hasExited && !this.isClosing) {
        return 'ready';
      }
      await Promise.race([sleep(PROBE_INTERVAL_MS), proc.exited]);
    }
  }

  private describeEnd(outcome: StartOutcome): string {
    if (outcome === 'ready') return 'external runtime process exited unexpectedly';
    if (outcome === 'exited') return 'external runtime process exited before it was ready';
    return `external runtime was not ready within ${this.options.startTimeoutMs} ms; stopped it`;
  }

  private async relaunch(): Promise<RuntimeProcess | undefined> {
    if (this.isClosing) return undefined;
    this.restarts += 1;
    try {
      return await this.options.launch();
    } catch (error) {
      this.log('error', { err: error }, 'failed to start external runtime process');
      return undefined;
    }
  }

  private log(level: keyof RuntimeLogger, fields: object, message: string): void {
    this.options.logger[level]({ ...this.options.logFields, ...fields }, message);
  }
}
