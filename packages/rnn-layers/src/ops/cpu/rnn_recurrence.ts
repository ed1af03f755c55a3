import { ownRows, rnnGradRow, rnnRow } from '../cell_rows.js';
import type { RnnRecurrenceGradInputs, RnnRecurrenceInputs } from '../kernel_names.js';
import { runSteps, type RecurrenceSteps } from '../recurrence_steps.js';
import type { HostInputs } from './host_inputs.js';
import { bpttStepProduct, forwardStepProduct } from './step_products.js';

// Plain-JS Elman RNN recurrence (torch.nn.RNN): h' = act(xp + W_hh h). Layouts as in lstm_recurrence.ts.

export type RnnActivation = 'tanh' | 'relu';

export interface RnnForward {
  y: Float32Array;
  hN: Float32Array;
}

export function rnnForward(
  { xp, weightHh: w, h0 }: HostInputs<RnnRecurrenceInputs>,
  activation: RnnActivation,
  d: RecurrenceSteps,
): RnnForward {
  const { time, batch, hidden: H } = d;
  const h = Float32Array.from(h0);
  const y = new Float32Array(time * batch * H);
  const relu = activation === 'relu';
  const { rec, run } = forwardStepProduct(d, w, H, h, null);
  const rows = ownRows({ xp, rec, h, y });
  runSteps(d, 'forward', { before: run, row: (b, row) => rnnRow(rows, relu, H, b, row, 0) });
  return { y, hN: h };
}

export interface RnnBackward {
  dPre: Float32Array;
  hPrev: Float32Array;
  dh0: Float32Array;
}

export function rnnBackward(
  { dy, dhN, weightHh: w, y, h0 }: HostInputs<RnnRecurrenceGradInputs>,
  activation: RnnActivation,
  d: RecurrenceSteps,
): RnnBackward {
  const { time, batch, hidden: H } = d;
  const dh = Float32Array.from(dhN);
  const dPre = new Float32Array(time * batch * H);
  const hPrev = new Float32Array(time * batch * H);
  const dStep = new Float32Array(batch * H);
  const relu = activation === 'relu';
  const rows = ownRows({ h0, y, hPrev, dh, dy, dPre, ds: dStep });
  runSteps(d, 'backward', {
    row: (b, row, previous) => rnnGradRow(rows, relu, H, b, row, previous, 0),
    after: bpttStepProduct(d, w, H, dStep, dh, false),
  });
  return { dPre, hPrev, dh0: dh };
}
