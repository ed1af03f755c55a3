import { NameRegistry, Parser } from 'pickleparser';
import { scanPickle } from './scan_pickle.js';

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
  const fail: (message: string) => never = (message) => {
    throw new Error(`readNpy: ${name} ${message}`);
  };
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`readNpy: bytes must be a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    fail('is not a .npy file (missing \\x93NUMPY magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = view.getUint8(6);
  const minor = view.getUint8(7);
  if (major !== 1 && major !== 2 && major !== 3)
    fail(`has .npy format version ${major}.${minor}, expected 1.0, 2.0 or 3.0`);
  if (minor !== 0) fail(`has .npy format version ${major}.${minor}, expected ${major}.0`);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart)
    fail(
      `is truncated: ${bytes.length} bytes, a version ${major} header needs ${headerStart} before the header text`,
    );
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length)
    fail(
      `is truncated inside its header: header length field = ${headerLength} but ${bytes.length - headerStart} bytes follow it`,
    );
  let header: string;
  try {
    header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(
      bytes.subarray(headerStart, dataStart),
    );
  } catch {
    return fail('has a version 3 header that is not valid UTF-8');
  }
  // numpy pads the header with spaces to a multiple of 64 (16 before numpy 1.9) and ends it with '\n';
  // a header length off by one byte leaves a different last character.
  if (!header.endsWith('\n'))
    fail(`has a header that does not end with '\\n' (header length field = ${headerLength} wrong?)`);
  const { descr, fortranOrder, shape } = parseNpyHeader(header, fail);
  let count = 1;
  for (const d of shape) count *= d;
  if (!Number.isSafeInteger(count))
    fail(`has shape (${shape.join(', ')}) with more elements than fit in memory`);
  const body = bytes.subarray(dataStart);
  const base = { dtype: descr, shape, fortranOrder };

  if (descr === '|O') {
    if (count > body.length)
      fail(
        `has shape (${shape.join(', ')}) = ${count} objects but only ${body.length} bytes of pickled data`,
      );
    return { ...base, data: readPickledObjects(body, name, count) };
  }

  const order = descr[0];
  const ctor = TYPED[descr.slice(1)];
  if (!ctor || (order !== '<' && order !== '|') || (order === '|' && ctor.BYTES_PER_ELEMENT !== 1)) {
    fail(`has dtype '${descr}'; supported: little-endian bool, int, uint, float and object ('|O')`);
  }
  const byteLength = count * ctor.BYTES_PER_ELEMENT;
  if (body.length < byteLength) {
    fail(
      `is truncated: shape (${shape.join(', ')}) of '${descr}' needs ${byteLength} data bytes, found ${body.length}`,
    );
  }
  if (body.length > byteLength) {
    fail(
      `has ${body.length - byteLength} bytes after the ${byteLength} data bytes shape (${shape.join(', ')}) of '${descr}' needs (header length field = ${headerLength} wrong?)`,
    );
  }
  // Copy so the typed array is aligned whatever the header length was.
  const aligned = body.slice(0, byteLength);
  return { ...base, data: new ctor(aligned.buffer) };
}

const HEADER_ENTRY =
  /\s*'(descr|fortran_order|shape)'\s*:\s*('(?:[^'\\]|\\.)*'|True|False|\([^()]*\))\s*(,|(?=\}))/y;

/**
 * Parses the header dict numpy writes (`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`):
 * exactly these three keys, each once; shape entries are non-negative integers (Python 2's `3L` too).
 */
function parseNpyHeader(
  header: string,
  fail: (message: string) => never,
): { descr: string; fortranOrder: boolean; shape: number[] } {
  const text = header.trimEnd();
  const quoted = JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
  if (!text.startsWith('{') || !text.endsWith('}')) fail(`has a header that is not a Python dict: ${quoted}`);
  const found: Record<string, string> = {};
  let pos = 1;
  for (;;) {
    if (/^\s*\}$/.test(text.slice(pos))) break;
    HEADER_ENTRY.lastIndex = pos;
    const m = HEADER_ENTRY.exec(text);
    if (!m) {
      fail(
        `has a header rnnkit cannot read (expected 'descr', 'fortran_order' and 'shape' with string, bool and tuple values; structured dtypes are not supported): ${quoted}`,
      );
    }
    const [, key, value] = m;
    if (key === undefined || value === undefined)
      fail(`has a header entry without a key or value: ${quoted}`);
    if (found[key] !== undefined) fail(`has a header with '${key}' twice: ${quoted}`);
    found[key] = value;
    pos = HEADER_ENTRY.lastIndex;
  }
  const { descr, fortran_order: fortran, shape: shapeText } = found;
  if (descr === undefined) fail(`has a header without 'descr': ${quoted}`);
  if (fortran === undefined) fail(`has a header without 'fortran_order': ${quoted}`);
  if (shapeText === undefined) fail(`has a header without 'shape': ${quoted}`);
  if (!descr.startsWith("'")) fail(`has header descr = ${descr}, expected a dtype string such as '<f4'`);
  if (fortran !== 'True' && fortran !== 'False')
    fail(`has header fortran_order = ${fortran}, expected True or False`);
  const inner = shapeText.slice(1, -1).trim();
  const parts = inner === '' ? [] : inner.split(',').map((p) => p.trim());
  // (3,) and (3, 4) are tuples; a trailing comma is only allowed after the last entry.
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const shape = parts.map((p, i) => {
    if (!/^\d{1,15}L?$/.test(p))
      fail(
        `has header shape = ${shapeText}: entry ${i} is ${JSON.stringify(p)}, expected a non-negative integer`,
      );
    return Number(p.replace(/L$/, ''));
  });
  if (parts.length === 1 && !/,\s*$/.test(inner))
    fail(`has header shape = ${shapeText}, expected a tuple (a one-element tuple is written (n,))`);
  return { descr: descr.slice(1, -1), fortranOrder: fortran === 'True', shape };
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
    if (!Array.isArray(state) || state.length !== 5 || !Array.isArray(state[1])) {
      throw new Error('the ndarray state is not (version, shape, dtype, is_fortran, data)');
    }
    this.shape = (state[1] as unknown[]).map(Number);
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
  registry.register('_codecs', 'encode', (text: string) =>
    Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff),
  );
  registry.register('numpy', 'dtype', () => new DtypeState());
  scanPickle(body, `readNpy: ${name}`);
  let result: unknown;
  try {
    result = new Parser({ nameResolver: registry }).parse(body);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.startsWith('readNpy:')) throw err;
    // The parser's own errors (e.g. "list.push is not a function" when APPEND meets a non-list) mean an
    // opcode was applied to the wrong kind of object.
    if (err instanceof TypeError) {
      throw new Error(
        `readNpy: ${name}: malformed pickle in its object array: an opcode found the wrong kind of object on the stack`,
        { cause: err },
      );
    }
    throw new Error(`readNpy: ${name}: malformed pickle in its object array: ${message}`, { cause: err });
  }
  if (!(result instanceof NdarrayState) || !Array.isArray(result.data)) {
    throw new Error(`readNpy: ${name}: the pickled payload is not a numpy object array`);
  }
  if (result.data.length !== count) {
    throw new Error(
      `readNpy: ${name}: header shape holds ${count} objects but the pickle holds ${result.data.length}`,
    );
  }
  return result.data;
}
