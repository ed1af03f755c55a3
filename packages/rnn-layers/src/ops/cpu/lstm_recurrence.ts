import { makeTimeIndex, recurrentProduct, transpose } from './recurrent_product.js';

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

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

export function lstmForward(
  xp: Float32Array,
  w: Float32Array,
  h0: Float32Array,
  c0: Float32Array,
  time: number,
  batch: number,
  hidden: number,
  lengths: readonly number[],
  reverse: boolean,
): LstmForward {
  const H = hidden;
  const G = 4 * H;
  const index = makeTimeIndex(time, batch, lengths, reverse);
  const h = Float32Array.from(h0);
  const c = Float32Array.from(c0);
  const y = new Float32Array(time * batch * H);
  const cells = new Float32Array(time * batch * H);
  const gates = new Float32Array(time * batch * G);
  const rec = new Float32Array(batch * G);
  const rows = new Int32Array(batch);
  for (let s = 0; s < time; s++) {
    let n = 0;
    for (let b = 0; b < batch; b++) if (index[s * batch + b]! >= 0) rows[n++] = b;
    if (n === 0) break; // every sequence has ended
    recurrentProduct(w, G, H, h, rows, n, rec, null);
    for (let a = 0; a < n; a++) {
      const b = rows[a]!;
      const row = index[s * batch + b]! * batch + b;
      const xo = row * G;
      const ro = b * G;
      const so = b * H;
      const yo = row * H;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(xp[xo + j]! + rec[ro + j]!);
        const f = sigmoid(xp[xo + H + j]! + rec[ro + H + j]!);
        const g = Math.tanh(xp[xo + 2 * H + j]! + rec[ro + 2 * H + j]!);
        const o = sigmoid(xp[xo + 3 * H + j]! + rec[ro + 3 * H + j]!);
        const cn = f * c[so + j]! + i * g;
        const hn = o * Math.tanh(cn);
        c[so + j] = cn;
        h[so + j] = hn;
        cells[yo + j] = cn;
        y[yo + j] = hn;
        gates[xo + j] = i;
        gates[xo + H + j] = f;
        gates[xo + 2 * H + j] = g;
        gates[xo + 3 * H + j] = o;
      }
    }
  }
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
  dy: Float32Array,
  dhN: Float32Array,
  dcN: Float32Array,
  w: Float32Array,
  y: Float32Array,
  gates: Float32Array,
  cells: Float32Array,
  h0: Float32Array,
  c0: Float32Array,
  time: number,
  batch: number,
  hidden: number,
  lengths: readonly number[],
  reverse: boolean,
): LstmBackward {
  const H = hidden;
  const G = 4 * H;
  const index = makeTimeIndex(time, batch, lengths, reverse);
  const wT = transpose(w, G, H);
  const dh = Float32Array.from(dhN);
  const dc = Float32Array.from(dcN);
  const dGates = new Float32Array(time * batch * G);
  const hPrev = new Float32Array(time * batch * H);
  const dgStep = new Float32Array(batch * G);
  const dhStep = new Float32Array(batch * H);
  const rows = new Int32Array(batch);
  for (let s = time - 1; s >= 0; s--) {
    let n = 0;
    for (let b = 0; b < batch; b++) if (index[s * batch + b]! >= 0) rows[n++] = b;
    if (n === 0) continue;
    for (let a = 0; a < n; a++) {
      const b = rows[a]!;
      const row = index[s * batch + b]! * batch + b;
      const prevRow = s === 0 ? -1 : index[(s - 1) * batch + b]! * batch + b;
      const go = row * G;
      const yo = row * H;
      const so = b * H;
      const sg = b * G;
      for (let j = 0; j < H; j++) {
        const hp = prevRow < 0 ? h0[so + j]! : y[prevRow * H + j]!;
        const cp = prevRow < 0 ? c0[so + j]! : cells[prevRow * H + j]!;
        hPrev[yo + j] = hp;
        const i = gates[go + j]!;
        const f = gates[go + H + j]!;
        const g = gates[go + 2 * H + j]!;
        const o = gates[go + 3 * H + j]!;
        const tc = Math.tanh(cells[yo + j]!);
        const dht = dh[so + j]! + dy[yo + j]!;
        const dct = dc[so + j]! + dht * o * (1 - tc * tc);
        const di = dct * g * i * (1 - i);
        const df = dct * cp * f * (1 - f);
        const dg = dct * i * (1 - g * g);
        const dO = dht * tc * o * (1 - o);
        dGates[go + j] = dgStep[sg + j] = di;
        dGates[go + H + j] = dgStep[sg + H + j] = df;
        dGates[go + 2 * H + j] = dgStep[sg + 2 * H + j] = dg;
        dGates[go + 3 * H + j] = dgStep[sg + 3 * H + j] = dO;
        dc[so + j] = dct * f;
      }
    }
    recurrentProduct(wT, H, G, dgStep, rows, n, dhStep, null);
    for (let a = 0; a < n; a++) {
      const so = rows[a]! * H;
      for (let j = 0; j < H; j++) dh[so + j] = dhStep[so + j]!;
    }
  }
  return { dGates, hPrev, dh0: dh, dc0: dc };
}
