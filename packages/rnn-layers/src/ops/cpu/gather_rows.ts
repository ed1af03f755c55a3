// GATHER_ROWS on host memory: each output row copied from its source row. Shared by the cpu kernel
// (tfjs's arrays) and the wasm kernel (the module's heap, with offsets).

/** Copies rows `ids[idsAt + i]` of `src` (rows of `width` from `srcAt`, `rows` of them) to `dst` from `dstAt`. */
export function gatherRowsInto(
  src: Float32Array,
  srcAt: number,
  rows: number,
  width: number,
  ids: Int32Array,
  idsAt: number,
  count: number,
  dst: Float32Array,
  dstAt: number,
): void {
  for (let i = 0; i < count; i++) {
    const r = ids[idsAt + i]!;
    if (!(r >= 0 && r < rows)) throw new Error(`gatherRows: indices[${i}] = ${r} is not in [0, ${rows})`);
    const from = srcAt + r * width;
    const to = dstAt + i * width;
    // A short row is cheaper to copy in a loop than through set's call and subarray.
    if (width >= 64) dst.set(src.subarray(from, from + width), to);
    else for (let j = 0; j < width; j++) dst[to + j] = src[from + j]!;
  }
}
