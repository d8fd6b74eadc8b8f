import type { MetadataStore, NewStageExecution } from '../registry/types.js';

export interface StageRecorderLimits {
  /** Queued records that are written at once, without waiting for the delay. */
  maxBatch: number;
  /** The longest a record waits in the queue before it is written. */
  maxDelayMs: number;
}

/**
 * 25 ms: a live `weft show` or dashboard sees a finished stage that much later at most, which
 * nobody watching notices; a run killed with SIGKILL loses at most the records of the stages
 * that finished in that window (their outputs and run cache entries are already stored, so
 * the next run restores them). Long enough to gather stages that finish together: a cold run
 * of 100 small stages finishes one every ~20 ms.
 */
export const DEFAULT_RECORDER_LIMITS: StageRecorderLimits = { maxBatch: 50, maxDelayMs: 25 };

/**
 * Writes a run's stage executions behind the stages: `record` queues and returns at once, and
 * the queue goes to the store in one transaction per batch instead of one per stage. A batch
 * leaves after `maxDelayMs`, or as soon as `maxBatch` are queued; records that arrive while a
 * batch is being written go in the next one, right after it.
 */
export class StageRecorder {
  readonly #store: Pick<MetadataStore, 'recordStageExecutions'>;
  readonly #limits: StageRecorderLimits;
  #queue: NewStageExecution[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;

  constructor(
    store: Pick<MetadataStore, 'recordStageExecutions'>,
    limits: StageRecorderLimits = DEFAULT_RECORDER_LIMITS,
  ) {
    this.#store = store;
    this.#limits = limits;
  }

  /**
   * Queues an execution. Once a write has failed it throws that failure instead, so that the
   * stages after it fail as they did when each awaited its own write.
   */
  record(execution: NewStageExecution): void {
    if (this.#failure) throw this.#failure.error;
    this.#queue.push(execution);
    if (this.#writing) return;
    if (this.#queue.length >= this.#limits.maxBatch) this.#writeQueue();
    else this.#timer ??= setTimeout(() => this.#writeQueue(), this.#limits.maxDelayMs);
  }

  /** Resolves once every queued execution is written; rejects with the first failed write. */
  async drain(): Promise<void> {
    this.#writeQueue();
    while (this.#writing) await this.#writing;
    if (this.#failure) throw this.#failure.error;
  }

  #writeQueue(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#writing || this.#queue.length === 0) return;
    const batch = this.#queue.splice(0, this.#limits.maxBatch);
    this.#writing = this.#write(batch).then(() => {
      this.#writing = undefined;
      this.#writeQueue();
    });
  }

  async #write(batch: NewStageExecution[]): Promise<void> {
    try {
      await this.#store.recordStageExecutions(batch);
    } catch (error) {
      this.#failure ??= { error };
    }
  }
}
