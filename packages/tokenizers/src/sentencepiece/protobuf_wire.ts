// A minimal protobuf (proto2) wire-format reader and writer for SentencePiece's ModelProto. The
// model format needs six scalar kinds and nested messages; a full protobuf runtime would add far more
// code than this file to every browser bundle.

export type ScalarKind = 'string' | 'bytes' | 'int32' | 'uint64' | 'bool' | 'float' | 'enum';
export interface FieldSpec {
  name: string;
  kind: ScalarKind | MessageSpec;
  repeated?: boolean;
}
export interface MessageSpec {
  name: string;
  fields: Record<number, FieldSpec>;
}
export type DecodedMessage = Record<string, unknown>;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

export class ProtobufError extends Error {
  override name = 'ProtobufError';
}

class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
    readonly path: string,
  ) {
    this.pos = start;
  }
  fail(message: string): never {
    throw new ProtobufError(`${this.path}: ${message} at byte ${this.pos}`);
  }
  /** Returns the low and high 32 bits of a varint of up to 10 bytes. */
  varint(): [number, number] {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      const b = this.bytes[this.pos];
      if (this.pos >= this.end || b === undefined) this.fail('truncated varint');
      this.pos++;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x70) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if ((b & 0x80) === 0) return [lo >>> 0, hi >>> 0];
    }
    return this.fail('varint longer than 10 bytes');
  }
  length(): number {
    const [lo, hi] = this.varint();
    if (hi !== 0 || lo > this.end - this.pos)
      this.fail(
        `length ${hi ? '>= 2^32' : lo} runs past the end (${this.end - this.pos} bytes left; truncated file?)`,
      );
    return lo;
  }
}

function readScalar(r: Reader, kind: ScalarKind, wire: number): unknown {
  const expectWire = kind === 'float' ? 5 : kind === 'string' || kind === 'bytes' ? 2 : 0;
  if (wire !== expectWire) r.fail(`wire type ${wire} where a ${kind} (wire type ${expectWire}) was expected`);
  switch (kind) {
    case 'float': {
      if (r.pos + 4 > r.end) r.fail('truncated float');
      const v = new DataView(r.bytes.buffer, r.bytes.byteOffset + r.pos, 4).getFloat32(0, true);
      r.pos += 4;
      return v;
    }
    case 'string':
    case 'bytes': {
      const n = r.length();
      const slice = r.bytes.subarray(r.pos, r.pos + n);
      r.pos += n;
      if (kind === 'bytes') return slice.slice();
      try {
        return utf8Decoder.decode(slice);
      } catch {
        return r.fail('string field is not valid UTF-8');
      }
    }
    case 'bool': {
      const [lo, hi] = r.varint();
      return lo !== 0 || hi !== 0;
    }
    case 'uint64': {
      const [lo, hi] = r.varint();
      return hi * 2 ** 32 + lo;
    }
    default: {
      const [lo] = r.varint();
      return lo | 0; // int32 and enums: negative values arrive sign-extended to 64 bits
    }
  }
}

function skipField(r: Reader, wire: number): void {
  if (wire === 0) r.varint();
  else if (wire === 1) {
    if (r.pos + 8 > r.end) r.fail('truncated fixed64');
    r.pos += 8;
  } else if (wire === 2) {
    const n = r.length(); // read before advancing: `r.pos += r.length()` would lose the length's bytes
    r.pos += n;
  } else if (wire === 5) {
    if (r.pos + 4 > r.end) r.fail('truncated fixed32');
    r.pos += 4;
  } else r.fail(`unsupported wire type ${wire}`);
}

function readMessage(r: Reader, spec: MessageSpec): DecodedMessage {
  const out: DecodedMessage = {};
  while (r.pos < r.end) {
    const [key, keyHi] = r.varint();
    const number = key >>> 3;
    const wire = key & 7;
    if (keyHi !== 0 || number === 0) r.fail(`invalid field number ${keyHi ? '>= 2^29' : number}`);
    const field = spec.fields[number];
    if (!field) {
      skipField(r, wire); // unknown fields (newer SentencePiece versions) are ignored, as protobuf does
      continue;
    }
    let value: unknown;
    if (typeof field.kind === 'string') value = readScalar(r, field.kind, wire);
    else {
      if (wire !== 2) r.fail(`wire type ${wire} for message field ${spec.name}.${field.name}`);
      const n = r.length();
      value = readMessage(new Reader(r.bytes, r.pos, r.pos + n, `${r.path}.${field.name}`), field.kind);
      r.pos += n;
    }
    if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
    else out[field.name] = value;
  }
  return out;
}

export function decodeMessage(bytes: Uint8Array, spec: MessageSpec, path: string): DecodedMessage {
  return readMessage(new Reader(bytes, 0, bytes.length, path), spec);
}

class Writer {
  private chunks: number[] = [];
  byte(b: number): void {
    this.chunks.push(b);
  }
  varint(lo: number, hi = 0): void {
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo > 0x7f) {
      this.byte((lo & 0x7f) | 0x80);
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.byte(lo);
  }
  raw(bytes: Uint8Array): void {
    for (const b of bytes) this.chunks.push(b);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

function writeScalar(w: Writer, number: number, kind: ScalarKind, value: unknown, path: string): void {
  switch (kind) {
    case 'float': {
      w.varint((number << 3) | 5);
      const buf = new Uint8Array(4);
      new DataView(buf.buffer).setFloat32(0, value as number, true);
      w.raw(buf);
      return;
    }
    case 'string':
    case 'bytes': {
      const bytes = kind === 'string' ? utf8Encoder.encode(value as string) : (value as Uint8Array);
      w.varint((number << 3) | 2);
      w.varint(bytes.length);
      w.raw(bytes);
      return;
    }
    case 'bool':
      w.varint(number << 3);
      w.varint(value ? 1 : 0);
      return;
    case 'uint64': {
      const v = value as number;
      if (!Number.isSafeInteger(v) || v < 0)
        throw new ProtobufError(`${path}: uint64 must be a non-negative safe integer, got ${v}`);
      w.varint(number << 3);
      w.varint(v % 2 ** 32, Math.floor(v / 2 ** 32));
      return;
    }
    default: {
      const v = value as number;
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)
        throw new ProtobufError(`${path}: int32 out of range: ${v}`);
      w.varint(number << 3);
      w.varint(v, v < 0 ? 0xffffffff : 0); // negative int32 is sign-extended to 10 bytes, as protobuf requires
    }
  }
}

/** Writes the fields present in `message`, in field-number order (as protobuf's C++ serialiser does). */
export function encodeMessage(message: DecodedMessage, spec: MessageSpec, path = spec.name): Uint8Array {
  const w = new Writer();
  const fields = Object.entries(spec.fields)
    .map(([key, field]) => [Number(key), field] as const)
    .sort(([a], [b]) => a - b);
  for (const [number, field] of fields) {
    const value = message[field.name];
    if (value === undefined) continue;
    const values = field.repeated ? (value as unknown[]) : [value];
    for (const v of values) {
      if (typeof field.kind === 'string') writeScalar(w, number, field.kind, v, `${path}.${field.name}`);
      else {
        const inner = encodeMessage(v as DecodedMessage, field.kind, `${path}.${field.name}`);
        w.varint((number << 3) | 2);
        w.varint(inner.length);
        w.raw(inner);
      }
    }
  }
  return w.finish();
}
