/**
 * What each OIP datatype accepts from JSON and how it lands in a typed array. Each codec owns its
 * copy loop, so the loop's element checks and stores stay specialised to one array type.
 */
import type { OipDatatype, TensorData } from '../types.js';
import { toHalfBits } from './fp16.js';

export interface DatatypeCodec {
  /** A zeroed array for `count` elements. */
  allocate(count: number): TensorData;
  /**
   * Copies `source[0..count)` into `target` from `offset` on; returns the index in `source` of
   * the first element not valid for the datatype, or -1 when all were.
   */
  fill(target: TensorData, offset: number, source: readonly unknown[], count: number): number;
  /** What a valid element is, for messages: "an integer from 0 to 255". */
  readonly expected: string;
}

type NumberArray = Exclude<TensorData, BigInt64Array | BigUint64Array | string[]>;

function integerCodec(
  allocate: (n: number) => NumberArray,
  min: number,
  max: number,
): DatatypeCodec {
  return {
    allocate,
    fill(target, offset, source, count) {
      const out = target as NumberArray;
      for (let i = 0; i < count; i++) {
        const value = source[i];
        if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
          return i;
        out[offset + i] = value as number;
      }
      return -1;
    },
    expected: `an integer from ${min} to ${max}`,
  };
}

/**
 * JSON numbers beyond 2^53 have already lost digits when the body was parsed, so 64-bit integer
 * tensors take only the integers a JSON number carries exactly.
 */
function int64Codec(
  allocate: (n: number) => BigInt64Array | BigUint64Array,
  min: number,
): DatatypeCodec {
  return {
    allocate,
    fill(target, offset, source, count) {
      const out = target as BigInt64Array;
      for (let i = 0; i < count; i++) {
        const value = source[i];
        if (!Number.isSafeInteger(value) || (value as number) < min) return i;
        out[offset + i] = BigInt(value as number);
      }
      return -1;
    },
    expected: `an integer from ${min} to ${Number.MAX_SAFE_INTEGER} (JSON numbers carry no more digits)`,
  };
}

function floatCodec(
  allocate: (n: number) => Float32Array | Float64Array,
  range: string,
): DatatypeCodec {
  return {
    allocate,
    fill(target, offset, source, count) {
      const out = target as Float64Array;
      for (let i = 0; i < count; i++) {
        const value = source[i];
        if (typeof value !== 'number') return i;
        out[offset + i] = value;
        // Reading back catches values beyond the FP32 range, stored as Infinity.
        const stored = out[offset + i] as number;
        if (stored - stored !== 0) return i;
      }
      return -1;
    },
    expected: `a number${range}`,
  };
}

const fp16Codec: DatatypeCodec = {
  allocate: (n) => new Uint16Array(n),
  fill(target, offset, source, count) {
    for (let i = 0; i < count; i++) {
      const value = source[i];
      const bits = typeof value === 'number' ? toHalfBits(value) : -1;
      if (bits < 0) return i;
      (target as Uint16Array)[offset + i] = bits;
    }
    return -1;
  },
  expected: 'a number from -65504 to 65504',
};

const boolCodec: DatatypeCodec = {
  allocate: (n) => new Uint8Array(n),
  fill(target, offset, source, count) {
    for (let i = 0; i < count; i++) {
      const value = source[i];
      if (typeof value !== 'boolean') return i;
      (target as Uint8Array)[offset + i] = value ? 1 : 0;
    }
    return -1;
  },
  expected: 'true or false',
};

const bytesCodec: DatatypeCodec = {
  allocate: (n) => new Array<string>(n),
  fill(target, offset, source, count) {
    for (let i = 0; i < count; i++) {
      const value = source[i];
      if (typeof value !== 'string') return i;
      (target as string[])[offset + i] = value;
    }
    return -1;
  },
  expected: 'a string',
};

const CODECS: Readonly<Record<OipDatatype, DatatypeCodec>> = {
  BOOL: boolCodec,
  UINT8: integerCodec((n) => new Uint8Array(n), 0, 0xff),
  UINT16: integerCodec((n) => new Uint16Array(n), 0, 0xffff),
  UINT32: integerCodec((n) => new Uint32Array(n), 0, 0xffffffff),
  UINT64: int64Codec((n) => new BigUint64Array(n), 0),
  INT8: integerCodec((n) => new Int8Array(n), -0x80, 0x7f),
  INT16: integerCodec((n) => new Int16Array(n), -0x8000, 0x7fff),
  INT32: integerCodec((n) => new Int32Array(n), -0x80000000, 0x7fffffff),
  INT64: int64Codec((n) => new BigInt64Array(n), -Number.MAX_SAFE_INTEGER),
  FP16: fp16Codec,
  FP32: floatCodec((n) => new Float32Array(n), ' within the FP32 range (±3.4e38)'),
  FP64: floatCodec((n) => new Float64Array(n), ''),
  BYTES: bytesCodec,
};

export function isOipDatatype(name: string): name is OipDatatype {
  return Object.hasOwn(CODECS, name);
}

export function codecOf(datatype: OipDatatype): DatatypeCodec {
  return CODECS[datatype];
}
