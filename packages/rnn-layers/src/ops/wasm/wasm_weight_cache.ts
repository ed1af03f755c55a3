import type { WasmBackendInternals } from './wasm_backend_access.js';

// Weights repacked for the fused kernels (W_hh in step panels, W_ih^T in column panels), kept on
// the wasm heap across calls while the weight tensor lives. In short calls packing outweighs the
// arithmetic: a streamed chunk of 10 steps at batch 1 (2-layer LSTM, hidden 128) took ~1 ms, of
// which ~0.7 repacked the same weights. A tensor's data never changes (an assigned variable
// gets a new dataId), so an entry stays valid until its dataId leaves the backend; entries of
// disposed tensors are freed at the next lookup, and the oldest go past MAX_ENTRIES or MAX_FLOATS.

const MAX_ENTRIES = 16;
const MAX_FLOATS = 8 * 1024 * 1024; // 32 MB

interface Entry {
  dataId: object;
  layout: string;
  /** HEAPF32 index of the packed copy. */
  at: number;
  floats: number;
}

// Per backend module (a test may make several): most recently used last.
const caches = new WeakMap<object, Entry[]>();

function entriesOf(be: WasmBackendInternals): Entry[] {
  let entries = caches.get(be.wasm);
  if (!entries) caches.set(be.wasm, (entries = []));
  return entries;
}

function release(be: WasmBackendInternals, entries: Entry[], keep: (e: Entry) => boolean): void {
  for (let i = entries.length - 1; i >= 0; i--) {
    if (keep(entries[i]!)) continue;
    be.wasm._free(entries[i]!.at * 4);
    entries.splice(i, 1);
  }
}

/**
 * The HEAPF32 index of `floats` floats holding the tensor `dataId`'s data in `layout` (which names
 * the layout and the shape it was packed for), packed by `pack(to)` on a miss. A miss allocates:
 * take views of the heap after calling this.
 */
export function packedWeights(
  be: WasmBackendInternals,
  dataId: object,
  layout: string,
  floats: number,
  pack: (to: number) => void,
): number {
  const entries = entriesOf(be);
  release(be, entries, (e) => be.dataIdMap.has(e.dataId));
  const index = entries.findIndex((e) => e.dataId === dataId && e.layout === layout);
  if (index >= 0) {
    const [hit] = entries.splice(index, 1);
    entries.push(hit!);
    return hit!.at;
  }
  const pointer = be.wasm._malloc(Math.max(1, floats) * 4) >>> 0;
  if (pointer === 0) throw new Error(`rnn-layers wasm kernels: out of wasm memory packing ${floats} weights`);
  const entry = { dataId, layout, at: pointer >>> 2, floats };
  pack(entry.at);
  entries.push(entry);
  let total = entries.reduce((sum, e) => sum + e.floats, 0);
  while (entries.length > 1 && (entries.length > MAX_ENTRIES || total > MAX_FLOATS)) {
    const oldest = entries.shift()!;
    be.wasm._free(oldest.at * 4);
    total -= oldest.floats;
  }
  return entry.at;
}

/** Frees every packed weight of this backend (they are rebuilt on demand). */
export function releasePackedWeights(be: WasmBackendInternals): void {
  release(be, entriesOf(be), () => false);
}

/** How many packed weights this backend holds (tests). */
export function packedWeightCount(be: WasmBackendInternals): number {
  return entriesOf(be).length;
}
