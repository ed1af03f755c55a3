/**
 * out[b, j] = sum_k w[j, k] * h[b, k] (+ bias[j]) for the batch rows listed in `rows`: the per-step
 * recurrent matvec, and (with rows = 0..n-1) the dense products of the kernels. Dot-product form over
 * row-major w, so the inner loop reads contiguous arrays and accumulates in registers; a 2 x 4 block
 * (two rows of w against four rows of h, eight accumulators) reuses every load twice or four times.
 */
export function recurrentProduct(
  w: Float32Array,
  outDim: number,
  inDim: number,
  h: Float32Array,
  rows: Int32Array | null,
  numRows: number,
  out: Float32Array,
  bias: Float32Array | null,
): void {
  const evenOut = outDim - (outDim % 2);
  let a = 0;
  for (; a + 4 <= numRows; a += 4) {
    const r0 = rows === null ? a : rows[a]!;
    const r1 = rows === null ? a + 1 : rows[a + 1]!;
    const r2 = rows === null ? a + 2 : rows[a + 2]!;
    const r3 = rows === null ? a + 3 : rows[a + 3]!;
    const h0 = r0 * inDim;
    const h1 = r1 * inDim;
    const h2 = r2 * inDim;
    const h3 = r3 * inDim;
    const o0 = r0 * outDim;
    const o1 = r1 * outDim;
    const o2 = r2 * outDim;
    const o3 = r3 * outDim;
    for (let j = 0; j < evenOut; j += 2) {
      const wj = j * inDim;
      const wj2 = wj + inDim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let k = 0; k < inDim; k++) {
        const wk = w[wj + k]!;
        const vk = w[wj2 + k]!;
        const a0 = h[h0 + k]!;
        const a1 = h[h1 + k]!;
        const a2 = h[h2 + k]!;
        const a3 = h[h3 + k]!;
        s0 += wk * a0;
        s1 += wk * a1;
        s2 += wk * a2;
        s3 += wk * a3;
        t0 += vk * a0;
        t1 += vk * a1;
        t2 += vk * a2;
        t3 += vk * a3;
      }
      const bj = bias === null ? 0 : bias[j]!;
      const bj2 = bias === null ? 0 : bias[j + 1]!;
      out[o0 + j] = s0 + bj;
      out[o1 + j] = s1 + bj;
      out[o2 + j] = s2 + bj;
      out[o3 + j] = s3 + bj;
      out[o0 + j + 1] = t0 + bj2;
      out[o1 + j + 1] = t1 + bj2;
      out[o2 + j + 1] = t2 + bj2;
      out[o3 + j + 1] = t3 + bj2;
    }
    if (evenOut !== outDim) {
      const j = evenOut;
      const wj = j * inDim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < inDim; k++) {
        const wk = w[wj + k]!;
        s0 += wk * h[h0 + k]!;
        s1 += wk * h[h1 + k]!;
        s2 += wk * h[h2 + k]!;
        s3 += wk * h[h3 + k]!;
      }
      const bj = bias === null ? 0 : bias[j]!;
      out[o0 + j] = s0 + bj;
      out[o1 + j] = s1 + bj;
      out[o2 + j] = s2 + bj;
      out[o3 + j] = s3 + bj;
    }
  }
  for (; a < numRows; a++) {
    const r0 = rows === null ? a : rows[a]!;
    const h0 = r0 * inDim;
    const o0 = r0 * outDim;
    for (let j = 0; j < outDim; j++) {
      const wj = j * inDim;
      let s0 = 0;
      for (let k = 0; k < inDim; k++) s0 += w[wj + k]! * h[h0 + k]!;
      out[o0 + j] = s0 + (bias === null ? 0 : bias[j]!);
    }
  }
}

/** Row-major transpose of a [rows, cols] matrix. */
export function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) t[j * rows + i] = m[r + j]!;
  }
  return t;
}
