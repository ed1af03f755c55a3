import * as tf from '@tensorflow/tfjs-core';

/**
 * DCT-II matrix [nMels, nMfcc] as torchaudio.functional.create_dct builds it, so that
 * `mfcc = logMel^T @ dct`. norm 'ortho' makes it orthonormal; null is the unscaled 2*sum(...) form.
 */
export function dctMatrixValues(nMfcc: number, nMels: number, norm: 'ortho' | null = 'ortho'): Float32Array {
  const out = new Float32Array(nMels * nMfcc);
  for (let n = 0; n < nMels; n++) {
    for (let k = 0; k < nMfcc; k++) {
      let v = Math.cos((Math.PI / nMels) * (n + 0.5) * k);
      if (norm === 'ortho') v *= (k === 0 ? Math.SQRT1_2 : 1) * Math.sqrt(2 / nMels);
      else v *= 2;
      out[n * nMfcc + k] = v;
    }
  }
  return out;
}

export function createDct(nMfcc: number, nMels: number, norm: 'ortho' | null = 'ortho'): tf.Tensor2D {
  if (!Number.isInteger(nMfcc) || nMfcc < 1)
    throw new Error(`createDct: nMfcc must be a positive integer, got ${nMfcc}`);
  if (!Number.isInteger(nMels) || nMels < 1)
    throw new Error(`createDct: nMels must be a positive integer, got ${nMels}`);
  return tf.tensor2d(dctMatrixValues(nMfcc, nMels, norm), [nMels, nMfcc], 'float32');
}
