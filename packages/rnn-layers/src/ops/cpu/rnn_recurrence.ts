import { makeTimeIndex, recurrentProduct, transpose } from './recurrent_product.js';

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
  const index = makeTimeIndex(time, batch, lengths, reverse);
  const h = Float32Array.from(h0);
  const y = new Float32Array(time * batch * H);
  const rec = new Float32Array(batch * H);
  const rows = new Int32Array(batch);
  const relu = activation === 'relu';
  for (let s = 0; s < time; s++) {
    let n = 0;
    for (let b = 0; b < batch; b++) if (index[s * batch + b]! >= 0) rows[n++] = b;
    if (n === 0) break;
    recurrentProduct(w, H, H, h, rows, n, rec, null);
    for (let a = 0; a < n; a++) {
      const b = rows[a]!;
      const yo = (index[s * batch + b]! * batch + b) * H;
      const so = b * H;
      for (let j = 0; j < H; j++) {
        const pre = xp[yo + j]! + rec[so + j]!;
        const hNew = relu ? (pre > 0 ? pre : 0) : Math.tanh(pre);
        h[so + j] = hNew;
        y[yo + j] = hNew;
      }
    }
  }
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
  const index = makeTimeIndex(time, batch, lengths, reverse);
  const wT = transpose(w, H, H);
  const dh = Float32Array.from(dhN);
  const dPre = new Float32Array(time * batch * H);
  const hPrev = new Float32Array(time * batch * H);
  const dStep = new Float32Array(batch * H);
  const dhStep = new Float32Array(batch * H);
  const rows = new Int32Array(batch);
  const relu = activation === 'relu';
  for (let s = time - 1; s >= 0; s--) {
    let n = 0;
    for (let b = 0; b < batch; b++) if (index[s * batch + b]! >= 0) rows[n++] = b;
    if (n === 0) continue;
    for (let a = 0; a < n; a++) {
      const b = rows[a]!;
      const row = index[s * batch + b]! * batch + b;
      const prevRow = s === 0 ? -1 : index[(s - 1) * batch + b]! * batch + b;
      const yo = row * H;
      const so = b * H;
      for (let j = 0; j < H; j++) {
        hPrev[yo + j] = prevRow < 0 ? h0[so + j]! : y[prevRow * H + j]!;
        const hv = y[yo + j]!;
        const dht = dh[so + j]! + dy[yo + j]!;
        const d = relu ? (hv > 0 ? dht : 0) : dht * (1 - hv * hv);
        dPre[yo + j] = dStep[so + j] = d;
      }
    }
    recurrentProduct(wT, H, H, dStep, rows, n, dhStep, null);
    for (let a = 0; a < n; a++) {
      const so = rows[a]! * H;
      for (let j = 0; j < H; j++) dh[so + j] = dhStep[so + j]!;
    }
  }
  return { dPre, hPrev, dh0: dh };
}
