import { describe, expect, it } from 'vitest';
import type { DecodedTensor } from '../../types.js';
import { MOVE_MIN_BYTES, toWorkerInputs } from './worker-protocol.js';

function fp32(data: Float32Array): DecodedTensor {
  return { name: 'x', datatype: 'FP32', shape: [1, data.length], data };
}

describe('toWorkerInputs', () => {
  it('leaves a small tensor to the structured clone: nothing moved, no copy made', () => {
    const data = Float32Array.of(1, 2, 3);
    const { inputs, transfer } = toWorkerInputs([fp32(data)]);
    expect(transfer).toEqual([]);
    expect(inputs[0]?.data).toBe(data);
  });

  it('copies a small view of a larger buffer to its length, so the clone sends no more', () => {
    const whole = new Float32Array(MOVE_MIN_BYTES);
    whole.set([5, 6], 10);
    const { inputs, transfer } = toWorkerInputs([fp32(whole.subarray(10, 12))]);
    expect(transfer).toEqual([]);
    expect((inputs[0]?.data as Float32Array).buffer.byteLength).toBe(8);
    expect(inputs[0]?.data).toEqual(Float32Array.of(5, 6));
  });

  it("moves a copy of a large tensor and leaves the request's array usable", () => {
    const data = new Float32Array(MOVE_MIN_BYTES / 4).fill(7);
    const { inputs, transfer } = toWorkerInputs([fp32(data)]);
    const sent = inputs[0]?.data as Float32Array;
    expect(sent).not.toBe(data);
    expect(transfer).toEqual([sent.buffer]);
    expect(data.length).toBe(MOVE_MIN_BYTES / 4);
    expect(sent).toEqual(data);
  });

  it('passes BYTES tensors as their strings', () => {
    const data = ['a', 'b'];
    const bytes: DecodedTensor = { name: 's', datatype: 'BYTES', shape: [2], data };
    const { inputs, transfer } = toWorkerInputs([bytes]);
    expect(transfer).toEqual([]);
    expect(inputs[0]).toEqual({ name: 's', type: 'string', dims: [2], data });
  });
});
