import { ownRows, rnnGradRow, rnnRow } from '../cell_rows.js';
import { recurrenceSteps, runSteps } from '../recurrence_steps.js';
import { bpttStepProduct, forwardStepProduct } from './step_products.js';

// Plain-JS Elman RNN recurrence (torch.nn.RNN): h' = act(xp + W_hh h). Layouts as in lstm_recurrence.ts.

export type RnnActivation = 'tanh' | 'relu';

export interface RnnForward {
  y: Float32Array;
  hN: Float32Array;
}

export function rnnForward(
  xp: Float32Array,
  w: Float32Array,
  h0: Float32Array,
  activation: RnnActivation,
  time: number,
  batch: number,
  hidden: number,
  lengths: readonly number[],
  reverse: boolean,
): RnnForward {
  const H = hidden;
  const d = recurrenceSteps(time, batch, hidden, lengths, reverse);
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
  dy: Float32Array,
  dhN: Float32Array,
  w: Float32Array,
  y: Float32Array,
  h0: Float32Array,
  activation: RnnActivation,
  time: number,
  batch: number,
  hidden: number,
  lengths: readonly number[],
  reverse: boolean,
): RnnBackward {
  const H = hidden;
  const d = recurrenceSteps(time, batch, hidden, lengths, reverse);
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
