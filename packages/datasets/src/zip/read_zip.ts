import { inflateSync } from 'fflate';
import { crc32 } from './crc32.js';

// The zip container is read here and only the deflate streams are handed to fflate: fflate's unzipSync
// allocates whatever uncompressed size the central directory claims (4 GiB for a 612-byte file),
// checks no CRC, and skips entries it cannot make sense of. Every size and offset below is checked
// against the file's length before anything is allocated.

/** Deflate cannot expand data by more than this factor (258-byte matches from 2-bit codes: about 1032:1). */
const MAX_DEFLATE_RATIO = 1032;

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export interface ZipEntryInfo {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/**
 * Reads every member of a zip archive (stored or deflated, zip64 included) after checking the
 * end-of-central-directory record, each central and local header, sizes against the file, and
 * each member's CRC-32. Errors read `${fn}: ${name}: …` and say which record and field is wrong.
 */
export function readZip(bytes: Uint8Array, name: string, fn: string): Map<string, Uint8Array> {
  const fail = (message: string): never => {
    throw new Error(`${fn}: ${name} is not a readable zip archive: ${message}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number, what: string) => {
    const v = view.getBigUint64(at, true);
    if (v > BigInt(bytes.length)) fail(`${what} = ${v} exceeds the file's ${bytes.length} bytes`);
    return Number(v);
  };
  if (bytes.length < 22)
    fail(`${bytes.length} bytes, shorter than the 22-byte end-of-central-directory record`);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(at) === EOCD && at + 22 + u16(at + 20) === bytes.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail('no end-of-central-directory record (truncated file?)');
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0) fail('multi-disk archives are not supported');
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (u16(eocd + 8) !== count)
    fail(`end-of-central-directory entries on this disk = ${u16(eocd + 8)} but total entries = ${count}`);
  let cdEnd = eocd;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== ZIP64_LOCATOR)
      fail('end-of-central-directory fields say zip64 but there is no zip64 locator');
    const z = u64(loc + 8, 'zip64 locator offset');
    if (z + 56 > loc || u32(z) !== ZIP64_EOCD)
      fail(`the zip64 locator points at byte ${z}, where there is no zip64 end-of-central-directory record`);
    count = u64(z + 32, 'zip64 entry count');
    if (u64(z + 24, 'zip64 entries on this disk') !== count)
      fail('zip64 entries on this disk differ from the total');
    cdSize = u64(z + 40, 'zip64 central directory size');
    cdOffset = u64(z + 48, 'zip64 central directory offset');
    cdEnd = z;
  }
  if (cdOffset + cdSize !== cdEnd) {
    fail(
      `central directory offset ${cdOffset} + size ${cdSize} = ${cdOffset + cdSize}, expected it to end at byte ${cdEnd} where the end record starts`,
    );
  }
  // Each central entry takes at least 46 bytes, so count is bounded by the directory's size.
  if (count * 46 > cdSize)
    fail(`end-of-central-directory entry count = ${count} cannot fit in a ${cdSize}-byte central directory`);

  const entries: ZipEntryInfo[] = [];
  const names = new Set<string>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pos = cdOffset;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > cdEnd || u32(pos) !== CENTRAL)
      fail(`central directory entry ${i} at byte ${pos} has no central-header signature`);
    const flags = u16(pos + 8);
    const method = u16(pos + 10);
    const crc = u32(pos + 16);
    let compressedSize = u32(pos + 20);
    let size = u32(pos + 24);
    const nameLength = u16(pos + 28);
    const extraLength = u16(pos + 30);
    const commentLength = u16(pos + 32);
    let localOffset = u32(pos + 42);
    const next = pos + 46 + nameLength + extraLength + commentLength;
    if (next > cdEnd)
      fail(
        `central directory entry ${i}: name/extra/comment lengths ${nameLength}/${extraLength}/${commentLength} run past the directory's end`,
      );
    let entryName: string;
    try {
      entryName = decoder.decode(bytes.subarray(pos + 46, pos + 46 + nameLength));
    } catch {
      return fail(`central directory entry ${i}: the name is not valid UTF-8`);
    }
    if (flags & 1) fail(`member ${JSON.stringify(entryName)} is encrypted`);
    if (method !== 0 && method !== 8)
      fail(
        `member ${JSON.stringify(entryName)} uses compression method ${method}; only stored (0) and deflate (8) are supported`,
      );
    // zip64 extra field: the 8-byte values of the fields that are 0xFFFFFFFF, in this order.
    for (let e = pos + 46 + nameLength; e + 4 <= pos + 46 + nameLength + extraLength;) {
      const id = u16(e);
      const len = u16(e + 2);
      if (e + 4 + len > pos + 46 + nameLength + extraLength)
        fail(`member ${JSON.stringify(entryName)}: an extra field runs past its header`);
      if (id === 0x0001) {
        let at = e + 4;
        const take = (what: string) => {
          if (at + 8 > e + 4 + len)
            fail(`member ${JSON.stringify(entryName)}: the zip64 extra field lacks ${what}`);
          const v = u64(at, `member ${JSON.stringify(entryName)} zip64 ${what}`);
          at += 8;
          return v;
        };
        if (size === 0xffffffff) size = take('uncompressed size');
        if (compressedSize === 0xffffffff) compressedSize = take('compressed size');
        if (localOffset === 0xffffffff) localOffset = take('local header offset');
      }
      e += 4 + len;
    }
    if (names.has(entryName)) fail(`member ${JSON.stringify(entryName)} appears twice`);
    names.add(entryName);
    entries.push({ name: entryName, method, crc, compressedSize, size, localOffset });
    pos = next;
  }
  if (pos !== cdEnd)
    fail(`the central directory holds ${cdEnd - pos} bytes after its ${count} entries (entry count wrong?)`);

  const out = new Map<string, Uint8Array>();
  for (const entry of entries) {
    const label = `member ${JSON.stringify(entry.name)}`;
    const at = entry.localOffset;
    if (at + 30 > cdOffset || u32(at) !== LOCAL) fail(`${label}: no local header at byte ${at}`);
    const localName = bytes.subarray(at + 30, at + 30 + u16(at + 26));
    const start = at + 30 + u16(at + 26) + u16(at + 28);
    const sameName = (() => {
      try {
        return decoder.decode(localName) === entry.name;
      } catch {
        return false;
      }
    })();
    if (start > cdOffset || !sameName)
      fail(`${label}: the local header's name differs from the central directory's`);
    if (entry.compressedSize > cdOffset - start)
      fail(
        `${label}: compressed size = ${entry.compressedSize} runs past the central directory at byte ${cdOffset}`,
      );
    const data = bytes.subarray(start, start + entry.compressedSize);
    let content: Uint8Array;
    if (entry.method === 0) {
      if (entry.size !== entry.compressedSize)
        fail(
          `${label}: stored, but uncompressed size = ${entry.size} differs from compressed size = ${entry.compressedSize}`,
        );
      content = data;
    } else {
      if (entry.size > entry.compressedSize * MAX_DEFLATE_RATIO) {
        fail(
          `${label}: uncompressed size = ${entry.size} is more than deflate can produce from ${entry.compressedSize} bytes (at most ${MAX_DEFLATE_RATIO}:1)`,
        );
      }
      // One byte of room tells a stream that inflates to more than the declared size from an exact one.
      try {
        content = inflateSync(data, { out: new Uint8Array(entry.size + 1) });
      } catch (err) {
        return fail(`${label}: corrupt deflate data: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (content.length !== entry.size)
        fail(
          `${label}: inflates to ${content.length > entry.size ? 'more than' : content.length} bytes, but its uncompressed size field = ${entry.size}`,
        );
    }
    const actual = crc32(content);
    if (actual !== entry.crc)
      fail(
        `${label}: CRC-32 is 0x${actual.toString(16).padStart(8, '0')}, the central directory says 0x${entry.crc.toString(16).padStart(8, '0')} (corrupt data)`,
      );
    out.set(entry.name, content);
  }
  return out;
}
