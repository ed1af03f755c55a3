import * as tf from '@tensorflow/tfjs-core';

import { checkPadMode, frameByBlocks, numFrames, type PadMode } from './frames.js';
import { checkWindowType, windowValues, type WindowType } from './window.js';
import { windowedRfft, type DftMethod } from './windowed_rfft.js';
import { checkPositive, checkPositiveInt, checkSignal } from './validate.js';

export interface StftOptions {
  /** FFT size (default 400, torchaudio's). */
  nFft?: number;
  /** Window length, at most nFft; the window is zero-padded to nFft in the middle, like torch.stft (default nFft). */
  winLength?: number;
  /** Hop between frames (default floor(winLength / 2)). */
  hopLength?: number;
  /** Periodic window shape (default 'hann', torchaudio's torch.hann_window). */
  window?: WindowType;
  /** Pad nFft / 2 samples on both sides so frames are centred (default true, like torch.stft). */
  center?: boolean;
  /** How center pads (default 'reflect'). */
  padMode?: PadMode;
  /** Divide by the window's L2 norm (torchaudio's normalized=True). Default false. */
  normalized?: boolean;
  /** How the DFT is computed (default 'auto'); results agree to float32 rounding. */
  dftMethod?: DftMethod;
}

export interface ResolvedStft {
  nFft: number;
  winLength: number;
  hopLength: number;
  window: WindowType;
  center: boolean;
  padMode: PadMode;
  normalized: boolean;
  dftMethod: DftMethod;
  nFreqs: number;
}

export function resolveStft(fn: string, o: StftOptions): ResolvedStft {
  const nFft = checkPositiveInt(fn, 'nFft', o.nFft ?? 400);
  const winLength = checkPositiveInt(fn, 'winLength', o.winLength ?? nFft);
  if (winLength > nFft) throw new Error(`${fn}: nFft (${nFft}) must be >= winLength (${winLength})`);
  const hopLength = o.hopLength ?? Math.floor(winLength / 2);
  if (hopLength === 0) throw new Error(`${fn}: hopLength must be a positive integer, got 0`);
  checkPositiveInt(fn, 'hopLength', hopLength);
  const window = checkWindowType(fn, 'window', o.window ?? 'hann');
  const padMode = checkPadMode(fn, o.padMode ?? 'reflect');
  return {
    nFft,
    winLength,
    hopLength,
    window,
    center: o.center ?? true,
    padMode,
    normalized: o.normalized ?? false,
    dftMethod: o.dftMethod ?? 'auto',
    nFreqs: Math.floor(nFft / 2) + 1,
  };
}

/**
 * Real and imaginary STFT, frames-major: signal [batch, time] -> two tensors [batch, frames, nFreqs].
 * (Frames-major keeps the following matmuls with filterbanks free of transposes.)
 */
export function stftFramesMajor(fn: string, signal2d: tf.Tensor2D, s: ResolvedStft): { real: tf.Tensor3D; imag: tf.Tensor3D } {
  const [batch, length] = signal2d.shape;
  const frames = numFrames(length, s.nFft, s.hopLength, s.center);
  if (frames === 0) {
    throw new Error(`${fn}: signal has ${length} samples, fewer than nFft = ${s.nFft} (with center = false)`);
  }
  const left = Math.floor((s.nFft - s.winLength) / 2);
  const start = (s.center ? -Math.floor(s.nFft / 2) : 0) + left;
  const win = windowValues(s.window, s.winLength, true);
  let scale = 1;
  if (s.normalized) {
    let sq = 0;
    for (let i = 0; i < win.length; i++) sq += win[i]! * win[i]!;
    scale = 1 / Math.sqrt(sq);
  }
  return tf.tidy(() => {
    const framed = frameByBlocks(fn, signal2d, frames, s.winLength, s.hopLength, start, s.padMode, false);
    const flat = tf.reshape(framed, [batch * frames, framed.shape[2]]) as tf.Tensor2D;
    const { real, imag } = windowedRfft(flat, s.nFft, win, left, { scale, method: s.dftMethod });
    return {
      real: tf.reshape(real, [batch, frames, s.nFreqs]) as tf.Tensor3D,
      imag: tf.reshape(imag, [batch, frames, s.nFreqs]) as tf.Tensor3D,
    };
  });
}

/** |X|^power, frames-major [batch, frames, nFreqs]. */
export function powerFramesMajor(fn: string, signal2d: tf.Tensor2D, s: ResolvedStft, power: number): tf.Tensor3D {
  return tf.tidy(() => {
    const { real, imag } = stftFramesMajor(fn, signal2d, s);
    const p2 = tf.add(tf.square(real), tf.square(imag));
    if (power === 2) return p2 as tf.Tensor3D;
    const mag = tf.sqrt(p2);
    return (power === 1 ? mag : tf.pow(mag, power)) as tf.Tensor3D;
  });
}

export function as2d(signal: tf.Tensor1D | tf.Tensor2D): tf.Tensor2D {
  return (signal.rank === 1 ? tf.expandDims(signal, 0) : signal) as tf.Tensor2D;
}

/** [batch, frames, bins] -> [..., bins, frames], dropping the batch axis for 1-D input. */
export function toFreqMajor(x: tf.Tensor3D, inputRank: number): tf.Tensor {
  const t = tf.transpose(x, [0, 2, 1]);
  return inputRank === 1 ? tf.squeeze(t, [0]) : t;
}

/** torch.stft(..., return_complex=True) as two real tensors [..., nFreqs, frames]. */
export function stft(signal: tf.Tensor1D | tf.Tensor2D, options: StftOptions = {}): { real: tf.Tensor; imag: tf.Tensor } {
  const fn = 'stft';
  checkSignal(fn, signal);
  const s = resolveStft(fn, options);
  return tf.tidy(() => {
    const { real, imag } = stftFramesMajor(fn, as2d(signal), s);
    return { real: toFreqMajor(real, signal.rank), imag: toFreqMajor(imag, signal.rank) };
  });
}

export interface SpectrogramOptions extends StftOptions {
  /** Exponent of the magnitude: 2 for power (default), 1 for magnitude. */
  power?: number;
}

/** torchaudio.transforms.Spectrogram: |STFT|^power, [..., nFreqs, frames]. */
export function spectrogram(signal: tf.Tensor1D | tf.Tensor2D, options: SpectrogramOptions = {}): tf.Tensor {
  const fn = 'spectrogram';
  checkSignal(fn, signal);
  const s = resolveStft(fn, options);
  const power = checkPositive(fn, 'power', options.power ?? 2);
  return tf.tidy(() => toFreqMajor(powerFramesMajor(fn, as2d(signal), s, power), signal.rank));
}
