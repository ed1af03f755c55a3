import { NameRegistry, Parser } from 'pickleparser';

export type NpyData =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array
  | unknown[];

export interface NpyArray {
  /** numpy's dtype string, e.g. '<i8', '|O'. */
  dtype: string;
  shape: number[];
  fortranOrder: boolean;
  /** Flat values in file order; object arrays ('|O') give the unpickled Python values (lists → arrays, ints → numbers). */
  data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type TypedCtor = { new (buffer: ArrayBuffer): Exclude<NpyData, unknown[]>; BYTES_PER_ELEMENT: number };
const TYPED: Record<string, TypedCtor> = {
  i1: Int8Array,
  u1: Uint8Array,
  b1: Uint8Array,
  i2: Int16Array,
  u2: Uint16Array,
  i4: Int32Array,
  u4: Uint32Array,
  i8: BigInt64Array,
  u8: BigUint64Array,
  f4: Float32Array,
  f8: Float64Array,
};

/**
 * Reads one .npy array (format versions 1-3). Object arrays are pickled by numpy; they are decoded
 * with a pickle parser that never runs code and accepts only the numpy globals an object array
 * needs, so a file referring to anything else is rejected.
 */
export function readNpy(bytes: Uint8Array, name = 'array.npy'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error(`readNpy: ${name} is not a .npy file (missing \\x93NUMPY magic)`);
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new Error(`readNpy: ${name} has .npy format version ${major}, expected 1, 2 or 3`);
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new Error(`readNpy: ${name} is truncated inside its header`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`readNpy: ${name} has a header rnnkit cannot read (structured dtypes are not supported): ${header.trim()}`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number(s.replace(/L$/, '')));
  const count = shape.reduce((a, b) => a * b, 1);
  const body = bytes.subarray(dataStart);
  const base = { dtype: descr, shape, fortranOrder: fortran === 'True' };

  if (descr === '|O') return { ...base, data: readPickledObjects(body, name, count) };

  const order = descr[0];
  const ctor = TYPED[descr.slice(1)];
  if (!ctor || (order !== '<' && order !== '|')) {
    throw new Error(`readNpy: ${name} has dtype '${descr}'; supported: little-endian bool, int, uint, float and object ('|O')`);
  }
  const byteLength = count * ctor.BYTES_PER_ELEMENT;
  if (body.length < byteLength) {
    throw new Error(`readNpy: ${name} is truncated: shape [${shape}] needs ${byteLength} data bytes, found ${body.length}`);
  }
  // Copy so the typed array is aligned whatever the header length was.
  const aligned = body.slice(0, byteLength);
  return { ...base, data: new ctor(aligned.buffer) };
}

/** Converts integer npy data (including int64) to numbers, failing on values beyond 2^53. */
export function npyToNumbers(array: NpyArray, name = 'array'): number[] {
  const out: number[] = [];
  const data = array.data as ArrayLike<unknown>;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || (typeof v === 'bigint' && !Number.isSafeInteger(n))) {
      throw new Error(`npyToNumbers: ${name}[${i}] = ${String(v)} is not a number that fits in a double`);
    }
    out.push(n);
  }
  return out;
}

class NdarrayState {
  shape: number[] = [];
  data: unknown = undefined;
  __setstate__(state: unknown[]): void {
    // ndarray.__reduce__ state: (version, shape, dtype, is_fortran, data); data is a list for object arrays.
    this.shape = (state[1] as number[]).map(Number);
    this.data = state[4];
  }
}
class DtypeState {
  __setstate__(): void {}
}

function readPickledObjects(body: Uint8Array, name: string, count: number): unknown[] {
  const registry = new (class extends NameRegistry {
    override onMissingName(module: string, global: string): never {
      throw new Error(
        `readNpy: ${name} is a pickled object array that refers to ${module}.${global}; only numpy object arrays of numbers, strings and lists are supported`,
      );
    }
  })();
  for (const core of ['numpy.core.multiarray', 'numpy._core.multiarray']) {
    registry.register(core, '_reconstruct', () => new NdarrayState());
  }
  registry.register('numpy', 'ndarray', function ndarray() {});
  // Protocol-2 pickles written by Python 3 spell bytes as _codecs.encode(text, 'latin1'); a pure function.
  registry.register('_codecs', 'encode', (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff));
  registry.register('numpy', 'dtype', () => new DtypeState());
  let result: unknown;
  try {
    result = new Parser({ nameResolver: registry }).parse(body);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.startsWith('readNpy:')) throw err;
    throw new Error(`readNpy: ${name}: cannot unpickle its object array: ${message}`);
  }
  if (!(result instanceof NdarrayState) || !Array.isArray(result.data)) {
    throw new Error(`readNpy: ${name}: the pickled payload is not a numpy object array`);
  }
  if (result.data.length !== count) {
    throw new Error(`readNpy: ${name}: header shape holds ${count} objects but the pickle holds ${result.data.length}`);
  }
  return result.data;
}
