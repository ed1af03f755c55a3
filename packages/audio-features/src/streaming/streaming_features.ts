import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys, type OptionSchema } from '@rnnkit/tensor-core';

import { KALDI_FBANK_OPTIONS, kaldiFbank, type KaldiFbankOptions } from '../kaldi/kaldi_fbank.js';
import {
  LOG_MEL_SPECTROGRAM_OPTIONS,
  logMelSpectrogram,
  type LogMelSpectrogramOptions,
} from '../features/log_mel_spectrogram.js';
import {
  MEL_SPECTROGRAM_OPTIONS,
  melSpectrogram,
  type MelSpectrogramOptions,
} from '../features/mel_spectrogram.js';
import { checkMfccOptions, mfcc, type MfccOptions } from '../features/mfcc.js';
import { resolveStft } from '../spectral/stft.js';

export type StreamingFeatureSpec =
  | { kind: 'melSpectrogram'; options: MelSpectrogramOptions }
  | { kind: 'logMelSpectrogram'; options: LogMelSpectrogramOptions }
  | { kind: 'mfcc'; options: MfccOptions }
  | { kind: 'kaldiFbank'; options: KaldiFbankOptions };

const SPEC_KEYS = optionKeys<StreamingFeatureSpec>({ kind: true, options: true });
const KIND_OPTIONS: Record<Exclude<StreamingFeatureSpec['kind'], 'mfcc'>, OptionSchema> = {
  melSpectrogram: MEL_SPECTROGRAM_OPTIONS,
  logMelSpectrogram: LOG_MEL_SPECTROGRAM_OPTIONS,
  kaldiFbank: KALDI_FBANK_OPTIONS,
};

/**
 * Batched features computed incrementally over chunks of audio (a microphone, a network stream):
 * each push returns the frames that became complete, and concatenating them along the frames axis
 * gives the batch result over the whole signal. That holds for definitions without look-ahead or
 * whole-utterance statistics, so the constructor rejects center = true (its right padding needs the
 * end of the signal), dB scaling with topDb (a per-utterance maximum) and Kaldi's subtractMean;
 * kaldiFbank needs snipEdges = true and dither = 0.
 *
 * Output layout is the batch one: [dim, frames] for mel/mfcc, [frames, dim] for kaldiFbank.
 */
export class StreamingFeatures {
  readonly frameLength: number;
  readonly hopLength: number;
  private pending = new Float32Array(0);

  constructor(private readonly spec: StreamingFeatureSpec) {
    const fn = 'StreamingFeatures';
    if (spec === undefined) throw new TypeError(`${fn}: spec must be { kind, options }, got undefined`);
    checkOptions(fn, spec, SPEC_KEYS, { argument: 'spec' });
    const kinds = ['mfcc', ...Object.keys(KIND_OPTIONS)];
    if (!kinds.includes(spec.kind))
      throw new RangeError(
        `${fn}: spec.kind must be one of ${kinds.join(', ')}, got ${JSON.stringify(spec.kind)}`,
      );
    // The options of the chosen feature, checked as that function checks them (mfcc with its melkwargs).
    if (spec.kind === 'mfcc') checkMfccOptions(`${fn}: mfcc options`, spec.options);
    else checkOptions(`${fn}: ${spec.kind} options`, spec.options, KIND_OPTIONS[spec.kind]);
    if (spec.kind === 'kaldiFbank') {
      const o = spec.options;
      if (o.snipEdges === false)
        throw new Error(
          `${fn}: kaldiFbank needs snipEdges = true (its edge mirroring needs the whole signal)`,
        );
      if (o.subtractMean)
        throw new Error(
          `${fn}: kaldiFbank subtractMean uses the whole utterance; apply cmvn to the result instead`,
        );
      if ((o.dither ?? 0) !== 0)
        throw new Error(`${fn}: dither must be 0 (random noise cannot match a batch computation)`);
      const sf = o.sampleFrequency ?? 16000;
      this.frameLength = Math.trunc(sf * (o.frameLength ?? 25) * 0.001);
      this.hopLength = Math.trunc(sf * (o.frameShift ?? 10) * 0.001);
      if (this.hopLength < 1) throw new Error(`${fn}: frameShift is less than one sample`);
    } else {
      const mel = spec.kind === 'mfcc' ? { ...spec.options.melkwargs } : spec.options;
      if (mel.center !== false)
        throw new Error(`${fn}: set center: false (centred frames need the signal's end for their padding)`);
      const s = resolveStft(fn, mel);
      this.frameLength = s.nFft;
      this.hopLength = s.hopLength;
      const o = spec.options as LogMelSpectrogramOptions & MfccOptions;
      const usesDb = spec.kind === 'mfcc' ? !o.logMels : spec.kind === 'logMelSpectrogram' && o.log === 'db';
      const topDb = o.topDb === undefined ? 80 : o.topDb;
      if (usesDb && topDb !== null) {
        throw new Error(
          `${fn}: topDb clamps against the utterance's maximum; use topDb: null${spec.kind === 'mfcc' ? ' or logMels: true' : " or log: 'ln'"}`,
        );
      }
    }
  }

  /** Samples received but not yet covered by a complete frame's hop. */
  get bufferedSamples(): number {
    return this.pending.length;
  }

  /** Adds a chunk; returns the features of the frames it completed, or null if none. */
  push(chunk: Float32Array): tf.Tensor | null {
    if (!(chunk instanceof Float32Array))
      throw new Error('StreamingFeatures.push: chunk must be a Float32Array');
    const bad = chunk.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`StreamingFeatures.push: chunk[${bad}] is ${chunk[bad]}`);
    const joined = new Float32Array(this.pending.length + chunk.length);
    joined.set(this.pending);
    joined.set(chunk, this.pending.length);
    this.pending = joined;
    if (joined.length < this.frameLength) return null;
    const frames = 1 + Math.floor((joined.length - this.frameLength) / this.hopLength);
    const used = (frames - 1) * this.hopLength + this.frameLength;
    const out = tf.tidy(() => this.compute(tf.tensor1d(joined.subarray(0, used))));
    this.pending = joined.slice(frames * this.hopLength);
    return out;
  }

  /** Drops buffered samples (start of a new utterance). */
  reset(): void {
    this.pending = new Float32Array(0);
  }

  private compute(x: tf.Tensor1D): tf.Tensor {
    switch (this.spec.kind) {
      case 'melSpectrogram':
        return melSpectrogram(x, this.spec.options);
      case 'logMelSpectrogram':
        return logMelSpectrogram(x, this.spec.options);
      case 'mfcc':
        return mfcc(x, this.spec.options);
      case 'kaldiFbank':
        return kaldiFbank(x, this.spec.options);
    }
  }
}
