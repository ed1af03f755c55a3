// pickleparser trusts every length it reads and turns a LONG4 of n bytes into a BigInt in O(n^2);
// this walk over the opcodes (no objects are built) checks each argument against the bytes there are
// before the parser runs, so a hostile pickle fails in time linear in its size with a message that
// says which opcode at which byte was wrong. Opcode arguments follow Python's pickletools.

type ArgKind = 0 | 1 | 2 | 4 | 8 | 'line' | 'lines2' | 'len1' | 'len4' | 'len8';

const ARGS: Record<number, ArgKind> = {};
const set = (codes: string | number[], kind: ArgKind) => {
  for (const c of typeof codes === 'string' ? Array.from(codes, (ch) => ch.charCodeAt(0)) : codes)
    ARGS[c] = kind;
};
set('(.012NRbd}el]ostu)aQ', 0);
set([0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x97, 0x98], 0);
set('Khq', 1);
set([0x80, 0x82], 1);
set('M', 2);
set([0x83], 2);
set('Jjr', 4);
set([0x84], 4);
set('G', 8);
set([0x95], 8); // FRAME: an 8-byte length; the framed opcodes follow inline
set('ILFSVgpP', 'line');
set('ci', 'lines2');
set('UC', 'len1');
set([0x8c, 0x8a], 'len1');
set('TBX', 'len4');
set([0x8b], 'len4');
set([0x8e, 0x8d, 0x96], 'len8');

const MARK = 0x28;
const POP_MARK = 0x31;
const STOP = 0x2e;
const LONG4 = 0x8b;
/** Collections that pop to the last MARK. */
const TO_MARK = new Set(Array.from('tdlesu', (c) => c.charCodeAt(0)).concat([0x90, 0x91, 0x69, 0x6f]));

/** Deepest MARK nesting accepted; numpy object arrays of lists use two or three levels. */
export const MAX_PICKLE_MARK_DEPTH = 100;
/** Longest LONG1/LONG4 integer accepted, in bytes (numpy integers are at most 8 bytes). */
export const MAX_PICKLE_LONG_BYTES = 64;

/** Throws `${label}: malformed pickle: …` unless `bytes` is one well-formed opcode stream ending with STOP. */
export function scanPickle(bytes: Uint8Array, label: string): void {
  const fail = (at: number, message: string): never => {
    throw new Error(`${label}: malformed pickle: ${message} at byte ${at} of ${bytes.length}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let depth = 0;
  let pos = 0;
  const need = (at: number, n: number, what: string) => {
    if (n > bytes.length - pos)
      fail(at, `${what} needs ${n} bytes, ${bytes.length - pos} remain (truncated?)`);
  };
  while (pos < bytes.length) {
    const at = pos;
    const op = view.getUint8(pos++);
    const kind = ARGS[op];
    const name = `opcode 0x${op.toString(16).padStart(2, '0')}`;
    if (kind === undefined) fail(at, `unknown ${name}`);
    if (op === STOP) {
      if (depth !== 0) fail(at, `STOP with ${depth} unclosed MARK(s)`);
      if (pos !== bytes.length) fail(at, `${bytes.length - pos} bytes follow the STOP opcode`);
      return;
    }
    if (op === MARK) {
      if (++depth > MAX_PICKLE_MARK_DEPTH) fail(at, `MARKs nested deeper than ${MAX_PICKLE_MARK_DEPTH}`);
    } else if (op === POP_MARK || TO_MARK.has(op)) {
      if (depth === 0) fail(at, `${name} without a MARK`);
      depth--;
    }
    if (typeof kind === 'number') {
      need(at, kind, name);
      pos += kind;
    } else if (kind === 'line' || kind === 'lines2') {
      for (let l = 0; l < (kind === 'line' ? 1 : 2); l++) {
        const nl = bytes.indexOf(0x0a, pos);
        if (nl < 0) fail(at, `${name} has no end of line`);
        pos = nl + 1;
      }
    } else {
      const width = kind === 'len1' ? 1 : kind === 'len4' ? 4 : 8;
      need(at, width, `${name}'s length`);
      let n: number;
      if (width === 1) n = view.getUint8(pos);
      else if (width === 4) n = view.getUint32(pos, true);
      else {
        const big = view.getBigUint64(pos, true);
        n = big > BigInt(bytes.length) ? Infinity : Number(big);
      }
      pos += width;
      if ((op === LONG4 || op === 0x8a) && n > MAX_PICKLE_LONG_BYTES)
        fail(at, `an integer of ${n} bytes (at most ${MAX_PICKLE_LONG_BYTES} accepted)`);
      need(at, n, name);
      pos += n;
    }
  }
  fail(bytes.length, 'no STOP opcode (truncated?)');
}
