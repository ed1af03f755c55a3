import { gruGradRow, gruRow, ownRows } from '../cell_rows.js';
import type { GruRecurrenceGradInputs, GruRecurrenceInputs } from '../kernel_names.js';
import { runSteps, type RecurrenceSteps } from '../recurrence_steps.js';
import type { HostInputs } from './host_inputs.js';
import { bpttStepProduct, forwardStepProduct } from './step_products.js';

// Plain-JS GRU recurrence (PyTorch gate order r, z, n; the reset gate multiplies the recurrent
// product: n = tanh(W_in x + b_in + r * (W_hn h + b_hn))). Layouts as in lstm_recurrence.ts.

export interface GruForward {
  y: Float32Array;
  hN: Float32Array;
  /** Per step [r, z, n, W_hn h + b_hn] ([time*batch, 4H]): what the backward pass needs. */
  workspace: Float32Array;
}

export function gruForward(
  { xp, weightHh: w, biasHh, h0 }: HostInputs<GruRecurrenceInputs>,
  d: RecurrenceSteps,
): GruForward {
  const { time, batch, hidden: H } = d;
  const G = 3 * H;
  const h = Float32Array.from(h0);
  const y = new Float32Array(time * batch * H);
  const workspace = new Float32Array(time * batch * 4 * H);
  const { rec, run } = forwardStepProduct(d, w, G, h, biasHh ?? null);
  const rows = ownRows({ xp, rec, bias: new Float32Array(G), h, y, workspace }); // b_hh is in rec
  runSteps(d, 'forward', { before: run, row: (b, row) => gruRow(rows, H, b, row, 0) });
  return { y, hN: h, workspace };
}

export interface GruBackward {
  /** d loss / d xp (pre-activation input-side gates). */
  dXp: Float32Array;
  /** d loss / d (W_hh h + b_hh) per step: differs from dXp in the n block (times r). */
  dHp: Float32Array;
  hPrev: Float32Array;
  dh0: Float32Array;
}

export function gruBackward(
  { dy, dhN, weightHh: w, y, workspace, h0 }: HostInputs<GruRecurrenceGradInputs>,
  d: RecurrenceSteps,
): GruBackward {
  const { time, batch, hidden: H } = d;
  const G = 3 * H;
  const dh = Float32Array.from(dhN);
  const dXp = new Float32Array(time * batch * G);
  const dHp = new Float32Array(time * batch * G);
  const hPrev = new Float32Array(time * batch * H);
  const dhpStep = new Float32Array(batch * G);
  const rows = ownRows({ h0, y, workspace, hPrev, dh, dy, dXp, dHp, dg: dhpStep });
  runSteps(d, 'backward', {
    row: (b, row, previous) => gruGradRow(rows, H, b, row, previous, 0),
    after: bpttStepProduct(d, w, G, dhpStep, dh, true),
  });
  return { dXp, dHp, hPrev, dh0: dh };
}
