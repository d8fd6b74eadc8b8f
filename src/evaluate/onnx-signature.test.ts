import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../core/errors.js';
import { readOnnxSignature } from './onnx-signature.js';

const { onnx } = onnxProto;
const { DataType } = onnx.TensorProto;
type Dims = (number | string)[];

/** A tensor value; a string dimension is symbolic (any size). */
function valueInfo(name: string, elemType: number, dims: Dims): onnxProto.onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function encodeModel(graph: onnxProto.onnx.IGraphProto): Uint8Array {
  const model = { irVersion: 8, opsetImport: [{ domain: '', version: 13 }], graph };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** features [N,3] -> MatMul(W [3,2]) -> Softmax -> probabilities [N,2] -> ArgMax -> label [N]. */
function encodeLogisticModel(): Uint8Array {
  const { FLOAT, INT64 } = DataType;
  const axis = (value: number) => ({
    name: 'axis',
    type: onnx.AttributeProto.AttributeType.INT,
    i: value,
  });
  const keepdims = { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 };
  return encodeModel({
    name: 'logistic',
    // W is listed as an input too, as older exporters do: it is a weight, not a model input.
    input: [valueInfo('features', FLOAT, ['N', 3]), valueInfo('W', FLOAT, [3, 2])],
    output: [valueInfo('probabilities', FLOAT, ['N', 2]), valueInfo('label', INT64, ['N'])],
    initializer: [{ name: 'W', dims: [3, 2], dataType: FLOAT, floatData: [1, -1, 0.5, 0, 2, 1] }],
    node: [
      { opType: 'MatMul', input: ['features', 'W'], output: ['logits'] },
      { opType: 'Softmax', input: ['logits'], output: ['probabilities'], attribute: [axis(1)] },
      {
        opType: 'ArgMax',
        input: ['probabilities'],
        output: ['label'],
        attribute: [axis(1), keepdims],
      },
    ],
  });
}

function readError(bytes: Uint8Array, name?: string): unknown {
  try {
    readOnnxSignature(bytes, name);
  } catch (error) {
    return error;
  }
  throw new Error('expected readOnnxSignature to throw');
}

describe('readOnnxSignature', () => {
  it('reads inputs without initializers, and outputs with open dimensions as -1', () => {
    expect(readOnnxSignature(encodeLogisticModel(), 'logistic')).toEqual({
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 3] }],
      outputs: [
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
        { name: 'label', datatype: 'INT64', shape: [-1] },
      ],
    });
  });

  it('maps ONNX element types to OIP datatype names', () => {
    const { DOUBLE, BOOL, STRING, FLOAT16, BFLOAT16, UINT8, INT32, COMPLEX64 } = DataType;
    const types = { DOUBLE, BOOL, STRING, FLOAT16, BFLOAT16, UINT8, INT32, COMPLEX64 };
    const bytes = encodeModel({
      input: Object.entries(types).map(([name, type]) => valueInfo(name, type, [2, 'batch'])),
      output: [valueInfo('out', DOUBLE, [])],
    });
    const { inputs, outputs } = readOnnxSignature(bytes, 'mix');
    expect(inputs.map((t) => [t.name, t.datatype])).toEqual([
      ['DOUBLE', 'FP64'],
      ['BOOL', 'BOOL'],
      ['STRING', 'BYTES'],
      ['FLOAT16', 'FP16'],
      ['BFLOAT16', 'BF16'],
      ['UINT8', 'UINT8'],
      ['INT32', 'INT32'],
      ['COMPLEX64', 'UNKNOWN'],
    ]);
    expect(inputs[0]?.shape).toEqual([2, -1]);
    expect(outputs).toEqual([{ name: 'out', datatype: 'FP64', shape: [] }]);
  });

  it('reads non-tensor values (a ZipMap-style sequence of maps) as UNKNOWN with shape []', () => {
    const { INT64, FLOAT } = DataType;
    const mapType = { keyType: INT64, valueType: { tensorType: { elemType: FLOAT } } };
    const bytes = encodeModel({
      input: [valueInfo('x', FLOAT, ['N', 4])],
      output: [{ name: 'output_probability', type: { sequenceType: { elemType: { mapType } } } }],
    });
    expect(readOnnxSignature(bytes).outputs).toEqual([
      { name: 'output_probability', datatype: 'UNKNOWN', shape: [] },
    ]);
  });

  it.each([
    [
      'garbage bytes',
      Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]),
      /not an ONNX protobuf/,
    ],
    ['an empty buffer', new Uint8Array(), /no graph/],
    [
      'a JSON file',
      new TextEncoder().encode('{"model": "not onnx", "n": [1, 2, 3]}\n'),
      /not an ONNX protobuf/,
    ],
    [
      'a graph whose only inputs are weights',
      encodeModel({ input: [valueInfo('W', DataType.FLOAT, [2])], initializer: [{ name: 'W' }] }),
      /no inputs/,
    ],
  ])('rejects %s with SPEC_INVALID naming the model', (_, bytes, reason) => {
    const error = readError(bytes, 'models/iris.onnx');
    expect(isWeftError(error, 'SPEC_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/^failed to read ONNX model models\/iris\.onnx: /);
    expect((error as Error).message).toMatch(reason);
  });

  it('agrees with onnxruntime on input and output names', async () => {
    const bytes = encodeLogisticModel();
    const signature = readOnnxSignature(bytes, 'logistic');
    const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
    try {
      expect(signature.inputs.map((t) => t.name)).toEqual(session.inputNames);
      expect(signature.outputs.map((t) => t.name)).toEqual(session.outputNames);
      // The model also runs: the signature describes something real.
      const features = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 0, 0, 0]), [2, 3]);
      const result = await session.run({ features });
      expect(result.label?.dims).toEqual([2]);
    } finally {
      await session.release();
    }
  });
});
