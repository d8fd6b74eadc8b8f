import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { thrownWeftError } from '../../test/utils/fixtures.js';
import { readOnnxSignature } from '../evaluate/onnx-signature.js';
import { exportLogisticRegression } from './logistic-regression.js';
import { labelsOf, makeClasses, readMetadata, runExported, tensorRows } from './testing.js';

const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const CLASSES = ['setosa', 'versicolor', 'virginica'];

function trained(): { model: LogisticRegression; rows: number[][] } {
  const { rows, labels } = makeClasses(20);
  const model = new LogisticRegression({ numSteps: 1500, learningRate: 5e-3 });
  model.train(new Matrix(rows), Matrix.columnVector(labels));
  return { model, rows };
}

/** A model whose classes score x * w_k with the given weights, for hand-made cases. */
function oneFeatureModel(weights: number[]): object {
  return {
    name: 'LogisticRegression',
    numberClasses: weights.length,
    classifiers: weights.map((w) => ({ weights: [[w]] })),
  };
}

describe('exportLogisticRegression', () => {
  it('predicts the labels ml.js predicts', async () => {
    const { model, rows } = trained();
    const bytes = exportLogisticRegression(model, { featureNames: FEATURES, classes: CLASSES });
    const { label } = await runExported(bytes, rows);
    const expected = model.predict(new Matrix(rows));
    expect(new Set(expected).size).toBe(3);
    expect(labelsOf(label!)).toEqual(expected);
  });

  it('gives one-vs-rest probabilities that sum to 1 and rank the label first', async () => {
    const { model, rows } = trained();
    const bytes = exportLogisticRegression(model, { featureNames: FEATURES });
    const { label, probabilities } = await runExported(bytes, rows);
    const labels = labelsOf(label!);
    tensorRows(probabilities!).forEach((p, i) => {
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(p.indexOf(Math.max(...p))).toBe(labels[i]);
    });
  });

  it('breaks ties between saturated scores as ml.js does, for the first class', async () => {
    // Every class's "not this class" score rounds to 1.0 in float64 for x = 1.
    const json = oneFeatureModel([50, 60, 40]);
    const rows = [[1], [-1], [0.01]];
    const { label, probabilities } = await runExported(
      exportLogisticRegression(json, { featureNames: ['x'] }),
      rows,
    );
    const expected = LogisticRegression.load(json).predict(new Matrix(rows));
    expect(expected[0]).toBe(0);
    expect(labelsOf(label!)).toEqual(expected);
    expect(tensorRows(probabilities!).flat().every(Number.isFinite)).toBe(true);
  });

  it('declares the classifier signature and names features and classes', () => {
    const bytes = exportLogisticRegression(trained().model, {
      featureNames: FEATURES,
      classes: CLASSES,
    });
    expect(readOnnxSignature(bytes)).toEqual({
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
      ],
    });
    expect(readMetadata(bytes)).toEqual({
      feature_names: JSON.stringify(FEATURES),
      classes: JSON.stringify(CLASSES),
    });
  });

  it('writes the same bytes for the model and for its JSON', () => {
    const { model } = trained();
    const bytes = exportLogisticRegression(model, { featureNames: FEATURES });
    const json = JSON.parse(JSON.stringify(model.toJSON())) as object;
    expect(exportLogisticRegression(json, { featureNames: FEATURES })).toEqual(bytes);
    expect(readMetadata(bytes).classes).toBe('["0","1","2"]');
  });

  it('refuses class names that do not match the model', () => {
    const error = thrownWeftError(() =>
      exportLogisticRegression(oneFeatureModel([1, 2, 3]), {
        featureNames: ['x'],
        classes: ['a', 'b', 'c', 'd'],
      }),
    );
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(/the model has 3 classes but classes names 4/);
  });
});
