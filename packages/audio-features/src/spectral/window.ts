import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

/** Window shapes: hann/hamming as torch.*_window, povey/blackman as Kaldi defines them. */
export type WindowType = 'hann' | 'hamming' | 'povey' | 'rectangular' | 'blackman';

export const WINDOW_TYPES: readonly WindowType[] = ['hann', 'hamming', 'povey', 'rectangular', 'blackman'];

export interface WindowOptions {
  /**
   * torch's convention: a periodic window of length N is the first N points of a symmetric window of
   * length N + 1 (the right choice for spectral analysis, and torchaudio's default). Default true.
   * Ignored by povey and blackman, which Kaldi always makes symmetric.
   */
  periodic?: boolean;
}

export function checkWindowType(fn: string, arg: string, type: unknown): WindowType {
  if (!WINDOW_TYPES.includes(type as WindowType)) {
    throw new Error(`${fn}: ${arg} must be one of ${WINDOW_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  }
  return type as WindowType;
}

/** Window values on the host, in float64 then rounded to float32. */
export function windowValues(type: WindowType, length: number, periodic = true): Float32Array {
  if (!Number.isInteger(length) || length < 1) {
    throw new Error(`window: length must be a positive integer, got ${length}`);
  }
  const out = new Float32Array(length);
  if (length === 1) {
    out[0] = 1;
    return out;
  }
  const denom = periodic ? length : length - 1;
  const symDenom = length - 1; // Kaldi's windows are symmetric
  for (let n = 0; n < length; n++) {
    switch (type) {
      case 'hann':
        out[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / denom);
        break;
      case 'hamming':
        out[n] = 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / denom);
        break;
      case 'povey':
        // Kaldi: a symmetric Hann window raised to 0.85 (non-zero, tapered edges).
        out[n] = Math.pow(0.5 - 0.5 * Math.cos((2 * Math.PI * n) / symDenom), 0.85);
        break;
      case 'blackman': {
        // Kaldi's blackman with blackman_coeff = 0.42.
        const a = (2 * Math.PI) / symDenom;
        out[n] = 0.42 - 0.5 * Math.cos(a * n) + 0.08 * Math.cos(2 * a * n);
        break;
      }
      case 'rectangular':
        out[n] = 1;
        break;
    }
  }
  return out;
}

const WINDOW_OPTIONS = optionKeys<WindowOptions>({ periodic: true });

/** A window as a Tensor1D (`createWindow('hann', 400)` equals `torch.hann_window(400)`). */
export function createWindow(type: WindowType, length: number, windowOptions?: WindowOptions): tf.Tensor1D {
  const options = checkOptions('createWindow', windowOptions, WINDOW_OPTIONS);
  checkWindowType('createWindow', 'type', type);
  return tf.tensor1d(windowValues(type, length, options.periodic ?? true), 'float32');
}
