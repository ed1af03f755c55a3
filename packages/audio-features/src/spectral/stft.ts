import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys, type OptionKeys } from '@rnnkit/tensor-core';

import { checkPadMode, frameByBlocks, numFrames, type PadMode } from './frames.js';
import { checkWindowType, windowValues, type WindowType } from './window.js';
import { windowedRfft, type DftMethod } from './windowed_rfft.js';
import { HostFrames, hostWindowedSpectra, resolvesToHostFft, type SparseBank } from './host_spectrum.js';
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

/** The keys of StftOptions, spread into the key lists of the options types that extend it. */
export const STFT_KEYS = {
  nFft: true,
  winLength: true,
  hopLength: true,
  window: true,
  center: true,
  padMode: true,
  normalized: true,
  dftMethod: true,
} as const satisfies OptionKeys<StftOptions>;
/** The schema of StftOptions. */
export const STFT_OPTIONS = optionKeys<StftOptions>(STFT_KEYS);

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

interface StftGeometry {
  batch: number;
  length: number;
  frames: number;
  /** Offset of the window inside the nFft-long frame. */
  left: number;
  /** Position of frame 0's first windowed sample. */
  start: number;
  win: Float32Array;
  scale: number;
}

function stftGeometry(fn: string, signal2d: tf.Tensor2D, s: ResolvedStft): StftGeometry {
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
  return { batch, length, frames, left, start, win, scale };
}

function hostFrames(fn: string, signal2d: tf.Tensor2D, s: ResolvedStft, g: StftGeometry): HostFrames {
  const values = signal2d.dataSync() as Float32Array;
  return new HostFrames(
    fn,
    values,
    g.batch,
    g.length,
    g.frames,
    s.winLength,
    s.hopLength,
    g.start,
    s.padMode,
  );
}

/**
 * |X|^power frames-major [batch, frames, nFreqs], or through a [nFreqs, nBands] filterbank
 * ([batch, frames, nBands]); with `freqMajor` [batch, nFreqs or nBands, frames]. Computed with the
 * host FFT: the signal is read once, and only the result becomes a tensor. Only where
 * resolvesToHostFft(s.dftMethod) holds.
 */
export function hostPowerSpectrogram(
  fn: string,
  signal2d: tf.Tensor2D,
  s: ResolvedStft,
  power: number,
  bank?: SparseBank,
  freqMajor = false,
): tf.Tensor3D {
  const g = stftGeometry(fn, signal2d, s);
  const frames = hostFrames(fn, signal2d, s, g);
  const out = hostWindowedSpectra(frames, s.nFft, g.win, g.left, g.scale, {
    kind: 'power',
    power,
    bank,
    freqMajor,
  });
  const width = bank ? bank.nBands : s.nFreqs;
  return tf.tensor3d(
    (out as { values: Float32Array }).values,
    freqMajor ? [g.batch, width, g.frames] : [g.batch, g.frames, width],
  );
}

/**
 * Real and imaginary STFT, frames-major: signal [batch, time] -> two tensors [batch, frames, nFreqs].
 * (Frames-major keeps the following matmuls with filterbanks free of transposes.)
 */
export function stftFramesMajor(
  fn: string,
  signal2d: tf.Tensor2D,
  s: ResolvedStft,
): { real: tf.Tensor3D; imag: tf.Tensor3D } {
  const g = stftGeometry(fn, signal2d, s);
  const { batch, frames, left, start, win, scale } = g;
  if (resolvesToHostFft(fn, s.dftMethod)) {
    const out = hostWindowedSpectra(hostFrames(fn, signal2d, s, g), s.nFft, win, left, scale, {
      kind: 'complex',
    }) as { real: Float32Array; imag: Float32Array };
    return {
      real: tf.tensor3d(out.real, [batch, frames, s.nFreqs]),
      imag: tf.tensor3d(out.imag, [batch, frames, s.nFreqs]),
    };
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
export function powerFramesMajor(
  fn: string,
  signal2d: tf.Tensor2D,
  s: ResolvedStft,
  power: number,
): tf.Tensor3D {
  if (resolvesToHostFft(fn, s.dftMethod)) return hostPowerSpectrogram(fn, signal2d, s, power);
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

/** Drops the batch axis for 1-D input. */
export function dropBatch(x: tf.Tensor, inputRank: number): tf.Tensor {
  return inputRank === 1 ? tf.squeeze(x, [0]) : x;
}

/** [batch, frames, bins] -> [..., bins, frames], dropping the batch axis for 1-D input. */
export function toFreqMajor(x: tf.Tensor3D, inputRank: number): tf.Tensor {
  const t = tf.transpose(x, [0, 2, 1]);
  return inputRank === 1 ? tf.squeeze(t, [0]) : t;
}

/** torch.stft(..., return_complex=True) as two real tensors [..., nFreqs, frames]. */
export function stft(
  signal: tf.Tensor1D | tf.Tensor2D,
  options: StftOptions = {},
): { real: tf.Tensor; imag: tf.Tensor } {
  const fn = 'stft';
  checkOptions(fn, options, STFT_OPTIONS);
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

const SPECTROGRAM_OPTIONS = optionKeys<SpectrogramOptions>({ ...STFT_KEYS, power: true });

/** torchaudio.transforms.Spectrogram: |STFT|^power, [..., nFreqs, frames]. */
export function spectrogram(signal: tf.Tensor1D | tf.Tensor2D, options: SpectrogramOptions = {}): tf.Tensor {
  const fn = 'spectrogram';
  checkOptions(fn, options, SPECTROGRAM_OPTIONS);
  checkSignal(fn, signal);
  const s = resolveStft(fn, options);
  const power = checkPositive(fn, 'power', options.power ?? 2);
  if (resolvesToHostFft(fn, s.dftMethod)) {
    return tf.tidy(() =>
      dropBatch(hostPowerSpectrogram(fn, as2d(signal), s, power, undefined, true), signal.rank),
    );
  }
  return tf.tidy(() => toFreqMajor(powerFramesMajor(fn, as2d(signal), s, power), signal.rank));
}
