/**
 * The labelled outcomes of one model version, each timed by when its prediction was served (so
 * a window asks "how right were the answers given then", however late the labels came). A ring
 * buffer: past `capacity` outcomes the oldest recorded is dropped.
 */
import type { OnlineAccuracy, TimeWindow } from './types.js';

export class AccuracyLog {
  private readonly servedAt: Float64Array;
  private readonly correct: Uint32Array;
  private readonly total: Uint32Array;
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.servedAt = new Float64Array(capacity);
    this.correct = new Uint32Array(capacity);
    this.total = new Uint32Array(capacity);
  }

  /** One answered request: `correct` of its `total` rows were labelled as predicted. */
  add(servedAt: number, correct: number, total: number): void {
    this.servedAt[this.next] = servedAt;
    this.correct[this.next] = correct;
    this.total[this.next] = total;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  within(window: TimeWindow): OnlineAccuracy {
    let correct = 0;
    let total = 0;
    for (let i = 0; i < this.size; i++) {
      const at = this.servedAt[i]!;
      if (at < window.from || at > window.to) continue;
      correct += this.correct[i]!;
      total += this.total[i]!;
    }
    return { correct, total, accuracy: total === 0 ? null : correct / total };
  }
}
