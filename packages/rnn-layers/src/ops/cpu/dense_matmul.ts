import { recurrentProduct, transpose } from './recurrent_product.js';

/**
 * C = op(A) x op(B) (+ bias per column) for 2-D row-major arrays (op = transpose when the flag is set), as tf.matMul.
 * Both operands are brought to the dot-product layout of recurrentProduct (rows of op(A) against rows
 * of op(B)^T); the transposes are O(size) copies, the product is O(m*n*k).
 */
export function denseMatMul(
  a: Float32Array,
  aRows: number,
  aCols: number,
  b: Float32Array,
  bRows: number,
  bCols: number,
  transposeA: boolean,
  transposeB: boolean,
  bias: Float32Array | null = null,
): { values: Float32Array; m: number; n: number } {
  const m = transposeA ? aCols : aRows;
  const n = transposeB ? bRows : bCols;
  const k = transposeA ? aRows : aCols;
  const left = transposeA ? transpose(a, aRows, aCols) : a; // [m, k]
  const right = transposeB ? b : transpose(b, bRows, bCols); // [n, k]
  const values = new Float32Array(m * n);
  recurrentProduct(right, n, k, left, null, m, values, bias);
  return { values, m, n };
}
