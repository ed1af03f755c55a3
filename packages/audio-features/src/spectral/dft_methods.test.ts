import * as tf from '@tensorflow/tfjs-core';
import { countLeakedTensors, SeededRandom } from '@rnnkit/tensor-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { kaldiFbank } from '../kaldi/kaldi_fbank.js';
import { melSpectrogram } from '../features/mel_spectrogram.js';
import { mfcc } from '../features/mfcc.js';
import { stft } from './stft.js';

// A chirp plus noise, so that every bin has energy (logs of near-empty bins only measure float32 rounding).
const rng = new SeededRandom(5);
const signal = new Float32Array(4000).map(
  (_, i) => 0.5 * Math.sin(i * 0.07 + 0.00001 * i * i) + 0.05 * rng.nextNormal(),
);

/** The host FFT ('auto' on cpu and wasm) and the matmul DFT agree on every feature; 'fft' needs a host backend. */
describeWithBackends('dftMethod', (backend) => {
  const host = backend === 'cpu' || backend === 'wasm';

  it('stft, melSpectrogram, mfcc and kaldiFbank agree between the FFT and the matmul DFT (nFft 400, 512, 97)', async () => {
    const x = tf.tensor2d([...signal, ...signal.map((v) => -0.5 * v)], [2, signal.length]);
    for (const nFft of [400, 512, 97]) {
      const opts = { nFft, winLength: Math.min(nFft, 320), hopLength: 160 };
      for (const method of host ? (['auto', 'fft'] as const) : (['auto'] as const)) {
        const a = stft(x, { ...opts, dftMethod: method });
        const b = stft(x, { ...opts, dftMethod: 'direct' });
        expectArraysClose(await a.real.data(), await b.real.data(), { atol: 2e-4 });
        expectArraysClose(await a.imag.data(), await b.imag.data(), { atol: 2e-4 });
        tf.dispose([a.real, a.imag, b.real, b.imag]);
        const mel = { sampleRate: 16000, nMels: 20, ...opts, center: false, power: 1 };
        const m1 = melSpectrogram(x, { ...mel, dftMethod: method });
        const m2 = melSpectrogram(x, { ...mel, dftMethod: 'direct' });
        expect(m1.shape).toEqual(m2.shape);
        expectArraysClose(await m1.data(), await m2.data(), { rtol: 1e-4, atol: 1e-4 });
        const c1 = mfcc(x, { nMfcc: 13, melkwargs: { ...mel, dftMethod: method } });
        const c2 = mfcc(x, { nMfcc: 13, melkwargs: { ...mel, dftMethod: 'direct' } });
        expectArraysClose(await c1.data(), await c2.data(), { atol: 1e-3 });
        tf.dispose([m1, m2, c1, c2]);
      }
    }
    const k = {
      useEnergy: true,
      rawEnergy: false,
      numMelBins: 23,
      snipEdges: false,
      subtractMean: true,
    } as const;
    const k1 = kaldiFbank(tf.mul(x, 32768) as tf.Tensor2D, { ...k, dftMethod: 'auto' });
    const k2 = kaldiFbank(tf.mul(x, 32768) as tf.Tensor2D, { ...k, dftMethod: 'direct' });
    expect(k1.shape).toEqual([2, 25, 24]);
    expectArraysClose(await k1.data(), await k2.data(), { atol: 1e-3 });
    tf.dispose([x, k1, k2]);
  });

  it('leaves no tensors behind', async () => {
    const x = tf.tensor1d(signal);
    const leaked = await countLeakedTensors(async () => {
      tf.dispose(mfcc(x, { nMfcc: 13, melkwargs: { nFft: 400, hopLength: 160, nMels: 40 } }));
      tf.dispose(kaldiFbank(x, { useEnergy: true }));
      const s = stft(x, { nFft: 400 });
      tf.dispose([s.real, s.imag]);
    });
    expect(leaked).toBe(0);
    x.dispose();
  });

  if (!host) {
    it("'fft' is refused where tensors cannot be read synchronously", () => {
      const x = tf.tensor1d(signal);
      expect(() => stft(x, { dftMethod: 'fft' })).toThrow(
        `stft: dftMethod 'fft' runs on the host and needs a backend whose tensors can be read synchronously (cpu, wasm, tensorflow); the active backend is ${backend}`,
      );
      x.dispose();
    });
  }
});
