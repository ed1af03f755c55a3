import * as tf from '@tensorflow/tfjs-core';

import { previewValue } from '../options/preview_value.js';
import { bfloat16ToFloat, halfToFloat } from './float16.js';
import {
  DTYPE_SIZE,
  SAFETENSORS_DTYPES,
  TFJS_DTYPE,
  isSafetensorsDtype,
  type SafetensorsDtype,
} from './safetensors_dtype.js';

/** One tensor's entry in a safetensors header. */
export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Byte range within the data section, [begin, end). */
  dataOffsets: [number, number];
}

export interface SafetensorsHeader {
  tensors: Record<string, SafetensorsEntry>;
  metadata: Record<string, string>;
  /** Byte offset of the data section within the file. */
  dataStart: number;
}

const MAX_HEADER_BYTES = 100 * 1024 * 1024;

function fail(message: string): never {
  throw new Error(`readSafetensors: ${message}`);
}

function asBytes(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  return fail(`bytes must be a Uint8Array or ArrayBuffer, got ${Object.prototype.toString.call(bytes)}`);
}

/**
 * Parses and validates a safetensors header without creating tensors. Every entry is checked
 * (dtype, shape, offsets, sizes, no gaps or overlaps) so that a corrupt or truncated file is
 * rejected before anything is allocated.
 */
export function readSafetensorsHeader(input: Uint8Array | ArrayBuffer): SafetensorsHeader {
  const bytes = asBytes(input);
  if (bytes.byteLength < 8) fail(`file is ${bytes.byteLength} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength > MAX_HEADER_BYTES)
    fail(`header length ${headerLength} is implausibly large (corrupt file?)`);
  if (8 + headerLength > bytes.byteLength) {
    fail(`truncated: header says ${headerLength} header bytes but only ${bytes.byteLength - 8} follow`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    fail(`header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('header must be a JSON object');

  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const tensors: Record<string, SafetensorsEntry> = {};
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (
        raw === null ||
        typeof raw !== 'object' ||
        Array.isArray(raw) ||
        Object.values(raw).some((v) => typeof v !== 'string')
      ) {
        fail('__metadata__ must be an object of strings');
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (entry === null || typeof entry !== 'object') fail(`tensor '${name}': entry must be an object`);
    if (!isSafetensorsDtype(entry.dtype)) {
      fail(
        `tensor '${name}': unsupported dtype ${previewValue(entry.dtype)}; supported: ${SAFETENSORS_DTYPES.join(', ')}`,
      );
    }
    const shape = entry.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      fail(`tensor '${name}': shape must be an array of non-negative integers, got ${previewValue(shape)}`);
    }
    const offsets = entry.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[1] < offsets[0]
    ) {
      fail(
        `tensor '${name}': data_offsets must be [begin, end] with 0 <= begin <= end, got ${previewValue(offsets)}`,
      );
    }
    const [begin, end] = offsets as [number, number];
    const expected = (shape as number[]).reduce((a, b) => a * b, 1) * DTYPE_SIZE[entry.dtype];
    if (end - begin !== expected) {
      fail(
        `tensor '${name}': ${entry.dtype}${previewValue(shape)} needs ${expected} bytes but data_offsets span ${end - begin}`,
      );
    }
    if (end > dataLength) {
      fail(
        `truncated: tensor '${name}' ends at data byte ${end} but the data section has ${dataLength} bytes`,
      );
    }
    tensors[name] = { dtype: entry.dtype, shape: shape as number[], dataOffsets: [begin, end] };
  }
  // The format requires the tensors to tile the data section exactly: no gaps, no overlaps.
  const ranges = Object.entries(tensors).sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0]);
  let cursor = 0;
  for (const [name, { dataOffsets }] of ranges) {
    if (dataOffsets[0] !== cursor) {
      fail(
        `tensor '${name}' starts at data byte ${dataOffsets[0]}, expected ${cursor} (gap or overlap: corrupt header)`,
      );
    }
    cursor = dataOffsets[1];
  }
  if (cursor !== dataLength)
    fail(
      `data section has ${dataLength} bytes but the tensors cover ${cursor} (trailing bytes: corrupt file)`,
    );
  return { tensors, metadata, dataStart };
}

function decode(
  dtype: SafetensorsDtype,
  bytes: Uint8Array,
  name: string,
): Float32Array | Int32Array | Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / DTYPE_SIZE[dtype];
  switch (dtype) {
    case 'F32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    }
    case 'F64': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      return out;
    }
    case 'F16':
    case 'BF16': {
      const convert = dtype === 'F16' ? halfToFloat : bfloat16ToFloat;
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = convert(view.getUint16(2 * i, true));
      return out;
    }
    case 'I64': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const value = view.getBigInt64(8 * i, true);
        if (value > 2147483647n || value < -2147483648n) {
          fail(`tensor '${name}': I64 value ${value} at index ${i} does not fit tfjs's int32`);
        }
        out[i] = Number(value);
      }
      return out;
    }
    case 'I32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
      return out;
    }
    case 'I16': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, true);
      return out;
    }
    case 'I8':
      return Int32Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, n));
    case 'U8':
      return Int32Array.from(bytes);
    case 'BOOL':
      return Uint8Array.from(bytes, (b) => (b ? 1 : 0));
  }
}

/**
 * Reads a safetensors file (PyTorch's and Hugging Face's format) into tensors by name. Floating
 * types load as float32, integer types as int32 (I64 values must fit), BOOL as bool. The whole file
 * is validated first: a corrupt or truncated file throws and creates no tensors.
 */
export function readSafetensors(bytes: Uint8Array | ArrayBuffer): Record<string, tf.Tensor> {
  const data = asBytes(bytes);
  const header = readSafetensorsHeader(data);
  const decoded = Object.entries(header.tensors).map(([name, entry]) => {
    const start = header.dataStart + entry.dataOffsets[0];
    const values = decode(entry.dtype, data.subarray(start, header.dataStart + entry.dataOffsets[1]), name);
    return [name, values, entry] as const;
  });
  // Tensors are created only once every entry has decoded, so a failure leaves nothing behind.
  const result: Record<string, tf.Tensor> = {};
  for (const [name, values, entry] of decoded)
    result[name] = tf.tensor(values, entry.shape, TFJS_DTYPE[entry.dtype]);
  return result;
}
