/**
 * Predictions waiting for their true labels, by request id. Bounded twice: an entry older than
 * `retentionMs` (relative to the newest time the caller has passed) is dropped, and past
 * `maxPending` entries the oldest goes first — a Map iterates in insertion order, so the oldest
 * is always at the front. An answered entry stays, without its labels, until it ages out, so a
 * second answer for the same id is recognised as a duplicate rather than an unknown id.
 */

export interface PendingPrediction<Target> {
  servedAt: number;
  /** Predicted labels, one per row; null once the feedback has been taken. */
  predicted: readonly string[] | null;
  /** What the feedback is credited to. */
  target: Target;
}

export type PendingLookup<Target> =
  | { status: 'pending'; prediction: PendingPrediction<Target> }
  | { status: 'unknown' }
  | { status: 'answered' };

export class PendingFeedback<Target> {
  private readonly entries = new Map<string, PendingPrediction<Target>>();

  constructor(
    readonly maxPending: number,
    readonly retentionMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** A reused request id replaces the earlier prediction and moves to the back. */
  add(requestId: string, prediction: PendingPrediction<Target>): void {
    this.evictExpired(prediction.servedAt);
    this.entries.delete(requestId);
    this.entries.set(requestId, prediction);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxPending) break;
      this.entries.delete(oldest);
    }
  }

  lookup(requestId: string, now: number): PendingLookup<Target> {
    this.evictExpired(now);
    const prediction = this.entries.get(requestId);
    // Entries are in arrival order, not strictly in time order: one may have expired unswept.
    if (prediction === undefined || this.isExpired(prediction, now)) return { status: 'unknown' };
    if (prediction.predicted === null) return { status: 'answered' };
    return { status: 'pending', prediction };
  }

  /** Marks a pending prediction answered; its labels are no longer needed. */
  settle(prediction: PendingPrediction<Target>): void {
    prediction.predicted = null;
  }

  private evictExpired(now: number): void {
    for (const [requestId, prediction] of this.entries) {
      if (!this.isExpired(prediction, now)) break;
      this.entries.delete(requestId);
    }
  }

  private isExpired(prediction: PendingPrediction<Target>, now: number): boolean {
    return prediction.servedAt < now - this.retentionMs;
  }
}
