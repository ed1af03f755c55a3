import FFT from 'fft.js';

import { MixedRadixFft, mixedRadixFactors } from './mixed_radix_fft.js';

/**
 * Real DFTs of frames on the host, in float64, O(n log n) per frame, for backends whose tensors live
 * in host memory (cpu, wasm): there a matmul DFT costs O(nFft^2) per frame and was the whole cost of
 * feature extraction (tools/bench/audio-features.ts).
 *
 * Two real frames a and b go through one complex FFT of z = a + i b, then are separated with
 * A[k] = (Z[k] + conj Z[N-k]) / 2 and B[k] = (Z[k] - conj Z[N-k]) / 2i: half the transforms of
 * one real FFT per frame (fft.js's realTransform was ~1.7x slower per frame than this; one complex
 * FFT of half the length per frame was no faster). Power-of-two
 * sizes use fft.js (radix-4); sizes with prime factors <= 7 (torchaudio's default nFft = 400) a
 * mixed-radix FFT; any other size Bluestein's chirp-z algorithm over a power-of-two fft.js
 * transform, which is exact for any length.
 */
export class HostRealDft {
  readonly nFft: number;
  readonly nFreqs: number;
  /**
   * Input: two frames of nFft samples (windowed, zero-padded), interleaved: frame a at even indices,
   * frame b at odd ones (z = a + i b). Callers write it directly, which saves a copy per frame.
   */
  readonly input: Float64Array;
  /** Outputs after transformPair(): bins 0..nFft/2 of a's and b's spectra. */
  readonly reA: Float64Array;
  readonly imA: Float64Array;
  readonly reB: Float64Array;
  readonly imB: Float64Array;

  private readonly fft: FFT;
  private readonly mixed?: MixedRadixFft;
  private readonly size: number;
  private readonly zIn: Float64Array;
  private readonly zOut: Float64Array;
  private readonly conv?: Float64Array;
  /** Bluestein: chirp c[n] = exp(-i pi n^2 / N) (interleaved re, im) and the FFT of conj(c) wrapped around. */
  private readonly chirp?: Float64Array;
  private readonly kernelFft?: Float64Array;

  constructor(nFft: number) {
    if (!Number.isInteger(nFft) || nFft < 1)
      throw new Error(`HostRealDft: nFft must be a positive integer, got ${nFft}`);
    this.nFft = nFft;
    this.nFreqs = Math.floor(nFft / 2) + 1;
    this.input = new Float64Array(2 * nFft);
    this.reA = new Float64Array(this.nFreqs);
    this.imA = new Float64Array(this.nFreqs);
    this.reB = new Float64Array(this.nFreqs);
    this.imB = new Float64Array(this.nFreqs);
    const pow2 = nFft >= 4 && (nFft & (nFft - 1)) === 0;
    if (!pow2 && mixedRadixFactors(nFft)) this.mixed = new MixedRadixFft(nFft);
    let size = 4;
    if (pow2 || this.mixed) size = nFft;
    else while (size < 2 * nFft - 1) size *= 2;
    this.size = size;
    this.fft = new FFT(this.mixed ? 4 : size);
    this.zIn = new Float64Array(2 * size);
    this.zOut = new Float64Array(2 * size);
    if (!pow2 && !this.mixed) {
      const chirp = new Float64Array(2 * nFft);
      for (let n = 0; n < nFft; n++) {
        // n^2 mod 2N in integers keeps the angle exact for large n.
        const a = (Math.PI * ((n * n) % (2 * nFft))) / nFft;
        chirp[2 * n] = Math.cos(a);
        chirp[2 * n + 1] = -Math.sin(a);
      }
      const kernel = new Float64Array(2 * size);
      for (let n = 0; n < nFft; n++) {
        kernel[2 * n] = chirp[2 * n]!;
        kernel[2 * n + 1] = -chirp[2 * n + 1]!;
        if (n > 0) {
          kernel[2 * (size - n)] = chirp[2 * n]!;
          kernel[2 * (size - n) + 1] = -chirp[2 * n + 1]!;
        }
      }
      this.chirp = chirp;
      this.kernelFft = new Float64Array(2 * size);
      this.fft.transform(this.kernelFft, kernel);
      this.conv = new Float64Array(2 * size);
    }
  }

  /** Transforms frames a and b of `input` (with `withB` false, b's lanes are zeroed first) into reA, imA, reB, imB. */
  transformPair(withB = true): void {
    this.splitPair(this.fftPair(withB), false);
  }

  /** Like transformPair, but only the power spectra |A|^2 and |B|^2, into reA and reB (saves the split). */
  powerPair(withB = true): void {
    this.splitPair(this.fftPair(withB), true);
  }

  /** A[k] and B[k] from Z[k] and Z[N-k] (see the class comment), or with `power` |A[k]|^2 and |B[k]|^2. */
  private splitPair(spectrum: Float64Array, power: boolean): void {
    const n = this.nFft;
    const { reA, imA, reB, imB } = this;
    for (let k = 0; k < this.nFreqs; k++) {
      const m = k === 0 ? 0 : n - k;
      const zr = spectrum[2 * k]!;
      const zi = spectrum[2 * k + 1]!;
      const wr = spectrum[2 * m]!;
      const wi = spectrum[2 * m + 1]!;
      const sr = zr + wr;
      const di = zi - wi;
      const si = zi + wi;
      const dr = zr - wr;
      if (power) {
        reA[k] = 0.25 * (sr * sr + di * di);
        reB[k] = 0.25 * (si * si + dr * dr);
      } else {
        reA[k] = 0.5 * sr;
        imA[k] = 0.5 * di;
        reB[k] = 0.5 * si;
        imB[k] = -0.5 * dr;
      }
    }
  }

  private fftPair(withB: boolean): Float64Array {
    const n = this.nFft;
    const { input, zIn, zOut } = this;
    if (!withB) for (let i = 1; i < 2 * n; i += 2) input[i] = 0;
    let spectrum: Float64Array;
    if (!this.chirp) {
      if (this.mixed) this.mixed.transform(zOut, input);
      else this.fft.transform(zOut, input);
      spectrum = zOut;
    } else {
      // Bluestein: X[k] = c[k] * sum_j (x[j] c[j]) conj(c[k - j]), the sum a circular convolution.
      const c = this.chirp;
      const kf = this.kernelFft!;
      const conv = this.conv!;
      zIn.fill(0, 2 * n);
      multiplyComplex(zIn, input, c, n);
      this.fft.transform(zOut, zIn);
      multiplyComplex(zIn, zOut, kf, this.size);
      this.fft.inverseTransform(conv, zIn);
      multiplyComplex(zOut, conv, c, n);
      spectrum = zOut;
    }
    return spectrum;
  }
}

/** dst[k] = a[k] * b[k] for the first `count` complex numbers of interleaved (re, im) arrays. */
function multiplyComplex(dst: Float64Array, a: Float64Array, b: Float64Array, count: number): void {
  for (let i = 0; i < 2 * count; i += 2) {
    const ar = a[i]!;
    const ai = a[i + 1]!;
    const br = b[i]!;
    const bi = b[i + 1]!;
    dst[i] = ar * br - ai * bi;
    dst[i + 1] = ar * bi + ai * br;
  }
}

const dfts = new Map<number, HostRealDft>();

/** One HostRealDft per size (its buffers are scratch space; JavaScript runs one call at a time). */
export function hostRealDft(nFft: number): HostRealDft {
  let dft = dfts.get(nFft);
  if (!dft) {
    if (dfts.size >= 16) dfts.clear();
    dft = new HostRealDft(nFft);
    dfts.set(nFft, dft);
  }
  return dft;
}
