import type { RecurrenceSteps, StepHook } from '../recurrence_steps.js';
import { recurrentProduct, transpose } from './recurrent_product.js';

// The JS kernels' per-step products, as hooks of a StepPass (recurrence_steps.ts): the forward
// step's h W_hh^T before the cell's rows, BPTT's dg W_hh after them.

/** A forward step's product: run() sets rec[b] = W h[b] (+ bias) for the running rows, W [outDim, hidden]. */
export function forwardStepProduct(
  d: RecurrenceSteps,
  w: Float32Array,
  outDim: number,
  h: Float32Array,
  bias: Float32Array | null,
): { rec: Float32Array; run: StepHook } {
  const rec = new Float32Array(d.batch * outDim);
  return { rec, run: (_s, rows, n) => recurrentProduct(w, outDim, d.hidden, h, rows, n, rec, bias) };
}

/**
 * A BPTT step's product for the running rows: dh[b] = dg[b] W (`accumulate`: dh[b] +=), dg [batch, k],
 * W [k, hidden] as stored (W_hh). Rows not running keep their dh.
 */
export function bpttStepProduct(
  d: RecurrenceSteps,
  w: Float32Array,
  k: number,
  dg: Float32Array,
  dh: Float32Array,
  accumulate: boolean,
): StepHook {
  const H = d.hidden;
  const wT = transpose(w, k, H);
  const dhStep = new Float32Array(d.batch * H);
  return (_s, rows, n) => {
    recurrentProduct(wT, H, k, dg, rows, n, dhStep, null);
    for (let a = 0; a < n; a++) {
      const so = rows[a]! * H;
      if (accumulate) for (let j = 0; j < H; j++) dh[so + j] = dh[so + j]! + dhStep[so + j]!;
      else for (let j = 0; j < H; j++) dh[so + j] = dhStep[so + j]!;
    }
  };
}
