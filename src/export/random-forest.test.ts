import { RandomForestClassifier, RandomForestRegression } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import { thrownWeftError } from '../../test/utils/fixtures.js';
import { readOnnxSignature } from '../evaluate/onnx-signature.js';
import { exportRandomForestClassifier, exportRandomForestRegression } from './random-forest.js';
import {
  labelsOf,
  makeClasses,
  makeRegression,
  readMetadata,
  runExported,
  tensorRows,
} from './testing.js';

const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

/** A tree sending x < 0.5 to class `below` and the rest to class `above`. */
function stump(below: number, above: number): object {
  const shares = (k: number) => [Array.from({ length: k + 1 }, (_, i) => (i === k ? 1 : 0))];
  return {
    name: 'DTClassifier',
    options: { kind: 'classifier' },
    root: {
      splitValue: 0.5,
      splitColumn: 0,
      left: { distribution: shares(below) },
      right: { distribution: shares(above) },
    },
  };
}

function forestOf(trees: [number, number][]): object {
  return {
    name: 'RFClassifier',
    baseModel: {
      isClassifier: true,
      nEstimators: trees.length,
      indexes: trees.map(() => [0]),
      estimators: trees.map(([b, a]) => stump(b, a)),
    },
  };
}

describe('exportRandomForestClassifier', () => {
  it('predicts the labels ml.js predicts, with the vote shares as probabilities', async () => {
    const { rows, labels } = makeClasses(25);
    // Three of four columns per tree, drawn with replacement: the column mapping is exercised.
    const model = new RandomForestClassifier({
      nEstimators: 15,
      maxFeatures: 0.75,
      seed: 3,
      noOOB: true,
    });
    model.train(rows, labels);
    const bytes = exportRandomForestClassifier(model, { featureNames: FEATURES });
    const { label, probabilities } = await runExported(bytes, rows);
    const expected = model.predict(rows);
    expect(new Set(expected).size).toBe(3);
    expect(labelsOf(label!)).toEqual(expected);
    // predictProbability adds to the first tree's vote (a reduce without a start value), so
    // the shares come from the trees' own predictions.
    const votes = model.predictionValues(rows).to2DArray();
    const shares = votes.map((row) => [0, 1, 2].map((k) => row.filter((v) => v === k).length / 15));
    expect(tensorRows(probabilities!)).toEqual(shares.map((row) => row.map(Math.fround)));
  });

  it('breaks a tied vote for the class that reached the count first, as ml.js does', async () => {
    // x = 0 votes 1, 0, 1, 0 (class 1 reaches 2 first); x = 1 votes 0, 1, 0, 1, 2.
    const json = forestOf([
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
      [0, 2],
    ]);
    const rows = [[0], [1]];
    const expected = RandomForestClassifier.load(json as never).predict(rows);
    expect(expected).toEqual([0, 0]);
    const tied = forestOf([
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
      [2, 2],
    ]);
    const tiedExpected = RandomForestClassifier.load(tied as never).predict(rows);
    expect(tiedExpected).toEqual([1, 0]);
    const { label, probabilities } = await runExported(
      exportRandomForestClassifier(tied, { featureNames: ['x'] }),
      rows,
    );
    expect(labelsOf(label!)).toEqual(tiedExpected);
    expect(tensorRows(probabilities!)).toEqual(
      [
        [0.4, 0.4, 0.2],
        [0.4, 0.4, 0.2],
      ].map((row) => row.map(Math.fround)),
    );
    const { label: untied } = await runExported(
      exportRandomForestClassifier(json, { featureNames: ['x'] }),
      rows,
    );
    expect(labelsOf(untied!)).toEqual(expected);
  });

  it('declares the classifier signature and accepts more class names than votes seen', () => {
    const bytes = exportRandomForestClassifier(forestOf([[0, 1]]), {
      featureNames: ['x'],
      classes: ['a', 'b', 'c'],
    });
    expect(readOnnxSignature(bytes).outputs).toEqual([
      { name: 'label', datatype: 'INT64', shape: [-1] },
      { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
    ]);
    expect(readMetadata(bytes)).toEqual({ feature_names: '["x"]', classes: '["a","b","c"]' });
  });

  it('refuses a forest whose trees read columns featureNames does not name', () => {
    const json = forestOf([[0, 1]]) as { baseModel: { indexes: number[][] } };
    json.baseModel.indexes = [[3]];
    const error = thrownWeftError(() =>
      exportRandomForestClassifier(json, { featureNames: ['x'] }),
    );
    expect(error.message).toMatch(/splits on feature column 3 but featureNames has 1/);
  });
});

describe('exportRandomForestRegression', () => {
  const { rows, values } = makeRegression(50);

  it.each(['mean', 'median'] as const)(
    'predicts the %s of the trees as ml.js does, to float32 precision',
    async (selectionMethod) => {
      const model = new RandomForestRegression({
        nEstimators: 8,
        maxFeatures: 2,
        selectionMethod,
        seed: 5,
      });
      model.train(rows, values);
      const bytes = exportRandomForestRegression(model, { featureNames: ['a', 'b', 'c'] });
      const { variable } = await runExported(bytes, rows);
      const expected = model.predict(rows);
      tensorRows(variable!).forEach(([value = NaN], i) => {
        const want = expected[i] ?? NaN;
        expect(Math.abs(value - want)).toBeLessThanOrEqual(Math.abs(want) * 2 ** -23);
      });
      expect(readOnnxSignature(bytes).outputs).toEqual([
        { name: 'variable', datatype: 'FP32', shape: [-1, 1] },
      ]);
    },
  );

  it('writes the same bytes for the model and for its JSON', () => {
    const model = new RandomForestRegression({ nEstimators: 3, seed: 1, noOOB: true });
    model.train(rows, values);
    const bytes = exportRandomForestRegression(model, { featureNames: ['a', 'b', 'c'] });
    const json = JSON.parse(JSON.stringify(model.toJSON())) as object;
    expect(exportRandomForestRegression(json, { featureNames: ['a', 'b', 'c'] })).toEqual(bytes);
  });
});
