import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys, SeededRandom } from '@rnnkit/tensor-core';

import { frameByBlocks } from '../spectral/frames.js';
import {
  applyBank,
  HostFrames,
  hostPowerSpectra,
  resolvesToHostFft,
  sparseBank,
} from '../spectral/host_spectrum.js';
import { windowedRfft, type DftMethod } from '../spectral/windowed_rfft.js';
import { checkWindowType, windowValues, type WindowType } from '../spectral/window.js';
import { checkPositive, checkPositiveInt, checkSignal } from '../spectral/validate.js';

/** torchaudio.compliance.kaldi.fbank's options, camelCase, with its defaults. */
export interface KaldiFbankOptions {
  /** Hz (default 16000). */
  sampleFrequency?: number;
  /** Frame length in ms (default 25). */
  frameLength?: number;
  /** Frame shift in ms (default 10). */
  frameShift?: number;
  /** Default 23. */
  numMelBins?: number;
  /** Gaussian dither amount (default 0 here; Kaldi's and torchaudio's default is 0 too). Needs `seed` to be reproducible. */
  dither?: number;
  /** Seed (or generator) for dither noise (default 0). */
  seed?: number | SeededRandom;
  /** Default 0.97. */
  preemphasisCoefficient?: number;
  /** Subtract each frame's mean (default true). */
  removeDcOffset?: boolean;
  /** 'povey' (default), 'hanning', 'hamming', 'rectangular', 'blackman' (Kaldi's names). */
  windowType?: 'povey' | 'hanning' | 'hamming' | 'rectangular' | 'blackman';
  /** Default 20 Hz. */
  lowFreq?: number;
  /** Default 0: the Nyquist frequency; negative values are offsets from it. */
  highFreq?: number;
  /** true (default): only whole frames; false: frames centred on multiples of the shift, edges mirrored. */
  snipEdges?: boolean;
  /** Prepend (or append with htkCompat) a log-energy column (default false). */
  useEnergy?: boolean;
  /** Energy before preemphasis and windowing (default true). */
  rawEnergy?: boolean;
  /** Floor on the energy (absolute, not log; default 1; 0 for none). */
  energyFloor?: number;
  /** Put the energy last (default false). */
  htkCompat?: boolean;
  /** Log of the mel energies (default true). */
  useLogFbank?: boolean;
  /** Power (true, default) or magnitude spectrum. */
  usePower?: boolean;
  /** Zero-pad frames to a power of two for the FFT (default true). */
  roundToPowerOfTwo?: boolean;
  /** Subtract the mean over frames of each bin (default false). */
  subtractMean?: boolean;
  /** How the DFT is computed (default 'auto'; see DftMethod). */
  dftMethod?: DftMethod;
  /** Vocal tract length normalisation warp; only 1 (none) is supported. */
  vtlnWarp?: number;
}

/** The schema of KaldiFbankOptions. */
export const KALDI_FBANK_OPTIONS = optionKeys<KaldiFbankOptions>({
  sampleFrequency: true,
  frameLength: true,
  frameShift: true,
  numMelBins: true,
  dither: true,
  seed: true,
  preemphasisCoefficient: true,
  removeDcOffset: true,
  windowType: true,
  lowFreq: true,
  highFreq: true,
  snipEdges: true,
  useEnergy: true,
  rawEnergy: true,
  energyFloor: true,
  htkCompat: true,
  useLogFbank: true,
  usePower: true,
  roundToPowerOfTwo: true,
  subtractMean: true,
  dftMethod: true,
  vtlnWarp: true,
});

// torch.finfo(torch.float).eps, the floor torchaudio uses for log energy and log mel.
const EPSILON = 1.1920928955078125e-7;

function kaldiMel(f: number): number {
  return 1127 * Math.log(1 + f / 700);
}

/** Kaldi's mel banks [paddedWindow / 2 + 1, numBins] (the Nyquist row is zero, as torchaudio pads it). */
function kaldiMelBanks(
  fn: string,
  numBins: number,
  paddedWindow: number,
  sampleFreq: number,
  lowFreq: number,
  highFreq: number,
): Float32Array {
  const numFftBins = paddedWindow / 2;
  const nyquist = 0.5 * sampleFreq;
  const high = highFreq <= 0 ? highFreq + nyquist : highFreq;
  if (!(lowFreq >= 0 && lowFreq < nyquist))
    throw new Error(`${fn}: lowFreq must be in [0, ${nyquist}), got ${lowFreq}`);
  if (!(high > 0 && high <= nyquist && lowFreq < high)) {
    throw new Error(
      `${fn}: highFreq resolves to ${high} Hz; it must be in (lowFreq = ${lowFreq}, ${nyquist}]`,
    );
  }
  const fftBinWidth = sampleFreq / paddedWindow;
  const melLow = kaldiMel(lowFreq);
  const melHigh = kaldiMel(high);
  const delta = (melHigh - melLow) / (numBins + 1);
  const rows = Math.floor(numFftBins) + 1;
  const out = new Float32Array(rows * numBins);
  for (let b = 0; b < numBins; b++) {
    const left = melLow + b * delta;
    const center = melLow + (b + 1) * delta;
    const right = melLow + (b + 2) * delta;
    let peak = 0;
    for (let k = 0; k < Math.floor(numFftBins); k++) {
      const mel = kaldiMel(fftBinWidth * k);
      const up = (mel - left) / (center - left);
      const down = (right - mel) / (right - center);
      const v = Math.max(0, Math.min(up, down));
      out[k * numBins + b] = v;
      peak = Math.max(peak, v);
    }
    if (peak === 0) {
      throw new Error(
        `${fn}: numMelBins = ${numBins} is too large for a ${paddedWindow}-point FFT between ${lowFreq} and ${high} Hz: ` +
          `bin ${b} has no non-zero weight`,
      );
    }
  }
  return out;
}

/** Kaldi mel banks by settings (read-only). */
const bankCache = new Map<string, Float32Array>();

/**
 * torchaudio.compliance.kaldi.fbank (Kaldi's compute-fbank-feats): [time] -> [frames, numMelBins]
 * (+1 column with useEnergy). A [batch, time] input gives [batch, frames, bins] (torchaudio takes one
 * channel only). Kaldi expects int16-scaled samples: multiply [-1, 1] audio by 32768 to match it.
 */
export function kaldiFbank(signal: tf.Tensor1D | tf.Tensor2D, fbankOptions?: KaldiFbankOptions): tf.Tensor {
  const fn = 'kaldiFbank';
  const options = checkOptions(fn, fbankOptions, KALDI_FBANK_OPTIONS);
  checkSignal(fn, signal);
  const sampleFreq = checkPositive(fn, 'sampleFrequency', options.sampleFrequency ?? 16000);
  const frameLengthMs = checkPositive(fn, 'frameLength', options.frameLength ?? 25);
  const frameShiftMs = checkPositive(fn, 'frameShift', options.frameShift ?? 10);
  const numBins = checkPositiveInt(fn, 'numMelBins', options.numMelBins ?? 23);
  const dither = options.dither ?? 0;
  if (!(dither >= 0)) throw new Error(`${fn}: dither must be >= 0, got ${dither}`);
  const preemph = options.preemphasisCoefficient ?? 0.97;
  if (!(preemph >= 0 && preemph <= 1))
    throw new Error(`${fn}: preemphasisCoefficient must be in [0, 1], got ${preemph}`);
  const windowType = options.windowType ?? 'povey';
  const windowName: WindowType =
    windowType === 'hanning' ? 'hann' : checkWindowType(fn, 'windowType', windowType);
  const energyFloor = options.energyFloor ?? 1;
  if (!(energyFloor >= 0)) throw new Error(`${fn}: energyFloor must be >= 0, got ${energyFloor}`);
  if ((options.vtlnWarp ?? 1) !== 1)
    throw new Error(`${fn}: vtlnWarp = ${options.vtlnWarp} is not supported (only 1)`);
  const snipEdges = options.snipEdges ?? true;
  const useEnergy = options.useEnergy ?? false;
  const rawEnergy = options.rawEnergy ?? true;
  const usePower = options.usePower ?? true;
  const useLog = options.useLogFbank ?? true;

  // Same integer truncation as torchaudio (int(sample_frequency * ms * 0.001)).
  const shift = Math.trunc(sampleFreq * frameShiftMs * 0.001);
  const size = Math.trunc(sampleFreq * frameLengthMs * 0.001);
  if (shift < 1)
    throw new Error(`${fn}: frameShift = ${frameShiftMs} ms is less than one sample at ${sampleFreq} Hz`);
  if (size < 2)
    throw new Error(`${fn}: frameLength = ${frameLengthMs} ms gives ${size} samples; need at least 2`);
  const padded = (options.roundToPowerOfTwo ?? true) ? 2 ** Math.ceil(Math.log2(size)) : size;
  const length = signal.shape[signal.rank - 1];
  if (length === undefined) throw new Error(`${fn}: signal has no time axis`);
  if (length < size) {
    throw new Error(
      `${fn}: signal has ${length} samples, fewer than one frame (frameLength = ${frameLengthMs} ms = ${size} samples)`,
    );
  }
  let frames: number;
  let start: number;
  if (snipEdges) {
    frames = 1 + Math.floor((length - size) / shift);
    start = 0;
  } else {
    frames = Math.floor((length + Math.floor(shift / 2)) / shift);
    start = -(Math.floor(size / 2) - Math.floor(shift / 2));
  }
  const window = windowValues(windowName, size, false);
  const lowFreq = options.lowFreq ?? 20;
  const highFreq = options.highFreq ?? 0;
  const bankKey = `${numBins}:${padded}:${sampleFreq}:${lowFreq}:${highFreq}`;
  let banks = bankCache.get(bankKey);
  if (!banks) {
    banks = kaldiMelBanks(fn, numBins, padded, sampleFreq, lowFreq, highFreq);
    if (bankCache.size >= 32) bankCache.clear();
    bankCache.set(bankKey, banks);
  }
  const bankRows = Math.floor(padded / 2) + 1;
  const rng = options.seed instanceof SeededRandom ? options.seed : new SeededRandom(options.seed ?? 0);
  const removeDcOffset = options.removeDcOffset ?? true;

  if (resolvesToHostFft(fn, options.dftMethod ?? 'auto')) {
    // The whole per-frame pipeline on the host (float64), in Kaldi's order: dither, DC removal,
    // raw energy, preemphasis, window, FFT, power, mel, log. Only the result becomes a tensor.
    const batch = signal.rank === 1 ? 1 : signal.shape[0];
    if (batch === undefined) throw new Error(`${fn}: signal has no batch axis`);
    const host = new HostFrames(
      fn,
      signal.dataSync() as Float32Array,
      batch,
      length,
      frames,
      size,
      shift,
      start,
      'symmetric',
    );
    const rows = host.rows;
    const bank = sparseBank(banks, bankRows, numBins);
    const width = numBins + (useEnergy ? 1 : 0);
    const melAt = useEnergy && !options.htkCompat ? 1 : 0;
    const energyAt = options.htkCompat ? numBins : 0;
    const values = new Float32Array(rows * width);
    const energies = new Float64Array(rows);
    const floor = energyFloor > 0 ? Math.log(energyFloor) : -Infinity;
    const mel = new Float64Array(numBins);
    const x = new Float64Array(size);
    hostPowerSpectra(
      padded,
      rows,
      (r, dst, lane) => {
        host.read(r, x, 0);
        // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- j < size = x.length
        if (dither > 0) for (let j = 0; j < size; j++) x[j]! += rng.nextNormal() * dither;
        let mean = 0;
        if (removeDcOffset) {
          // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- j < size = x.length
          for (let j = 0; j < size; j++) mean += x[j]!;
          mean /= size;
        }
        if (useEnergy && rawEnergy) {
          let raw = 0;
          // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- j < size = x.length
          for (let j = 0; j < size; j++) raw += (x[j]! - mean) * (x[j]! - mean);
          energies[r] = Math.max(Math.log(Math.max(raw, EPSILON)), floor);
        }
        // DC removal, preemphasis (x[-1] = x[0]) and window in one pass, written to the FFT lane.
        let e = 0;
        for (let j = size - 1; j >= 0; j--) {
          // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- 0 <= j < size = x.length = window.length
          const v = (x[j]! - mean - preemph * (x[j > 0 ? j - 1 : 0]! - mean)) * window[j]!;
          e += v * v;
          dst[2 * j + lane] = v;
        }
        if (useEnergy && !rawEnergy) energies[r] = Math.max(Math.log(Math.max(e, EPSILON)), floor);
        for (let j = size; j < padded; j++) dst[2 * j + lane] = 0;
      },
      (r, p) => {
        // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- p holds bankRows power bins
        if (!usePower) for (let k = 0; k < bankRows; k++) p[k] = Math.sqrt(p[k]!);
        applyBank(p, bank, mel, 0);
        const o = r * width;
        for (let m = 0; m < numBins; m++)
          // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- m < numBins = mel.length
          values[o + melAt + m] = useLog ? Math.log(Math.max(mel[m]!, EPSILON)) : mel[m]!;
        // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- r < rows = energies.length
        if (useEnergy) values[o + energyAt] = energies[r]!;
      },
    );
    return tf.tidy(() => {
      let out: tf.Tensor = tf.tensor3d(values, [batch, frames, width]);
      if (options.subtractMean) out = tf.sub(out, tf.mean(out, 1, true));
      return signal.rank === 1 ? tf.squeeze(out, [0]) : out;
    });
  }

  return tf.tidy(() => {
    const s2 = (signal.rank === 1 ? tf.expandDims(signal, 0) : signal) as tf.Tensor2D;
    const batch = s2.shape[0];
    let x: tf.Tensor = tf.reshape(frameByBlocks(fn, s2, frames, size, shift, start, 'symmetric', true), [
      batch * frames,
      size,
    ]);
    if (dither > 0) {
      const noise = new Float32Array(batch * frames * size);
      for (let i = 0; i < noise.length; i++) noise[i] = rng.nextNormal() * dither;
      x = tf.add(x, tf.tensor2d(noise, [batch * frames, size]));
    }
    if (removeDcOffset) x = tf.sub(x, tf.mean(x, 1, true));
    const logEnergy = (frameSamples: tf.Tensor): tf.Tensor => {
      let e = tf.log(tf.maximum(tf.sum(tf.square(frameSamples), 1, true), EPSILON));
      if (energyFloor > 0) e = tf.maximum(e, Math.log(energyFloor));
      return e;
    };
    let energy: tf.Tensor | null = useEnergy && rawEnergy ? logEnergy(x) : null;
    if (preemph !== 0) {
      // x[i] - c * x[i-1], with x[-1] = x[0] (torchaudio pads with 'replicate'); slices, not a gather (faster on wasm).
      const rows = batch * frames;
      const previous = tf.concat([tf.slice(x, [0, 0], [rows, 1]), tf.slice(x, [0, 0], [rows, size - 1])], 1);
      x = tf.sub(x, tf.mul(previous, preemph));
    }
    if (useEnergy && !rawEnergy) energy = logEnergy(tf.mul(x, tf.tensor1d(window)));
    const { real, imag } = windowedRfft(x as tf.Tensor2D, padded, window, 0, { method: options.dftMethod });
    let mag: tf.Tensor = tf.add(tf.square(real), tf.square(imag));
    if (!usePower) mag = tf.sqrt(mag);
    let mel: tf.Tensor = tf.matMul(mag, tf.tensor2d(banks, [bankRows, numBins]));
    if (useLog) mel = tf.log(tf.maximum(mel, EPSILON));
    if (energy) mel = options.htkCompat ? tf.concat([mel, energy], 1) : tf.concat([energy, mel], 1);
    const width = numBins + (energy ? 1 : 0);
    let out: tf.Tensor = tf.reshape(mel, [batch, frames, width]);
    if (options.subtractMean) out = tf.sub(out, tf.mean(out, 1, true));
    return signal.rank === 1 ? tf.squeeze(out, [0]) : out;
  });
}
