/** Offline evaluation of a model artifact: signatures, metrics, groups/fairness, importance. */
export { readOnnxSignature } from './onnx-signature.js';
