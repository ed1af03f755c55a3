import * as tf from '@tensorflow/tfjs-core';

import { floatToBfloat16, floatToHalf } from './float16.js';
import { DTYPE_SIZE, isSafetensorsDtype, type SafetensorsDtype } from './safetensors_dtype.js';

export interface WriteSafetensorsOptions {
  /** Free-form string metadata stored under `__metadata__` (PyTorch writes `{format: 'pt'}`). */
  metadata?: Record<string, string>;
  /** File dtype per tensor name, e.g. `{ 'embedding.weight': 'F16' }`. Defaults: F32, I32, BOOL. */
  dtypes?: Record<string, SafetensorsDtype>;
}

const DEFAULT_DTYPE: Record<string, SafetensorsDtype> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };
const FLOAT_DTYPES = new Set<SafetensorsDtype>(['F64', 'F32', 'F16', 'BF16']);

function fail(message: string): never {
  throw new Error(`writeSafetensors: ${message}`);
}

const INTEGER_RANGE: Partial<Record<SafetensorsDtype, [number, number]>> = {
  I16: [-32768, 32767],
  I8: [-128, 127],
  U8: [0, 255],
};

function encode(name: string, dtype: SafetensorsDtype, values: ArrayLike<number>, out: DataView): void {
  const n = values.length;
  const range = INTEGER_RANGE[dtype];
  for (let i = 0; i < n; i++) {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- i < values.length, a dense typed array from tensor.data()
    const v = values[i]!;
    if (range && (v < range[0] || v > range[1])) {
      fail(`tensors['${name}'][${i}] = ${v} does not fit ${dtype}`);
    }
    switch (dtype) {
      case 'F32':
        out.setFloat32(4 * i, v, true);
        break;
      case 'F64':
        out.setFloat64(8 * i, v, true);
        break;
      case 'F16':
        out.setUint16(2 * i, floatToHalf(v), true);
        break;
      case 'BF16':
        out.setUint16(2 * i, floatToBfloat16(v), true);
        break;
      case 'I64':
        out.setBigInt64(8 * i, BigInt(v), true);
        break;
      case 'I32':
        out.setInt32(4 * i, v, true);
        break;
      case 'I16':
        out.setInt16(2 * i, v, true);
        break;
      case 'I8':
        out.setInt8(i, v);
        break;
      case 'U8':
      case 'BOOL':
        out.setUint8(i, v);
        break;
    }
  }
}

/**
 * Serialises tensors to the safetensors format, readable by `safetensors.torch.load_file` and
 * Hugging Face. Names are written in sorted order; the header is padded to 8 bytes. Asynchronous
 * because reading tensors back from a GPU is (WebGPU has no synchronous readback in Node).
 */
export async function writeSafetensors(
  tensors: Record<string, tf.Tensor>,
  options: WriteSafetensorsOptions = {},
): Promise<Uint8Array> {
  if (tensors === null || typeof tensors !== 'object') fail('tensors must be an object of name -> Tensor');
  const names = Object.keys(tensors).sort();
  for (const name of Object.keys(options.dtypes ?? {})) {
    if (!(name in tensors)) fail(`options.dtypes names '${name}', which is not among the tensors`);
  }
  const plan = names.map((name) => {
    const tensor = tensors[name];
    if (!(tensor instanceof tf.Tensor)) fail(`tensors['${name}'] is not a Tensor`);
    if (tensor.isDisposed) fail(`tensors['${name}'] is disposed`);
    if (name === '__metadata__') fail("'__metadata__' is reserved and cannot name a tensor");
    const dtype = options.dtypes?.[name] ?? DEFAULT_DTYPE[tensor.dtype];
    if (!isSafetensorsDtype(dtype))
      fail(`tensors['${name}'] has dtype ${tensor.dtype}; choose a file dtype in options.dtypes`);
    if (FLOAT_DTYPES.has(dtype) !== (tensor.dtype === 'float32')) {
      fail(`tensors['${name}'] is ${tensor.dtype} but options.dtypes asks for ${dtype}`);
    }
    return { name, tensor, dtype, byteLength: tensor.size * DTYPE_SIZE[dtype] };
  });
  const header: Record<string, unknown> = {};
  if (options.metadata) {
    if (Object.values(options.metadata).some((v) => typeof v !== 'string'))
      fail('options.metadata values must be strings');
    header.__metadata__ = options.metadata;
  }
  let offset = 0;
  for (const p of plan) {
    header[p.name] = { dtype: p.dtype, shape: p.tensor.shape, data_offsets: [offset, offset + p.byteLength] };
    offset += p.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(json);
    json = withSpaces;
  }
  // Validate everything and read every tensor before allocating the output.
  const values = await Promise.all(plan.map((p) => p.tensor.data()));
  const out = new Uint8Array(8 + json.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.byteLength, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  let cursor = 8 + json.byteLength;
  for (const [i, p] of plan.entries()) {
    encode(p.name, p.dtype, values[i] as ArrayLike<number>, new DataView(out.buffer, cursor, p.byteLength));
    cursor += p.byteLength;
  }
  return out;
}
