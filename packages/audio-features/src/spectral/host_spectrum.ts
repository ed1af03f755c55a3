import * as tf from '@tensorflow/tfjs-core';

import { padIndex, type PadMode } from './frames.js';
import { hostRealDft, type HostRealDft } from './host_dft.js';

/**
 * Backends whose tensors live in host memory, where 'auto' computes spectra with the host FFT:
 * reading the signal once and writing the spectrum (or mel energies) once is far cheaper there than
 * an O(nFft^2) matmul DFT. GPU backends keep the matmul DFT (the data stays on the device).
 */
export function hostFftByDefault(): boolean {
  const backend = tf.getBackend();
  return backend === 'cpu' || backend === 'wasm';
}

/** Whether a DftMethod resolves to the host FFT on the active backend; 'fft' where tensors cannot be read synchronously is an error. */
export function resolvesToHostFft(fn: string, method: string): boolean {
  if (method === 'fft') {
    const backend = tf.getBackend();
    if (backend === 'webgpu' || backend === 'webgl') {
      throw new Error(
        `${fn}: dftMethod 'fft' runs on the host and needs a backend whose tensors can be read synchronously (cpu, wasm, tensorflow); the active backend is ${backend}`,
      );
    }
    return true;
  }
  return method === 'auto' && hostFftByDefault();
}

type FrameFill = (row: number, dst: Float64Array, lane: number) => void;

/**
 * Runs the DFT over `rows` frames in pairs: `fill(row, dst, lane)` writes the nFft samples of a
 * frame (windowed, zero-padded; every one) to dst[2 j + lane], `sink(row, re, im)` reads bins
 * 0..nFft/2. Rows are visited in order.
 */
export function hostSpectra(
  nFft: number,
  rows: number,
  fill: FrameFill,
  sink: (row: number, re: Float64Array, im: Float64Array) => void,
): void {
  forFramePairs(nFft, rows, fill, (dft, r, two) => {
    dft.transformPair(two);
    sink(r, dft.reA, dft.imA);
    if (two) sink(r + 1, dft.reB, dft.imB);
  });
}

/** hostSpectra for power spectra only: `sink(row, p)` reads |X|^2 of bins 0..nFft/2. */
export function hostPowerSpectra(
  nFft: number,
  rows: number,
  fill: FrameFill,
  sink: (row: number, p: Float64Array) => void,
): void {
  forFramePairs(nFft, rows, fill, (dft, r, two) => {
    dft.powerPair(two);
    sink(r, dft.reA);
    if (two) sink(r + 1, dft.reB);
  });
}

/** Fills rows r and r + 1 (when there is one) into the DFT's two input lanes, then hands the pair on. */
function forFramePairs(
  nFft: number,
  rows: number,
  fill: FrameFill,
  transform: (dft: HostRealDft, row: number, two: boolean) => void,
): void {
  const dft = hostRealDft(nFft);
  for (let r = 0; r < rows; r += 2) {
    const two = r + 1 < rows;
    fill(r, dft.input, 0);
    if (two) fill(r + 1, dft.input, 1);
    transform(dft, r, two);
  }
}

/** |X|^2 -> |X|^power in place. */
export function powerFromSquared(p: Float64Array, power: number): void {
  if (power === 2) return;
  const n = p.length;
  if (power === 1) for (let k = 0; k < n; k++) p[k] = Math.sqrt(p[k]!);
  else for (let k = 0; k < n; k++) p[k] = Math.pow(p[k]!, power / 2);
}

/** Frames of a host signal [batch, length], with the same padding rules (and errors) as frameByBlocks. */
export class HostFrames {
  readonly rows: number;
  private readonly leftPad: number;
  private readonly rightPad: number;

  constructor(
    private readonly fn: string,
    private readonly values: Float32Array,
    readonly batch: number,
    readonly length: number,
    readonly frames: number,
    readonly frameLength: number,
    readonly hop: number,
    /** Position of frame 0's first sample (negative: padded on the left). */
    readonly start: number,
    private readonly padMode: PadMode,
  ) {
    this.rows = batch * frames;
    const covered = (frames - 1) * hop + frameLength;
    this.leftPad = -start;
    this.rightPad = start + covered - length;
    // Check the padding up front, so a too-short signal fails before any work (as frameByBlocks does).
    for (let p = start; p < 0; p++) padIndex(fn, length, p, padMode, this.leftPad);
    for (let p = length; p < start + covered; p++) padIndex(fn, length, p, padMode, this.rightPad);
  }

  /** Writes frame `row`'s samples, times `weights` (window) if given, to dst[(offset + j) * stride + lane]. */
  read(
    row: number,
    dst: Float64Array,
    offset: number,
    weights?: Float32Array,
    scale = 1,
    stride = 1,
    lane = 0,
  ): void {
    const b = Math.floor(row / this.frames);
    const t = row - b * this.frames;
    const base = b * this.length;
    const p0 = this.start + t * this.hop;
    const n = this.frameLength;
    const x = this.values;
    const d0 = offset * stride + lane;
    if (p0 >= 0 && p0 + n <= this.length) {
      const from = base + p0;
      if (weights) for (let j = 0; j < n; j++) dst[d0 + j * stride] = x[from + j]! * weights[j]! * scale;
      else for (let j = 0; j < n; j++) dst[d0 + j * stride] = x[from + j]! * scale;
      return;
    }
    for (let j = 0; j < n; j++) {
      const p = p0 + j;
      let v: number;
      if (p >= 0 && p < this.length) {
        v = x[base + p]!;
      } else {
        const i = padIndex(this.fn, this.length, p, this.padMode, p < 0 ? this.leftPad : this.rightPad);
        v = i === this.length ? 0 : x[base + i]!;
      }
      dst[d0 + j * stride] = v * (weights ? weights[j]! : 1) * scale;
    }
  }
}

/** Nonzero runs of a [nFreqs, nBands] filterbank, one per band, for O(band width) mel sums. */
export interface SparseBank {
  nFreqs: number;
  nBands: number;
  from: Int32Array;
  to: Int32Array;
  /** weights[band][k - from[band]] */
  weights: Float64Array[];
}

const sparseBanks = new WeakMap<Float32Array, SparseBank>();

export function sparseBank(bank: Float32Array, nFreqs: number, nBands: number): SparseBank {
  let s = sparseBanks.get(bank);
  if (s && s.nFreqs === nFreqs && s.nBands === nBands) return s;
  const from = new Int32Array(nBands);
  const to = new Int32Array(nBands);
  const weights: Float64Array[] = [];
  for (let m = 0; m < nBands; m++) {
    let lo = -1;
    let hi = -1;
    for (let k = 0; k < nFreqs; k++) {
      if (bank[k * nBands + m] !== 0) {
        if (lo < 0) lo = k;
        hi = k + 1;
      }
    }
    if (lo < 0) lo = hi = 0;
    from[m] = lo;
    to[m] = hi;
    const w = new Float64Array(hi - lo);
    for (let k = lo; k < hi; k++) w[k - lo] = bank[k * nBands + m]!;
    weights.push(w);
  }
  s = { nFreqs, nBands, from, to, weights };
  sparseBanks.set(bank, s);
  return s;
}

/** out[offset + m * stride] = sum_k p[k] bank[k, m]. */
export function applyBank(
  p: Float64Array,
  bank: SparseBank,
  out: Float32Array | Float64Array,
  offset: number,
  stride = 1,
): void {
  for (let m = 0; m < bank.nBands; m++) {
    const w = bank.weights[m]!;
    const lo = bank.from[m]!;
    let acc = 0;
    for (let j = 0; j < w.length; j++) acc += p[lo + j]! * w[j]!;
    out[offset + m * stride] = acc;
  }
}

/**
 * Windowed power (or magnitude^power) spectra of framed host samples, optionally through a
 * filterbank: [rows, nFreqs] or [rows, nBands] float32, or with `freqMajor` [batch, nFreqs or
 * nBands, frames] (torchaudio's layout, so no transpose follows).
 */
export function hostWindowedSpectra(
  frames: HostFrames,
  nFft: number,
  window: Float32Array,
  offset: number,
  scale: number,
  out: { kind: 'complex' } | { kind: 'power'; power: number; bank?: SparseBank; freqMajor?: boolean },
): { real: Float32Array; imag: Float32Array } | { values: Float32Array } {
  const nFreqs = Math.floor(nFft / 2) + 1;
  const rows = frames.rows;
  const tail = offset + frames.frameLength;
  const fill = (r: number, dst: Float64Array, lane: number) => {
    for (let j = 0; j < offset; j++) dst[2 * j + lane] = 0;
    frames.read(r, dst, offset, window, scale, 2, lane);
    for (let j = tail; j < nFft; j++) dst[2 * j + lane] = 0;
  };
  if (out.kind === 'complex') {
    const real = new Float32Array(rows * nFreqs);
    const imag = new Float32Array(rows * nFreqs);
    hostSpectra(nFft, rows, fill, (r, re, im) => {
      real.set(re, r * nFreqs);
      imag.set(im, r * nFreqs);
    });
    return { real, imag };
  }
  const bank = out.bank;
  const width = bank ? bank.nBands : nFreqs;
  const values = new Float32Array(rows * width);
  const power = out.power;
  const nFrames = frames.frames;
  hostPowerSpectra(nFft, rows, fill, (r, p) => {
    powerFromSquared(p, power);
    let offset = r * width;
    let stride = 1;
    if (out.freqMajor) {
      const b = Math.floor(r / nFrames);
      offset = b * width * nFrames + (r - b * nFrames);
      stride = nFrames;
    }
    if (bank) applyBank(p, bank, values, offset, stride);
    else for (let k = 0; k < nFreqs; k++) values[offset + k * stride] = p[k]!;
  });
  return { values };
}
