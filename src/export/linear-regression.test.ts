import fc from 'fast-check';
import MultivariateLinearRegression from 'ml-regression-multivariate-linear';
import { describe, expect, it } from 'vitest';
import { thrownWeftError } from '../../test/utils/fixtures.js';
import { readOnnxSignature } from '../evaluate/onnx-signature.js';
import { exportLinearRegression } from './linear-regression.js';
import { asFloat32, makeRegression, readMetadata, runExported, tensorRows } from './testing.js';

const FEATURES = ['a', 'b', 'c'];

/** |actual - expected| within `relative` of the expected value (and of 1, near zero). */
function expectClose(actual: number[][], expected: number[][], relative: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((row, i) =>
    row.forEach((value, j) => {
      const want = expected[i]?.[j] ?? NaN;
      expect(Math.abs(value - want)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(want)));
    }),
  );
}

/** `rows` rows of `columns` numbers in [-bound, bound]. */
function matrixOf(rows: number, columns: number, bound: number): fc.Arbitrary<number[][]> {
  const row = fc.array(fc.double({ min: -bound, max: bound, noNaN: true }), {
    minLength: columns,
    maxLength: columns,
  });
  return fc.array(row, { minLength: rows, maxLength: rows });
}

function fitted(intercept = true): MultivariateLinearRegression {
  const { rows, values } = makeRegression(40);
  const targets = values.map((v, i) => [v, -0.5 * v + i]);
  return new MultivariateLinearRegression(rows, targets, { intercept });
}

describe('exportLinearRegression', () => {
  it('predicts what ml.js predicts, with and without an intercept', async () => {
    const { rows } = makeRegression(40);
    for (const intercept of [true, false]) {
      const model = fitted(intercept);
      const bytes = exportLinearRegression(model, { featureNames: FEATURES });
      const { variable } = await runExported(bytes, rows);
      // ml.js sees float64 features, the model float32 ones: 1e-4 covers that rounding.
      expectClose(tensorRows(variable!), model.predict(rows), 1e-4);
    }
  });

  it('matches ml.js to float32 precision for any coefficients, given the same float32 inputs', async () => {
    const shape = fc.record({
      features: fc.integer({ min: 1, max: 5 }),
      targets: fc.integer({ min: 1, max: 3 }),
      intercept: fc.boolean(),
      rows: fc.integer({ min: 1, max: 8 }),
    });
    const problem = shape.chain((s) =>
      fc.record({
        shape: fc.constant(s),
        weights: matrixOf(s.features + (s.intercept ? 1 : 0), s.targets, 1e3),
        rows: matrixOf(s.rows, s.features, 100),
      }),
    );
    await fc.assert(
      fc.asyncProperty(problem, async ({ shape: s, weights, rows }) => {
        const json = {
          name: 'multivariateLinearRegression',
          weights,
          inputs: s.features,
          outputs: s.targets,
          intercept: s.intercept,
        };
        const featureNames = Array.from({ length: s.features }, (_, i) => `x${i}`);
        const bytes = exportLinearRegression(json, { featureNames });
        const { variable } = await runExported(bytes, rows);
        const inputs = asFloat32(rows);
        const expected = MultivariateLinearRegression.load(json as never).predict(inputs);
        // Terms can cancel, so the float64 error is bounded by the size of the terms, not the sum.
        const largestInput = Math.max(...inputs.flat().map(Math.abs), 1);
        const terms =
          (s.features + 1) * largestInput * Math.max(...weights.flat().map(Math.abs), 1);
        tensorRows(variable!).forEach((row, i) =>
          row.forEach((value, j) => {
            const want = expected[i]?.[j] ?? NaN;
            expect(Math.abs(value - want)).toBeLessThanOrEqual(
              Math.abs(want) * 2 ** -24 + terms * 1e-15,
            );
          }),
        );
      }),
      { numRuns: 60, seed: 20240601 },
    );
  });

  it('declares FP32 features in and FP32 targets out, with the feature names', () => {
    const bytes = exportLinearRegression(fitted(), {
      featureNames: FEATURES,
      inputName: 'x',
      outputName: 'y',
    });
    expect(readOnnxSignature(bytes)).toEqual({
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }],
    });
    expect(readMetadata(bytes)).toEqual({ feature_names: '["a","b","c"]' });
  });

  it('writes the same bytes for the model and for its JSON, every time', () => {
    const model = fitted();
    const bytes = exportLinearRegression(model, { featureNames: FEATURES });
    expect(exportLinearRegression(model.toJSON(), { featureNames: FEATURES })).toEqual(bytes);
    expect(
      exportLinearRegression(JSON.parse(JSON.stringify(model)) as object, {
        featureNames: FEATURES,
      }),
    ).toEqual(bytes);
  });

  it('refuses another kind of model and feature names that do not fit', () => {
    const cases: [object, string[], RegExp][] = [
      [
        { name: 'LogisticRegression' },
        FEATURES,
        /name is "LogisticRegression", expected "multivariateLinearRegression"/,
      ],
      [fitted(), ['a', 'b'], /reads 3 features but featureNames has 2/],
      [fitted(), ['a', 'a', 'b'], /featureNames has duplicates/],
      [
        { name: 'multivariateLinearRegression', weights: [[1], ['x']], intercept: true },
        ['a'],
        /weights\[1\]\[0\] is "x"/,
      ],
    ];
    for (const [model, featureNames, message] of cases) {
      const error = thrownWeftError(() => exportLinearRegression(model, { featureNames }));
      expect(error.code).toBe('USAGE');
      expect(error.message).toMatch(message);
    }
  });
});
