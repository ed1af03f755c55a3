import meydaImport from 'meyda';
import type { MeydaAudioFeature, MeydaFeaturesObject, MeydaWindowingFunction } from 'meyda';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

// meyda's Node build is CommonJS (module.exports = Meyda) while its types declare an ES default
// export; bundlers may hand us either shape.
type MeydaApi = typeof meydaImport extends { default: infer D } ? D : typeof meydaImport;
const Meyda = ((meydaImport as unknown as { default?: MeydaApi }).default ?? meydaImport) as MeydaApi;

interface MeydaCaches {
  melFilterBank?: unknown;
  barkScale?: unknown;
  chromaFilterBank?: unknown;
}

export interface MeydaFrameExtractorOptions {
  /** Sample rate of the frames in Hz. */
  sampleRate: number;
  /** Frame length; meyda needs a power of two (default 512). */
  bufferSize?: number;
  /** Mel bands for melBands/mfcc (default 26, meyda's). */
  melBands?: number;
  /** MFCC coefficients, 1..40 and at most melBands (default 13). */
  numberOfMFCCCoefficients?: number;
  /** Default 'hanning' (meyda's: symmetric, size - 1 in the denominator). */
  windowingFunction?: MeydaWindowingFunction;
}

const MEYDA_FRAME_EXTRACTOR_OPTIONS = optionKeys<MeydaFrameExtractorOptions>({
  sampleRate: true,
  bufferSize: true,
  melBands: true,
  numberOfMFCCCoefficients: true,
  windowingFunction: true,
});

/** The configuration meyda's global caches were last built for (meyda is a process-wide singleton). */
let cachedFor: string | null = null;

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

/**
 * Frame-by-frame features through meyda, with its pitfalls handled:
 * - meyda keeps one global mel filter bank and rebuilds it only when the number of bands changes, so
 *   after a change of bufferSize or sampleRate it silently uses a stale bank; this class resets
 *   meyda's caches whenever the configuration differs from the one they were built for;
 * - frames must be a power of two long and exactly bufferSize (checked here with a clear error);
 * - meyda's mfcc is DCT-II (unnormalised, x2) of ln(1 + mel energy) on the raw |FFT|^2, so its scale
 *   depends on the input level; it is not torchaudio's MFCC (see the package README).
 */
export class MeydaFrameExtractor {
  readonly sampleRate: number;
  readonly bufferSize: number;
  readonly melBands: number;
  readonly numberOfMFCCCoefficients: number;
  readonly windowingFunction: MeydaWindowingFunction;
  private readonly key: string;

  constructor(options: MeydaFrameExtractorOptions) {
    const fn = 'MeydaFrameExtractor';
    checkOptions(fn, options, MEYDA_FRAME_EXTRACTOR_OPTIONS);
    this.sampleRate = options.sampleRate;
    if (!(this.sampleRate > 0))
      throw new Error(`${fn}: sampleRate must be a positive number, got ${options.sampleRate}`);
    this.bufferSize = options.bufferSize ?? 512;
    if (!isPowerOfTwo(this.bufferSize)) {
      throw new Error(
        `${fn}: bufferSize must be a power of two (meyda's FFT needs one), got ${this.bufferSize}`,
      );
    }
    this.melBands = options.melBands ?? 26;
    if (!Number.isInteger(this.melBands) || this.melBands < 1)
      throw new Error(`${fn}: melBands must be a positive integer, got ${this.melBands}`);
    this.numberOfMFCCCoefficients = options.numberOfMFCCCoefficients ?? 13;
    const n = this.numberOfMFCCCoefficients;
    if (!Number.isInteger(n) || n < 1 || n > 40) {
      throw new Error(
        `${fn}: numberOfMFCCCoefficients must be an integer in 1..40 (meyda clamps silently), got ${n}`,
      );
    }
    if (n > this.melBands)
      throw new Error(`${fn}: numberOfMFCCCoefficients (${n}) cannot exceed melBands (${this.melBands})`);
    this.windowingFunction = options.windowingFunction ?? 'hanning';
    if (!['hanning', 'hamming', 'blackman', 'sine', 'rect'].includes(this.windowingFunction)) {
      throw new Error(
        `${fn}: windowingFunction must be hanning, hamming, blackman, sine or rect, got ${JSON.stringify(this.windowingFunction)}`,
      );
    }
    this.key = [this.sampleRate, this.bufferSize, this.melBands, this.numberOfMFCCCoefficients].join(':');
  }

  /** Features of one frame (exactly bufferSize samples). */
  extract<F extends MeydaAudioFeature>(
    features: readonly F[],
    frame: Float32Array,
  ): Pick<MeydaFeaturesObject, F & keyof MeydaFeaturesObject> {
    if (!(frame instanceof Float32Array))
      throw new Error('MeydaFrameExtractor.extract: frame must be a Float32Array');
    if (frame.length !== this.bufferSize) {
      throw new Error(
        `MeydaFrameExtractor.extract: frame has ${frame.length} samples, expected bufferSize = ${this.bufferSize}`,
      );
    }
    const bad = frame.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`MeydaFrameExtractor.extract: frame[${bad}] is ${frame[bad]}`);
    const m = Meyda as unknown as MeydaCaches & {
      bufferSize: number;
      sampleRate: number;
      melBands: number;
      numberOfMFCCCoefficients: number;
      windowingFunction: MeydaWindowingFunction;
    };
    if (cachedFor !== this.key) {
      m.melFilterBank = undefined;
      m.barkScale = undefined;
      m.chromaFilterBank = undefined;
      cachedFor = this.key;
    }
    m.bufferSize = this.bufferSize;
    m.sampleRate = this.sampleRate;
    m.melBands = this.melBands;
    m.numberOfMFCCCoefficients = this.numberOfMFCCCoefficients;
    m.windowingFunction = this.windowingFunction;
    // meyda writes windowed samples into its own buffers; pass a copy so the caller's frame is untouched.
    return Meyda.extract(features as unknown as MeydaAudioFeature[], frame.slice()) as never;
  }

  /** MFCCs of every frame of a signal, frames `hopSize` apart (no padding): [frames][coefficients]. */
  mfccFrames(signal: Float32Array, hopSize = this.bufferSize / 2): Float32Array[] {
    if (!Number.isInteger(hopSize) || hopSize < 1)
      throw new Error(`MeydaFrameExtractor.mfccFrames: hopSize must be a positive integer, got ${hopSize}`);
    const out: Float32Array[] = [];
    for (let start = 0; start + this.bufferSize <= signal.length; start += hopSize) {
      const f = this.extract(['mfcc'], signal.subarray(start, start + this.bufferSize));
      out.push(Float32Array.from(f.mfcc));
    }
    return out;
  }
}

/** Forgets meyda's cached filter banks (for code that also drives meyda directly). */
export function resetMeydaCaches(): void {
  const m = Meyda as unknown as MeydaCaches;
  m.melFilterBank = undefined;
  m.barkScale = undefined;
  m.chromaFilterBank = undefined;
  cachedFor = null;
}

export { Meyda as meyda };
