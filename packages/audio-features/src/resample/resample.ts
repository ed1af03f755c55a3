/* eslint-disable @typescript-eslint/no-non-null-assertion -- windowed-sinc kernels over typed arrays: every index is bounded by the loop limits (taps, phase < newRate, base + t in [0, length)) */
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

export interface ResampleOptions {
  /** Zero crossings of the sinc on each side (default 6). Larger is sharper and slower. */
  lowpassFilterWidth?: number;
  /** Cut-off as a fraction of the lower Nyquist frequency (default 0.99). */
  rolloff?: number;
}

/** The schema of ResampleOptions (also decodeWav's nested `resample`). */
export const RESAMPLE_OPTIONS = optionKeys<ResampleOptions>({ lowpassFilterWidth: true, rolloff: true });

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

interface Kernel {
  orig: number;
  newRate: number;
  width: number;
  taps: number;
  /** [newRate, taps] weights, float64. */
  weights: Float64Array;
  /** First and one-past-last non-zero tap per phase. */
  first: Int32Array;
  last: Int32Array;
}

// Kernels are cached by bytes, not by count: a gcd-reduced ratio such as 4001 -> 16000 needs a
// 16000 x 4015 float64 table (514 MB), so a count-bounded cache could pin gigabytes.
/** Largest polyphase table built and cached; bigger ratios are evaluated tap by tap instead. */
export const MAX_KERNEL_BYTES = 4 * 1024 * 1024;
/** Total bytes the kernel cache may hold; the oldest kernels are evicted first. */
export const KERNEL_CACHE_BYTES = 16 * 1024 * 1024;

const cache = new Map<string, Kernel>();
let cachedBytes = 0;

function kernelBytes(k: Kernel): number {
  return k.weights.byteLength + k.first.byteLength + k.last.byteLength;
}

/** Bytes the resampler's kernel cache holds now (for tests and memory reports). */
export function resampleKernelCacheBytes(): number {
  return cachedBytes;
}

function kernelWidth(
  orig: number,
  newRate: number,
  lowpassFilterWidth: number,
  rolloff: number,
): { baseFreq: number; width: number; taps: number } {
  const baseFreq = Math.min(orig, newRate) * rolloff;
  const width = Math.ceil((lowpassFilterWidth * orig) / baseFreq);
  return { baseFreq, width, taps: 2 * width + orig };
}

/** torchaudio's _get_sinc_resample_kernel (method sinc_interp_hann), in float64. */
function sincKernel(orig: number, newRate: number, lowpassFilterWidth: number, rolloff: number): Kernel {
  const key = `${orig}:${newRate}:${lowpassFilterWidth}:${rolloff}`;
  const hit = cache.get(key);
  if (hit) {
    // Re-insert so the Map's insertion order is least-recently-used first.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const { baseFreq, width, taps } = kernelWidth(orig, newRate, lowpassFilterWidth, rolloff);
  const weights = new Float64Array(newRate * taps);
  const first = new Int32Array(newRate).fill(taps);
  const last = new Int32Array(newRate);
  const scale = baseFreq / orig;
  for (let phase = 0; phase < newRate; phase++) {
    for (let k = 0; k < taps; k++) {
      let t = (-phase / newRate + (k - width) / orig) * baseFreq;
      t = Math.max(-lowpassFilterWidth, Math.min(lowpassFilterWidth, t));
      const window = Math.cos((t * Math.PI) / lowpassFilterWidth / 2) ** 2;
      const x = t * Math.PI;
      const v = (x === 0 ? 1 : Math.sin(x) / x) * window * scale;
      weights[phase * taps + k] = v;
      if (v !== 0) {
        first[phase] = Math.min(first[phase]!, k);
        last[phase] = k + 1;
      }
    }
  }
  const kernel = { orig, newRate, width, taps, weights, first, last };
  const bytes = kernelBytes(kernel);
  for (const [oldKey, old] of cache) {
    if (cachedBytes + bytes <= KERNEL_CACHE_BYTES) break;
    cache.delete(oldKey);
    cachedBytes -= kernelBytes(old);
  }
  cache.set(key, kernel);
  cachedBytes += bytes;
  return kernel;
}

/**
 * The same filter evaluated tap by tap, for ratios whose polyphase table would exceed MAX_KERNEL_BYTES.
 * Output j sums the inputs i with |t| < lowpassFilterWidth, t = (i / orig - j / newRate) * baseFreq; the
 * taps the table also holds beyond that are clamped to the window's zero (about 1e-49) and are skipped.
 * Work is O(output length x taps per output) and no table is allocated.
 */
export function resampleDirect(
  samples: Float32Array,
  orig: number,
  newRate: number,
  lpw: number,
  rolloff: number,
  outLength: number,
): Float32Array {
  const { baseFreq, width, taps } = kernelWidth(orig, newRate, lpw, rolloff);
  const scale = baseFreq / orig;
  const reach = (lpw * orig) / baseFreq; // |i - (m * orig + phase * orig / newRate)| < reach
  const out = new Float32Array(outLength);
  const length = samples.length;
  for (let j = 0; j < outLength; j++) {
    const m = Math.floor(j / newRate);
    const phase = j - m * newRate;
    const base = m * orig - width;
    const centre = width + (phase * orig) / newRate; // the tap k where t = 0
    const lo = Math.max(0, Math.floor(centre - reach), -base);
    const hi = Math.min(taps, Math.ceil(centre + reach) + 1, length - base);
    let acc = 0;
    for (let k = lo; k < hi; k++) {
      const t = (-phase / newRate + (k - width) / orig) * baseFreq;
      if (t <= -lpw || t >= lpw) continue;
      const window = Math.cos((t * Math.PI) / lpw / 2) ** 2;
      const x = t * Math.PI;
      acc += samples[base + k]! * (x === 0 ? 1 : Math.sin(x) / x) * window * scale;
    }
    out[j] = acc;
  }
  return out;
}

/**
 * Band-limited resampling by windowed-sinc interpolation, the same filter as
 * torchaudio.functional.resample (sinc_interp_hann, lowpassFilterWidth 6, rolloff 0.99): the output
 * has ceil(length * newFreq / origFreq) samples and agrees with torchaudio to float32 rounding.
 * The polyphase table of a ratio is cached (KERNEL_CACHE_BYTES in all); a ratio whose gcd-reduced
 * table would exceed MAX_KERNEL_BYTES (e.g. 4001 -> 16000 Hz) is computed tap by tap without a table.
 */
export function resample(
  samples: Float32Array,
  origFreq: number,
  newFreq: number,
  resampleOptions?: ResampleOptions,
): Float32Array {
  const fn = 'resample';
  const options = checkOptions(fn, resampleOptions, RESAMPLE_OPTIONS);
  if (!(samples instanceof Float32Array)) throw new Error(`${fn}: samples must be a Float32Array`);
  for (const [name, v] of [
    ['origFreq', origFreq],
    ['newFreq', newFreq],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0)
      throw new Error(`${fn}: ${name} must be a positive integer (Hz), got ${v}`);
  }
  const lpw = options.lowpassFilterWidth ?? 6;
  if (!Number.isInteger(lpw) || lpw <= 0)
    throw new Error(`${fn}: lowpassFilterWidth must be a positive integer, got ${lpw}`);
  const rolloff = options.rolloff ?? 0.99;
  if (!(rolloff > 0 && rolloff <= 1)) throw new Error(`${fn}: rolloff must be in (0, 1], got ${rolloff}`);
  if (origFreq === newFreq) return samples.slice();
  const g = gcd(origFreq, newFreq);
  const orig = origFreq / g;
  const newRate = newFreq / g;
  const length = samples.length;
  const outLength = Math.ceil((newRate * length) / orig);
  const { taps } = kernelWidth(orig, newRate, lpw, rolloff);
  if (newRate * taps * 8 > MAX_KERNEL_BYTES)
    return resampleDirect(samples, orig, newRate, lpw, rolloff, outLength);
  const k = sincKernel(orig, newRate, lpw, rolloff);
  const out = new Float32Array(outLength);
  // y[m * newRate + phase] = sum_k x[m * orig + k - width] * w[phase][k] (zero outside the signal).
  for (let j = 0; j < outLength; j++) {
    const m = Math.floor(j / newRate);
    const phase = j - m * newRate;
    const base = m * orig - k.width;
    const row = phase * k.taps;
    const lo = Math.max(k.first[phase]!, -base);
    const hi = Math.min(k.last[phase]!, length - base);
    let acc = 0;
    for (let t = lo; t < hi; t++) acc += samples[base + t]! * k.weights[row + t]!;
    out[j] = acc;
  }
  return out;
}
