import { lstmGradRow, lstmRow, ownRows } from '../cell_rows.js';
import type { LstmRecurrenceGradInputs, LstmRecurrenceInputs } from '../kernel_names.js';
import { runSteps, type RecurrenceSteps } from '../recurrence_steps.js';
import type { HostInputs } from './host_inputs.js';
import { bpttStepProduct, forwardStepProduct } from './step_products.js';

// Plain-JS LSTM recurrence over Float32Arrays (PyTorch gate order i, f, g, o). Layouts are
// time-major rows: xp/gates [time*batch, 4H], y/cells [time*batch, H], states [batch, H].

export interface LstmForward {
  y: Float32Array;
  hN: Float32Array;
  cN: Float32Array;
  /** Activated gates i, f, g, o per step: what the backward pass needs. */
  gates: Float32Array;
  cells: Float32Array;
}

export function lstmForward(
  { xp, weightHh: w, h0, c0 }: HostInputs<LstmRecurrenceInputs>,
  d: RecurrenceSteps,
): LstmForward {
  const { time, batch, hidden: H } = d;
  const G = 4 * H;
  const h = Float32Array.from(h0);
  const c = Float32Array.from(c0);
  const y = new Float32Array(time * batch * H);
  const cells = new Float32Array(time * batch * H);
  const gates = new Float32Array(time * batch * G);
  const { rec, run } = forwardStepProduct(d, w, G, h, null);
  const rows = ownRows({ xp, rec, c, h, cells, y, gates });
  runSteps(d, 'forward', { before: run, row: (b, row) => lstmRow(rows, H, b, row, 0) });
  return { y, hN: h, cN: c, gates, cells };
}

export interface LstmBackward {
  /** d loss / d (pre-activation gates) per step = d loss / d xp. */
  dGates: Float32Array;
  /** The hidden state each step read (h0 at a sequence's first step; zero past its end). */
  hPrev: Float32Array;
  dh0: Float32Array;
  dc0: Float32Array;
}

export function lstmBackward(
  { dy, dhN, dcN, weightHh: w, y, gates, cells, h0, c0 }: HostInputs<LstmRecurrenceGradInputs>,
  d: RecurrenceSteps,
): LstmBackward {
  const { time, batch, hidden: H } = d;
  const G = 4 * H;
  const dh = Float32Array.from(dhN);
  const dc = Float32Array.from(dcN);
  const dGates = new Float32Array(time * batch * G);
  const hPrev = new Float32Array(time * batch * H);
  const dgStep = new Float32Array(batch * G);
  const rows = ownRows({ h0, c0, y, cells, gates, hPrev, dh, dy, dc, dGates, dg: dgStep });
  runSteps(d, 'backward', {
    row: (b, row, previous) => lstmGradRow(rows, H, b, row, previous, 0),
    after: bpttStepProduct(d, w, G, dgStep, dh, false),
  });
  return { dGates, hPrev, dh0: dh, dc0: dc };
}
