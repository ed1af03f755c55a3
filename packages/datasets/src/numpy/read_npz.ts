import { unzipSync } from 'fflate';
import { readNpy, type NpyArray } from './read_npy.js';

/**
 * Reads every array of an .npz archive (np.savez / np.savez_compressed: a zip of .npy files,
 * stored or deflated, zip64 included). Keys are the names without '.npy'.
 */
export function readNpz(bytes: Uint8Array, name = 'archive.npz'): Record<string, NpyArray> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (err) {
    throw new Error(`readNpz: ${name} is not a readable zip archive: ${err instanceof Error ? err.message : String(err)}`);
  }
  const out: Record<string, NpyArray> = {};
  for (const [entry, data] of Object.entries(entries)) {
    if (!entry.endsWith('.npy')) continue;
    out[entry.slice(0, -4)] = readNpy(data, `${name}/${entry}`);
  }
  return out;
}
