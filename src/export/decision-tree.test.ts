import { DecisionTreeClassifier, DecisionTreeRegression } from 'ml-cart';
import { describe, expect, it } from 'vitest';
import { thrownWeftError } from '../../test/utils/fixtures.js';
import { readOnnxSignature } from '../evaluate/onnx-signature.js';
import { exportDecisionTreeClassifier, exportDecisionTreeRegression } from './decision-tree.js';
import {
  labelsOf,
  makeClasses,
  makeRegression,
  readMetadata,
  runExported,
  tensorRows,
} from './testing.js';

const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

function trainedClassifier(): { model: DecisionTreeClassifier; rows: number[][] } {
  const { rows, labels } = makeClasses(25);
  const model = new DecisionTreeClassifier({ maxDepth: 6, minNumSamples: 2 });
  model.train(rows, labels);
  return { model, rows };
}

/** One split on x: left leaf says class 0, right leaf class 1, as ml-cart writes its JSON. */
function splitAt(splitValue: number): object {
  return {
    name: 'DTClassifier',
    options: { kind: 'classifier', gainFunction: 'gini', splitFunction: 'mean' },
    root: {
      splitValue,
      splitColumn: 0,
      left: { distribution: [[1]] },
      right: { distribution: [[0.25, 0.75]] },
    },
  };
}

describe('exportDecisionTreeClassifier', () => {
  it('predicts the labels ml-cart predicts, with the leaf class shares as probabilities', async () => {
    const { model, rows } = trainedClassifier();
    const bytes = exportDecisionTreeClassifier(model, { featureNames: FEATURES });
    const { label, probabilities } = await runExported(bytes, rows);
    const expected = model.predict(rows);
    expect(new Set(expected).size).toBe(3);
    expect(labelsOf(label!)).toEqual(expected);
    tensorRows(probabilities!).forEach((p, i) => {
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(p.indexOf(Math.max(...p))).toBe(expected[i]);
    });
  });

  it('sends a value equal to the threshold right, and NaN right, as ml-cart does', async () => {
    const json = splitAt(2.5);
    const rows = [[2.4], [2.5], [2.6], [NaN]];
    const { label, probabilities } = await runExported(
      exportDecisionTreeClassifier(json, { featureNames: ['x'], classes: ['no', 'yes'] }),
      rows,
    );
    expect(DecisionTreeClassifier.load(json).predict(rows)).toEqual([0, 1, 1, 1]);
    expect(labelsOf(label!)).toEqual([0, 1, 1, 1]);
    // The left leaf never saw class 1: its share is 0, not missing.
    expect(tensorRows(probabilities!)).toEqual([
      [1, 0],
      [0.25, 0.75],
      [0.25, 0.75],
      [0.25, 0.75],
    ]);
  });

  it('sends a row holding the threshold value right, though float32 rounds it below', async () => {
    // ml-cart splits equal values with different labels at the value itself: 3.6 | 3.6 at 3.6.
    const json = splitAt(3.6);
    const rows = [[3.6], [3.5], [3.7]];
    expect(Math.fround(3.6)).toBeLessThan(3.6);
    const { label } = await runExported(
      exportDecisionTreeClassifier(json, { featureNames: ['x'] }),
      rows,
    );
    expect(DecisionTreeClassifier.load(json).predict(rows)).toEqual([1, 0, 1]);
    expect(labelsOf(label!)).toEqual([1, 0, 1]);
  });

  it('declares the classifier signature, names the classes and writes the same bytes for the JSON', () => {
    const { model } = trainedClassifier();
    const options = { featureNames: FEATURES, classes: ['setosa', 'versicolor', 'virginica'] };
    const bytes = exportDecisionTreeClassifier(model, options);
    expect(readOnnxSignature(bytes).outputs).toEqual([
      { name: 'label', datatype: 'INT64', shape: [-1] },
      { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
    ]);
    expect(readMetadata(bytes).classes).toBe('["setosa","versicolor","virginica"]');
    const json = JSON.parse(JSON.stringify(model.toJSON())) as object;
    expect(exportDecisionTreeClassifier(json, options)).toEqual(bytes);
  });

  it('refuses fewer class names than classes, feature names that miss a split, and a regression', () => {
    const { model } = trainedClassifier();
    const cases: [() => unknown, RegExp][] = [
      [
        () => exportDecisionTreeClassifier(model, { featureNames: FEATURES, classes: ['a', 'b'] }),
        /predicts 3 classes but classes names 2/,
      ],
      [
        () => exportDecisionTreeClassifier(splitAt(1), { featureNames: [] }),
        /splits on feature column 0 but featureNames has 0/,
      ],
      [
        () => exportDecisionTreeClassifier({ name: 'DTRegression' }, { featureNames: ['x'] }),
        /name is "DTRegression", expected "DTClassifier"/,
      ],
    ];
    for (const [run, message] of cases) expect(thrownWeftError(run).message).toMatch(message);
  });
});

describe('exportDecisionTreeRegression', () => {
  it('predicts the leaf means ml-cart predicts, to float32 precision', async () => {
    const { rows, values } = makeRegression(60);
    const model = new DecisionTreeRegression({ maxDepth: 5 });
    model.train(rows, values);
    const bytes = exportDecisionTreeRegression(model, { featureNames: ['a', 'b', 'c'] });
    const { variable } = await runExported(bytes, rows);
    const expected = model.predict(rows);
    expect(new Set(expected).size).toBeGreaterThan(5);
    tensorRows(variable!).forEach(([value = NaN], i) => {
      expect(value).toBe(Math.fround(expected[i] ?? NaN));
    });
    expect(readOnnxSignature(bytes).outputs).toEqual([
      { name: 'variable', datatype: 'FP32', shape: [-1, 1] },
    ]);
  });

  it('exports a tree that is a single leaf', async () => {
    const json = { name: 'DTRegression', root: { distribution: 4.25 } };
    const bytes = exportDecisionTreeRegression(json, { featureNames: ['a'], outputName: 'y' });
    const { y } = await runExported(bytes, [[1], [2]]);
    expect(tensorRows(y!)).toEqual([[4.25], [4.25]]);
  });
});
