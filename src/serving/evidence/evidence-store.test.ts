import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../core/errors.js';
import { EvidenceStore } from './evidence-store.js';
import { normalSample } from './test-support.js';
import type { Label, PredictionRecord } from './types.js';

const HOUR = 60 * 60 * 1000;
const EVERYTHING = { from: -Infinity, to: Infinity };

/** A one-row request of model `m`, served at `at`, predicting `label`. */
function request(id: string, at: number, label: Label, version = 'v1'): PredictionRecord {
  return {
    requestId: id,
    model: 'm',
    version,
    at,
    inputs: [{ x: at }],
    predictedLabels: [label],
  };
}

describe('EvidenceStore feedback', () => {
  it('matches feedback to the prediction by request id and counts correct rows', () => {
    const store = new EvidenceStore();
    store.recordPrediction({
      requestId: 'r1',
      model: 'm',
      version: 'v1',
      at: 1000,
      inputs: [{ x: 1 }, { x: 2 }, { x: 3 }],
      predictedLabels: ['cat', 'dog', 1],
    });
    // Labels compare as strings: the number 1 and "1" are the same label.
    expect(store.recordFeedback('r1', ['cat', 'cat', '1'], 5 * HOUR)).toEqual({
      matched: true,
      correct: 2,
      total: 3,
    });
    expect(store.onlineAccuracy('m', 'v1', EVERYTHING)).toEqual({
      correct: 2,
      total: 3,
      accuracy: 2 / 3,
    });
  });

  it('reports unknown ids, counts the first answer only, and lets a miscounted one be retried', () => {
    const store = new EvidenceStore();
    store.recordPrediction(request('r1', 0, 'a'));
    expect(store.recordFeedback('nope', ['a'], 1)).toEqual({
      matched: false,
      reason: 'unknown-or-expired',
    });
    expect(store.recordFeedback('r1', ['a', 'b'], 1)).toEqual({
      matched: false,
      reason: 'label-count-mismatch',
    });
    expect(store.recordFeedback('r1', ['b'], 2)).toMatchObject({ matched: true, correct: 0 });
    expect(store.recordFeedback('r1', ['a'], 3)).toEqual({ matched: false, reason: 'duplicate' });
    expect(store.onlineAccuracy('m', 'v1', EVERYTHING)).toEqual({
      correct: 0,
      total: 1,
      accuracy: 0,
    });
  });

  it('awaits no feedback for a request without predicted labels', () => {
    const store = new EvidenceStore();
    store.recordPrediction({
      requestId: 'r1',
      model: 'm',
      version: 'v1',
      at: 0,
      inputs: [{ x: 1 }],
    });
    expect(store.recordFeedback('r1', ['a'], 1)).toMatchObject({ matched: false });
  });

  it('expires a prediction after retentionMs', () => {
    const store = new EvidenceStore({ retentionMs: HOUR });
    store.recordPrediction(request('old', 0, 'a'));
    store.recordPrediction(request('edge', 10, 'a'));
    expect(store.recordFeedback('edge', ['a'], HOUR + 10)).toMatchObject({ matched: true });
    expect(store.recordFeedback('old', ['a'], HOUR + 10)).toEqual({
      matched: false,
      reason: 'unknown-or-expired',
    });
  });

  it('evicts the oldest prediction past maxPending', () => {
    const store = new EvidenceStore({ maxPending: 2 });
    for (const [i, id] of ['r1', 'r2', 'r3'].entries()) store.recordPrediction(request(id, i, 'a'));
    expect(store.recordFeedback('r1', ['a'], 3)).toMatchObject({ matched: false });
    expect(store.recordFeedback('r2', ['a'], 3)).toMatchObject({ matched: true });
    expect(store.recordFeedback('r3', ['a'], 3)).toMatchObject({ matched: true });
  });

  it('credits accuracy to the time the prediction was served, per version, window inclusive', () => {
    const store = new EvidenceStore();
    store.recordPrediction(request('early', 100, 'a'));
    store.recordPrediction(request('late', 200, 'a'));
    store.recordPrediction(request('other', 150, 'a', 'v2'));
    for (const id of ['early', 'late', 'other']) store.recordFeedback(id, ['a'], 10 * HOUR);
    expect(store.onlineAccuracy('m', 'v1', { from: 100, to: 199 })).toMatchObject({ total: 1 });
    expect(store.onlineAccuracy('m', 'v1', { from: 100, to: 200 })).toMatchObject({ total: 2 });
    expect(store.onlineAccuracy('m', 'v1', { from: 201, to: 10 * HOUR })).toEqual({
      correct: 0,
      total: 0,
      accuracy: null,
    });
    expect(store.onlineAccuracy('m', 'v2', EVERYTHING)).toMatchObject({ total: 1 });
    expect(store.onlineAccuracy('m', 'v3', EVERYTHING)).toMatchObject({ accuracy: null });
  });

  it('refuses labels that do not match the rows one for one', () => {
    const store = new EvidenceStore();
    let error: unknown;
    try {
      store.recordPrediction({ ...request('r', 0, 'a'), predictedLabels: ['a', 'b'] });
    } catch (caught) {
      error = caught;
    }
    expect(isWeftError(error, 'USAGE')).toBe(true);
  });
});

describe('EvidenceStore drift', () => {
  const reference = {
    numeric: { age: normalSample(800, 1, 40, 10) },
    categorical: {
      colour: [...Array<string>(400).fill('red'), ...Array<string>(400).fill('blue')],
    },
  };

  /** `rows` requests of one row each, one per ms from `start`, ages drawn around `meanAge`. */
  function serve(
    store: EvidenceStore,
    version: string,
    start: number,
    rows: number,
    meanAge: number,
    red: number,
  ): void {
    const ages = normalSample(rows, start + 7, meanAge, 10);
    for (let i = 0; i < rows; i++) {
      store.recordPrediction({
        requestId: `${version}-${start + i}`,
        model: 'm',
        version,
        at: start + i,
        inputs: [{ age: ages[i]!, colour: i % 100 < red ? 'red' : 'blue' }],
      });
    }
  }

  it('compares the sampled inputs in the window with the reference, feature by feature', () => {
    const store = new EvidenceStore({ reservoirCapacity: 500 });
    serve(store, 'v1', 0, 400, 40, 50);
    serve(store, 'v1', 1000, 400, 55, 90);
    const before = store.inputDrift('m', 'v1', reference, { from: 0, to: 999 });
    expect(before.sampleSize).toBeGreaterThan(100);
    expect(before.features.age).toMatchObject({ kind: 'numeric', method: 'ks', drifted: false });
    expect(before.features.colour).toMatchObject({ method: 'chisquare', drifted: false });
    const after = store.inputDrift('m', 'v1', reference, { from: 1000, to: 1999 });
    expect(after.features.age).toMatchObject({ drifted: true });
    expect(after.features.colour).toMatchObject({ drifted: true });
    expect(after.sampleSize + before.sampleSize).toBe(500);
  });

  it('reads compact numeric matrices and skips features with nothing to compare', () => {
    const store = new EvidenceStore();
    const ages = normalSample(300, 3, 40, 10);
    store.recordPrediction({
      requestId: 'batch',
      model: 'm',
      version: 'v1',
      at: 0,
      inputs: { columns: ['age', 'height'], values: [...ages].flatMap((age) => [age, 170]) },
    });
    const report = store.inputDrift('m', 'v1', reference, EVERYTHING);
    expect(report.sampleSize).toBe(300);
    expect(report.features.age).toMatchObject({ drifted: false, currentSize: 300 });
    expect(report.skipped).toEqual(['colour']);
    expect(store.inputDrift('m', 'v2', reference, EVERYTHING)).toEqual({
      sampleSize: 0,
      features: {},
      skipped: ['age', 'colour'],
    });
  });

  it('tells whether two versions predict labels in different proportions', () => {
    const store = new EvidenceStore();
    const labelsOf = (share: number) => (i: number) => (i % 100 < share ? 'yes' : 'no');
    const serveLabels = (version: string, share: number): void => {
      for (let i = 0; i < 400; i++)
        store.recordPrediction(request(`${version}-${i}`, i, labelsOf(share)(i), version));
    };
    serveLabels('stable', 30);
    serveLabels('same', 32);
    serveLabels('canary', 60);
    expect(store.predictionDrift('m', 'stable', 'same', EVERYTHING)).toMatchObject({
      method: 'chisquare',
      drifted: false,
    });
    expect(store.predictionDrift('m', 'stable', 'canary', EVERYTHING)).toMatchObject({
      method: 'chisquare',
      drifted: true,
      referenceSize: 400,
      currentSize: 400,
    });
    expect(store.predictionDrift('m', 'stable', 'canary', { from: 1000, to: 2000 })).toBeNull();
  });

  it('keeps at most reservoirCapacity rows per version and forgets a version on request', () => {
    const store = new EvidenceStore({ reservoirCapacity: 50 });
    serve(store, 'v1', 0, 5000, 40, 50);
    expect(store.inputDrift('m', 'v1', reference, EVERYTHING).sampleSize).toBe(50);
    store.forgetVersion('m', 'v1');
    expect(store.inputDrift('m', 'v1', reference, EVERYTHING).sampleSize).toBe(0);
  });
});
