import type { DecodedTensor, InferRequest, InferResult } from './types.js';

export interface ShadowComparison {
  /** Every integer (label) output equal element by element, and float outputs within `tolerance`. */
  agree: boolean;
  /** Largest absolute difference over the float outputs both returned; 0 when there are none. */
  maxAbsDiff: number;
}

/**
 * Compares the shadow's answer with the primary's, output by output (those both returned).
 * Labels must match exactly; scores may differ by float noise.
 */
export function compareAnswers(
  primary: InferResult,
  shadow: InferResult,
  tolerance = 1e-6,
): ShadowComparison {
  const theirs = new Map(shadow.outputs.map((o) => [o.name, o]));
  let agree = true;
  let maxAbsDiff = 0;
  for (const output of primary.outputs) {
    const other = theirs.get(output.name);
    if (!other || other.data.length !== output.data.length) {
      agree = false;
      continue;
    }
    if (isFloat(output)) {
      const diff = maxDifference(output.data as ArrayLike<number>, other.data as ArrayLike<number>);
      maxAbsDiff = Math.max(maxAbsDiff, diff);
      if (!(diff <= tolerance)) agree = false;
    } else if (!sameElements(output.data, other.data)) {
      agree = false;
    }
  }
  return { agree, maxAbsDiff };
}

/** The shadow must not see the primary's id: its own answers are recorded under a derived one. */
export function shadowRequest(request: InferRequest): InferRequest {
  return { ...request, id: `${request.id}#shadow` };
}

function isFloat(tensor: DecodedTensor): boolean {
  return tensor.datatype === 'FP32' || tensor.datatype === 'FP64';
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs((a[i] as number) - (b[i] as number));
    if (!(diff <= max)) max = diff; // NaN on either side counts as the largest difference
  }
  return max;
}

function sameElements(a: DecodedTensor['data'], b: DecodedTensor['data']): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
