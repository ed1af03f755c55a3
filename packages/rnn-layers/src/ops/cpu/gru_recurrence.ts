import { makeTimeIndex, recurrentProduct, transpose } from './recurrent_product.js';

// Plain-JS GRU recurrence (PyTorch gate order r, z, n; the reset gate multiplies the recurrent
// product: n = tanh(W_in x + b_in + r * (W_hn h + b_hn))). Layouts as in lstm_recurrence.ts.

export interface GruForward {
  y: Float32Array;
  hN: Float32Array;
  /** Per step [r, z, n, W_hn h + b_hn] ([time*batch, 4H]): what the backward pass needs. */
  workspace: Float32Array;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

export function gruForward(
  xp: Float32Array,
  w: Float32Array,
  bHh: Float32Array | null,
  h0: Float32Array,
  time: number,
  batch: number,
  hidden: number,
  lengths: readonly number[],
  reverse: boolean,
): GruForward {
  const H = hidden;
  const G = 3 * H;
  const index = makeTimeIndex(time, batch, lengths, reverse);
  const h = Float32Array.from(h0);
  const y = new Float32Array(time * batch * H);
  const workspace = new Float32Array(time * batch * 4 * H);
  const rec = new Float32Array(batch * G);
  const rows = new Int32Array(batch);
  for (let s = 0; s < time; s++) {
    let n = 0;
    for (let b = 0; b < batch; b++) if (index[s * batch + b]! >= 0) rows[n++] = b;
    if (n === 0) break;
    recurrentProduct(w, G, H, h, rows, n, rec, bHh);
    for (let a = 0; a < n; a++) {
      const b = rows[a]!;
      const row = index[s * batch + b]! * batch + b;
      const xo = row * G;
      const wo = row * 4 * H;
      const ro = b * G;
      const so = b * H;
      const yo = row * H;
      for (let j = 0; j < H; j++) {
        const r = sigmoid(xp[xo + j]! + rec[ro + j]!);
        const z = sigmoid(xp[xo + H + j]! + rec[ro + H + j]!);
        const hn = rec[ro + 2 * H + j]!;
        const nn = Math.tanh(xp[xo + 2 * H + j]! + r * hn);
        const hNew = (1 - z) * nn + z * h[so + j]!;
        h[so + j] = hNew;
        y[yo + j] = hNew;
        workspace[wo + j] = r;
        workspace[wo + H + j] = z;
        workspace[wo + 2 * H + j] = nn;
        workspace[wo + 3 * H + j] = hn;
      }
    }
  }
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
  dy: Float32Array,
  dhN: Float32Array,
  w: Float32Array,
  y: Float32Array,
  workspace: Float32Array,
  h0: Float32Array,
  time: number,
  batch: number,
  hidden: number,
  lengths: readonly number[],
  reverse: boolean,
): GruBackward {
  const H = hidden;
  const G = 3 * H;
  const index = makeTimeIndex(time, batch, lengths, reverse);
  const wT = transpose(w, G, H);
  const dh = Float32Array.from(dhN);
  const dXp = new Float32Array(time * batch * G);
  const dHp = new Float32Array(time * batch * G);
  const hPrev = new Float32Array(time * batch * H);
  const dhpStep = new Float32Array(batch * G);
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
      const wo = row * 4 * H;
      const yo = row * H;
      const so = b * H;
      const sg = b * G;
      for (let j = 0; j < H; j++) {
        const hp = prevRow < 0 ? h0[so + j]! : y[prevRow * H + j]!;
        hPrev[yo + j] = hp;
        const r = workspace[wo + j]!;
        const z = workspace[wo + H + j]!;
        const nn = workspace[wo + 2 * H + j]!;
        const hn = workspace[wo + 3 * H + j]!;
        const dht = dh[so + j]! + dy[yo + j]!;
        const dnPre = dht * (1 - z) * (1 - nn * nn);
        const dzPre = dht * (hp - nn) * z * (1 - z);
        const drPre = dnPre * hn * r * (1 - r);
        dXp[go + j] = dHp[go + j] = dhpStep[sg + j] = drPre;
        dXp[go + H + j] = dHp[go + H + j] = dhpStep[sg + H + j] = dzPre;
        dXp[go + 2 * H + j] = dnPre;
        dHp[go + 2 * H + j] = dhpStep[sg + 2 * H + j] = dnPre * r;
        dh[so + j] = dht * z; // the direct path h_{t-1} -> z * h_{t-1}
      }
    }
    recurrentProduct(wT, H, G, dhpStep, rows, n, dhStep, null);
    for (let a = 0; a < n; a++) {
      const so = rows[a]! * H;
      for (let j = 0; j < H; j++) dh[so + j] = dh[so + j]! + dhStep[so + j]!;
    }
  }
  return { dXp, dHp, hPrev, dh0: dh };
}
