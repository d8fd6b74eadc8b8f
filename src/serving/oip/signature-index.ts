import type { ModelSignature } from '../../registry/types.js';

/** A model signature arranged for lookups by tensor name. */
export interface SignatureIndex {
  /** Input name -> position in `signature.inputs`. */
  readonly inputPositions: ReadonlyMap<string, number>;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

// Signatures live as long as their loaded model; indexing once keeps wide tabular models
// (one input per column) from costing a linear search per input per request.
const indexes = new WeakMap<ModelSignature, SignatureIndex>();

export function indexSignature(signature: ModelSignature): SignatureIndex {
  let index = indexes.get(signature);
  if (index === undefined) {
    const inputNames = signature.inputs.map((tensor) => tensor.name);
    index = {
      inputPositions: new Map(inputNames.map((name, position) => [name, position])),
      inputNames,
      outputNames: signature.outputs.map((tensor) => tensor.name),
    };
    indexes.set(signature, index);
  }
  return index;
}
