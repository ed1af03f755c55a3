import * as tf from '@tensorflow/tfjs-core';

import { hostSpectra, resolvesToHostFft } from './host_spectrum.js';

/**
 * How the DFT is computed. 'fft' reads the frames to the host and runs an O(nFft log nFft) FFT there
 * in float64 (fft.js for powers of two, mixed radix for factors <= 7, else Bluestein); 'auto' uses
 * it on the cpu and wasm backends, where features were 2.4-2.8x (wasm) and 60-110x (cpu) faster
 * than with the 'direct' matmul (tools/bench/audio-features.ts). The matmul forms keep the data on
 * the device for GPU backends. tf.spectral.rfft is not an option: it has no wasm kernel, and on cpu
 * it is ~11x slower than a matmul. 'direct' is one matmul with a
 * windowed cos/sin basis (rows x 2 nFreqs MACs per frame); 'factored' is one Cooley-Tukey step
 * written as two small matmuls and a twiddle multiply (about 4x fewer MACs for nFft = 400 or 512).
 * 'folded' (even nFft) first adds and subtracts samples n and nFft - n of the windowed frame, which
 * halves the matmul work (cos is even and sin odd around nFft / 2) but adds elementwise passes.
 * On other backends 'auto' picks 'factored' on webgpu (4x faster than 'direct' there, measured on
 * lavapipe) when nFft has a divisor near its square root, and 'direct' elsewhere (tensorflow).
 */
export type DftMethod = 'auto' | 'direct' | 'folded' | 'factored' | 'fft';

interface Plan {
  nFft: number;
  nFreqs: number;
  offset: number;
  rows: number;
  /** direct: [rows, nFreqs] cos and -sin bases with the window folded in. */
  directRe?: Float32Array;
  directIm?: Float32Array;
  /** folded: [nFft / 2 + 1, nFreqs] cos and -sin bases for the folded sums (no window). */
  foldedRe?: Float32Array;
  foldedIm?: Float32Array;
  /** factored: n = n2Count * n1 + n2, k = k1 + n1Count * k2. */
  n1Count?: number;
  n2Count?: number;
  k2Count?: number;
  window?: Float32Array; // window placed in an nFft-long frame
  stage1Re?: Float32Array; // [n1Count, n1Count]: cos(2 pi n1 k1 / n1Count)
  stage1Im?: Float32Array; // -sin(...)
  /** [n1Count, 2 n2Count, 2 k2Count]: per k1, the twiddle times the length-n2 complex DFT, as a real matrix. */
  stage2?: Float32Array;
}

const plans = new Map<string, Plan>();

function angle(num: number, den: number): number {
  // Reduce in integers first so large products keep full precision.
  return (2 * Math.PI * (num % den)) / den;
}

function chooseFactor(n: number): number | null {
  if (n < 64) return null;
  let best: number | null = null;
  for (let d = 4; d * d <= n; d++) if (n % d === 0) best = d;
  if (best === null) return null;
  // Balanced enough that the two stages really save work.
  return best * best * 4 >= n ? best : null;
}

function makePlan(
  nFft: number,
  window: Float32Array,
  offset: number,
  scale: number,
  method: DftMethod,
): Plan {
  const rows = window.length;
  const nFreqs = Math.floor(nFft / 2) + 1;
  const wantFactored = method === 'factored' || (method === 'auto' && tf.getBackend() === 'webgpu');
  const factor = wantFactored ? chooseFactor(nFft) : null;
  if (method === 'factored' && factor === null)
    throw new Error(`windowedRfft: nFft = ${nFft} has no usable factorisation`);
  if (method === 'folded' && nFft % 2 !== 0)
    throw new Error(`windowedRfft: 'folded' needs an even nFft, got ${nFft}`);
  if (method === 'folded') {
    const half = nFft / 2;
    const full = new Float32Array(nFft);
    for (let r = 0; r < rows; r++) full[r + offset] = window[r]! * scale;
    const foldedRe = new Float32Array((half + 1) * nFreqs);
    const foldedIm = new Float32Array((half + 1) * nFreqs);
    for (let n = 0; n <= half; n++) {
      for (let f = 0; f < nFreqs; f++) {
        const a = angle(f * n, nFft);
        foldedRe[n * nFreqs + f] = Math.cos(a);
        foldedIm[n * nFreqs + f] = -Math.sin(a);
      }
    }
    return { nFft, nFreqs, offset, rows, window: full, foldedRe, foldedIm };
  }
  if (factor === null) {
    const directRe = new Float32Array(rows * nFreqs);
    const directIm = new Float32Array(rows * nFreqs);
    for (let r = 0; r < rows; r++) {
      const n = r + offset;
      const w = window[r]! * scale;
      for (let f = 0; f < nFreqs; f++) {
        const a = angle(f * n, nFft);
        directRe[r * nFreqs + f] = w * Math.cos(a);
        directIm[r * nFreqs + f] = -w * Math.sin(a);
      }
    }
    return { nFft, nFreqs, offset, rows, directRe, directIm };
  }
  // n2Count = factor (inner index n2), n1Count = nFft / factor (the first-stage DFT length).
  const n2Count = factor;
  const n1Count = nFft / factor;
  const k2Count = Math.floor(nFft / 2 / n1Count) + 1;
  const full = new Float32Array(nFft);
  for (let r = 0; r < rows; r++) full[r + offset] = window[r]! * scale;
  const stage1Re = new Float32Array(n1Count * n1Count);
  const stage1Im = new Float32Array(n1Count * n1Count);
  for (let n1 = 0; n1 < n1Count; n1++) {
    for (let k1 = 0; k1 < n1Count; k1++) {
      const a = angle(n1 * k1, n1Count);
      stage1Re[n1 * n1Count + k1] = Math.cos(a);
      stage1Im[n1 * n1Count + k1] = -Math.sin(a);
    }
  }
  // X[k1 + n1Count k2] = sum_n2 Y[n2, k1] W_N^(n2 k1) W_n2Count^(n2 k2): for each k1 one complex
  // [n2Count -> k2Count] map, written as a real [re | im] x [re | im] matrix:
  // (a + ib)(c + is) = (ac - bs) + i(as + bc).
  const cols = 2 * k2Count;
  const stage2 = new Float32Array(n1Count * 2 * n2Count * cols);
  for (let k1 = 0; k1 < n1Count; k1++) {
    const base = k1 * 2 * n2Count * cols;
    for (let n2 = 0; n2 < n2Count; n2++) {
      for (let k2 = 0; k2 < k2Count; k2++) {
        const a = angle(n2 * k1, nFft) + angle(n2 * k2, n2Count);
        const c = Math.cos(a);
        const s = -Math.sin(a);
        stage2[base + n2 * cols + k2] = c;
        stage2[base + n2 * cols + k2Count + k2] = s;
        stage2[base + (n2Count + n2) * cols + k2] = -s;
        stage2[base + (n2Count + n2) * cols + k2Count + k2] = c;
      }
    }
  }
  return { nFft, nFreqs, offset, rows, n1Count, n2Count, k2Count, window: full, stage1Re, stage1Im, stage2 };
}

function getPlan(nFft: number, window: Float32Array, offset: number, scale: number, method: DftMethod): Plan {
  let h = 0;
  const bits = new Uint32Array(window.buffer, window.byteOffset, window.length);
  for (let i = 0; i < bits.length; i++) h = (Math.imul(h, 31) + bits[i]!) | 0;
  const resolved = method === 'auto' ? (tf.getBackend() === 'webgpu' ? 'auto-gpu' : 'auto-cpu') : method;
  const key = `${nFft}:${offset}:${scale}:${window.length}:${h}:${resolved}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = makePlan(nFft, window, offset, scale, method);
    if (plans.size > 32) plans.clear();
    plans.set(key, plan);
  }
  return plan;
}

const padded = new Map<Float32Array, Map<number, Float32Array>>();

function padRows(basis: Float32Array, rows: number, width: number, cols: number): Float32Array {
  let byWidth = padded.get(basis);
  if (!byWidth) padded.set(basis, (byWidth = new Map()));
  let out = byWidth.get(width);
  if (!out) {
    out = new Float32Array(width * cols);
    out.set(basis.subarray(0, rows * cols));
    byWidth.set(width, out);
  }
  return out;
}

/**
 * Real DFT of windowed frames: frames [m, window.length] hold the samples at positions
 * offset .. offset + window.length - 1 of nFft-long frames (zero elsewhere). Frames may be wider than
 * the window (extra samples are ignored). Returns real and
 * imaginary parts [m, nFft / 2 + 1]. Call inside tf.tidy.
 */
export function windowedRfft(
  frames: tf.Tensor2D,
  nFft: number,
  window: Float32Array,
  offset: number,
  options: { scale?: number; method?: DftMethod } = {},
): { real: tf.Tensor2D; imag: tf.Tensor2D } {
  const method = options.method ?? 'auto';
  const m = frames.shape[0];
  const width = frames.shape[1];
  if (resolvesToHostFft('windowedRfft', method)) {
    if (width < window.length)
      throw new Error(`windowedRfft: frames have ${width} samples, fewer than the window's ${window.length}`);
    const x = frames.dataSync() as Float32Array;
    const rows = window.length;
    const nFreqs = Math.floor(nFft / 2) + 1;
    const scale = options.scale ?? 1;
    const real = new Float32Array(m * nFreqs);
    const imag = new Float32Array(m * nFreqs);
    hostSpectra(
      nFft,
      m,
      (r, dst, lane) => {
        for (let j = 0; j < nFft; j++) dst[2 * j + lane] = 0;
        for (let j = 0; j < rows; j++) dst[2 * (offset + j) + lane] = x[r * width + j]! * window[j]! * scale;
      },
      (r, re, im) => {
        real.set(re, r * nFreqs);
        imag.set(im, r * nFreqs);
      },
    );
    return { real: tf.tensor2d(real, [m, nFreqs]), imag: tf.tensor2d(imag, [m, nFreqs]) };
  }
  const plan = getPlan(nFft, window, offset, options.scale ?? 1, method);
  if (width < plan.rows)
    throw new Error(`windowedRfft: frames have ${width} samples, fewer than the window's ${plan.rows}`);
  if (plan.directRe) {
    // Samples past the window (from block framing) meet zero rows of the basis.
    const basis = (b: Float32Array) =>
      tf.tensor2d(width === plan.rows ? b : padRows(b, plan.rows, width, plan.nFreqs), [width, plan.nFreqs]);
    return { real: tf.matMul(frames, basis(plan.directRe)), imag: tf.matMul(frames, basis(plan.directIm!)) };
  }
  const padRight = nFft - plan.offset - plan.rows;
  const exact = width === plan.rows ? frames : tf.slice(frames, [0, 0], [m, plan.rows]);
  const padded =
    plan.offset || padRight
      ? tf.pad(exact, [
          [0, 0],
          [plan.offset, padRight],
        ])
      : exact;
  const windowed = tf.mul(padded, tf.tensor1d(plan.window!));
  if (plan.foldedRe) {
    // u[n] = x[n] + x[N - n], v[n] = x[n] - x[N - n] for n = 0..N/2 (x[N - 0] and x[N/2]'s partner
    // taken as 0): Re X = u @ cos, Im X = v @ -sin.
    const half = nFft / 2;
    const head = tf.slice(windowed, [0, 0], [m, half + 1]);
    const mirrored = tf.pad(tf.reverse(tf.slice(windowed, [0, half + 1], [m, half - 1]), 1), [
      [0, 0],
      [1, 1],
    ]);
    return {
      real: tf.matMul(tf.add(head, mirrored), tf.tensor2d(plan.foldedRe, [half + 1, plan.nFreqs])),
      imag: tf.matMul(tf.sub(head, mirrored), tf.tensor2d(plan.foldedIm!, [half + 1, plan.nFreqs])),
    };
  }
  const n1 = plan.n1Count!;
  const n2 = plan.n2Count!;
  const k2 = plan.k2Count!;
  // x[n2Count * n1 + n2] -> [m * n2, n1], then a length-n1 DFT for each n2.
  const byN2 = tf.reshape(tf.transpose(tf.reshape(windowed, [m, n1, n2]), [0, 2, 1]), [m * n2, n1]);
  const yRe = tf.reshape(tf.matMul(byN2, tf.tensor2d(plan.stage1Re!, [n1, n1])), [m, n2, n1]);
  const yIm = tf.reshape(tf.matMul(byN2, tf.tensor2d(plan.stage1Im!, [n1, n1])), [m, n2, n1]);
  // -> [n1, m, 2 n2]; one batched matmul applies twiddles and the length-n2 DFTs for every k1.
  const byK1 = tf.transpose(tf.concat([yRe, yIm], 1), [2, 0, 1]);
  const z = tf.matMul(byK1, tf.tensor3d(plan.stage2!, [n1, 2 * n2, 2 * k2])); // [n1, m, 2 k2]
  // k = k1 + n1 * k2: to [m, 2 k2, n1], flatten, keep the first nFreqs of the re and im halves.
  const flat = tf.reshape(tf.transpose(z, [1, 2, 0]), [m, 2 * k2 * n1]);
  return {
    real: tf.slice(flat, [0, 0], [m, plan.nFreqs]) as tf.Tensor2D,
    imag: tf.slice(flat, [0, k2 * n1], [m, plan.nFreqs]) as tf.Tensor2D,
  };
}
