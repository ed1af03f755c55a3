/* eslint-disable @typescript-eslint/no-non-null-assertion -- table-driven CRC: i < bytes.length and (c ^ byte) & 0xff < 256 = table.length */
// CRC-32 (IEEE 802.3, the zip checksum), table-driven. fflate, which inflates the members, does not
// export its CRC, and node:zlib's crc32 would tie the reader to Node.
let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** The CRC-32 of `bytes` as an unsigned 32-bit integer (crc32(b'123456789') = 0xCBF43926). */
export function crc32(bytes: Uint8Array): number {
  const t = (table ??= crcTable());
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
