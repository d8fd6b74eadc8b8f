import type { ModelSignature } from '../registry/types.js';
import type { ReferenceData } from './evidence/index.js';
import type { InferRequest, InferResult, ModelRuntime } from './types.js';

export interface VersionInfo {
  model: string;
  /** As OIP URLs and responses spell it: the registry's version number, as text. */
  version: string;
  digest: string;
  platform: string;
  signature: ModelSignature;
  /** Names of the columns of the (first) input, for drift per feature; default `input[j]`. */
  featureNames?: string[];
  /** Class names in label-index order, so predictions and feedback read as names. */
  classes?: string[];
  /** The data live inputs are compared with for drift (e.g. the evaluation dataset). */
  reference?: ReferenceData;
}

/**
 * A model version in service. Counting requests in flight lets a swap retire the old version
 * without failing one of them: retire() closes the runtime only once the last has finished.
 */
export class LoadedVersion {
  #inFlight = 0;
  #retiring: (() => void) | undefined;
  #retired: Promise<void> | undefined;

  constructor(
    readonly info: VersionInfo,
    readonly runtime: ModelRuntime,
    readonly infer: (request: InferRequest) => Promise<InferResult> = (request) =>
      runtime.infer(request),
  ) {}

  get ready(): boolean {
    return this.#retired === undefined && this.runtime.ready;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Runs a request. Call it in the same synchronous step that picked this version from the
   * routing table, so a retire() that starts later always sees it counted.
   */
  async serve(request: InferRequest): Promise<InferResult> {
    this.#inFlight += 1;
    try {
      return await this.infer(request);
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) this.#retiring?.();
    }
  }

  /** Waits for the requests in flight, then closes the runtime. Idempotent. */
  retire(): Promise<void> {
    this.#retired ??= (async () => {
      if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#retiring = resolve));
      await this.runtime.close();
    })();
    return this.#retired;
  }
}
