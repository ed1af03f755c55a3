import { readZip } from '../zip/read_zip.js';
import { readNpy, type NpyArray } from './read_npy.js';

/**
 * Reads every array of an .npz archive (np.savez / np.savez_compressed: a zip of .npy files,
 * stored or deflated, zip64 included). Keys are the names without '.npy'. Sizes are checked against
 * the file before anything is allocated and every member's CRC-32 is verified.
 */
export function readNpz(bytes: Uint8Array, name = 'archive.npz'): Record<string, NpyArray> {
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`readNpz: bytes must be a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  const entries = readZip(bytes, name, 'readNpz');
  const out: Record<string, NpyArray> = {};
  for (const [entry, data] of entries) {
    if (!entry.endsWith('.npy')) continue;
    out[entry.slice(0, -4)] = readNpy(data, `${name}/${entry}`);
  }
  return out;
}
