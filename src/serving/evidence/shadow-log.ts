/** How a shadow's answer compared with the primary's, as a rollout analysis counts it. */
export interface ShadowOutcome {
  at: number;
  /** null: the shadow failed to answer. */
  agree: boolean | null;
}

export interface ShadowStats {
  requests: number;
  agreements: number;
  errors: number;
  /** Agreements over answered requests; null when none answered. */
  agreementRate: number | null;
  errorRate: number | null;
}

/** The last `capacity` shadow comparisons per version, for a shadow rollout's verdict. */
export class ShadowLog {
  readonly #capacity: number;
  readonly #versions = new Map<string, ShadowOutcome[]>();

  constructor(capacity = 20_000) {
    this.#capacity = capacity;
  }

  record(model: string, version: string, outcome: ShadowOutcome): void {
    const key = `${model}@${version}`;
    const outcomes = this.#versions.get(key) ?? [];
    outcomes.push(outcome);
    if (outcomes.length > this.#capacity) outcomes.splice(0, outcomes.length - this.#capacity);
    this.#versions.set(key, outcomes);
  }

  stats(model: string, version: string, window: { from: number; to: number }): ShadowStats {
    let requests = 0;
    let agreements = 0;
    let errors = 0;
    for (const { at, agree } of this.#versions.get(`${model}@${version}`) ?? []) {
      if (at < window.from || at > window.to) continue;
      requests++;
      if (agree === null) errors++;
      else if (agree) agreements++;
    }
    const answered = requests - errors;
    return {
      requests,
      agreements,
      errors,
      agreementRate: answered > 0 ? agreements / answered : null,
      errorRate: requests > 0 ? errors / requests : null,
    };
  }
}
