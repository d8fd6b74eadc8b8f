/** One answered (or failed) request, as a rollout analysis counts it. */
export interface RequestOutcome {
  at: number;
  status: number;
  latencyMs: number;
}

export interface RequestStats {
  requests: number;
  /** Answers with a 5xx status: the server's or the model's fault, not the client's. */
  errors: number;
  errorRate: number | null;
  p99LatencyMs: number | null;
}

/**
 * The last `capacity` request outcomes per version, in a ring, for error rate and latency over
 * a window: what Flagger reads from Prometheus, kept in process so `weft up` needs nothing else.
 */
export class RequestLog {
  readonly #capacity: number;
  readonly #versions = new Map<
    string,
    { at: Float64Array; status: Uint16Array; latency: Float64Array; next: number; size: number }
  >();

  constructor(capacity = 20_000) {
    this.#capacity = capacity;
  }

  record(model: string, version: string, outcome: RequestOutcome): void {
    const key = `${model}@${version}`;
    let ring = this.#versions.get(key);
    if (!ring) {
      const n = this.#capacity;
      ring = {
        at: new Float64Array(n),
        status: new Uint16Array(n),
        latency: new Float64Array(n),
        next: 0,
        size: 0,
      };
      this.#versions.set(key, ring);
    }
    ring.at[ring.next] = outcome.at;
    ring.status[ring.next] = outcome.status;
    ring.latency[ring.next] = outcome.latencyMs;
    ring.next = (ring.next + 1) % this.#capacity;
    ring.size = Math.min(ring.size + 1, this.#capacity);
  }

  /** Outcomes inside [from, to] (inclusive, ms since the epoch). */
  stats(model: string, version: string, window: { from: number; to: number }): RequestStats {
    const ring = this.#versions.get(`${model}@${version}`);
    const latencies: number[] = [];
    let errors = 0;
    for (let i = 0; ring && i < ring.size; i++) {
      const at = ring.at[i] as number;
      if (at < window.from || at > window.to) continue;
      latencies.push(ring.latency[i] as number);
      if ((ring.status[i] as number) >= 500) errors++;
    }
    const requests = latencies.length;
    if (requests === 0) return { requests, errors, errorRate: null, p99LatencyMs: null };
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.min(requests - 1, Math.ceil(0.99 * requests) - 1)] as number;
    return { requests, errors, errorRate: errors / requests, p99LatencyMs: p99 };
  }

  forget(model: string, version: string): void {
    this.#versions.delete(`${model}@${version}`);
  }
}
