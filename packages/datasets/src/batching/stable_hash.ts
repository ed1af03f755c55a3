/**
 * A 53-bit string hash (cyrb53) that is identical on every platform and needs no crypto API, so
 * splits keyed on it are the same in Node and in the browser. Not for security, only for
 * deterministic assignment.
 */
export function stableHash(key: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Maps a key to a number in [0, 1) that depends only on the key and the seed. */
export function hashToUnit(key: string, seed = 0): number {
  return stableHash(key, seed) / 2 ** 53;
}
