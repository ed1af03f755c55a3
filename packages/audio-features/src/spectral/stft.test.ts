import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose, expectNoTensorLeak } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { frameSignal } from './frames.js';
import { spectrogram, stft } from './stft.js';
import { windowValues } from './window.js';

/** Direct DFT in float64 of one centred, reflect-padded, Hann-windowed frame. */
function naiveFrame(x: Float32Array, nFft: number, hop: number, t: number): { re: number[]; im: number[] } {
  const w = windowValues('hann', nFft);
  const pad = nFft / 2;
  const re: number[] = [];
  const im: number[] = [];
  for (let f = 0; f <= nFft / 2; f++) {
    let r = 0;
    let i = 0;
    for (let n = 0; n < nFft; n++) {
      let j = t * hop + n - pad;
      if (j < 0) j = -j;
      if (j >= x.length) j = 2 * (x.length - 1) - j;
      r += x[j]! * w[n]! * Math.cos((2 * Math.PI * f * n) / nFft);
      i -= x[j]! * w[n]! * Math.sin((2 * Math.PI * f * n) / nFft);
    }
    re.push(r);
    im.push(i);
  }
  return { re, im };
}

describeWithBackends('stft and spectrogram', () => {
  const x = new Float32Array(300).map((_, i) => Math.sin(i * 0.21) + 0.3 * Math.cos(i * 1.7));

  it('equals a direct DFT of centred reflect-padded frames', async () => {
    const { real, imag } = stft(tf.tensor1d(x), { nFft: 64, hopLength: 16 });
    expect(real.shape).toEqual([33, 1 + Math.floor(300 / 16)]);
    const re = (await real.array()) as number[][];
    const im = (await imag.array()) as number[][];
    for (const t of [0, 5, 18]) {
      const ref = naiveFrame(x, 64, 16, t);
      expectArraysClose(
        re.map((row) => row[t]!),
        ref.re,
        { atol: 1e-4 },
      );
      expectArraysClose(
        im.map((row) => row[t]!),
        ref.im,
        { atol: 1e-4 },
      );
    }
    tf.dispose([real, imag]);
  });

  it('power 1 is the magnitude, power 2 its square, batched like the single rows', async () => {
    const sig = tf.tensor2d([...x, ...x.map((v) => v * 0.5)], [2, 300]);
    const mag = spectrogram(sig, { nFft: 32, power: 1 });
    const pow = spectrogram(sig, { nFft: 32 });
    const m = await mag.data();
    expectArraysClose(
      await pow.data(),
      Array.from(m, (v) => v * v),
      { rtol: 1e-4, atol: 1e-5 },
    );
    const half = await ((await mag.array()) as number[][][])[1]!.flat();
    const full = await ((await mag.array()) as number[][][])[0]!.flat();
    expectArraysClose(
      half,
      full.map((v) => v * 0.5),
      { rtol: 1e-4, atol: 1e-5 },
    );
    tf.dispose([sig, mag, pow]);
  });

  it('leaks no tensors', async () => {
    const sig = tf.tensor1d(x);
    await expectNoTensorLeak(() => {
      tf.dispose(Object.values(stft(sig, { nFft: 32 })));
      spectrogram(sig, { nFft: 32, center: false }).dispose();
    });
    sig.dispose();
  });
});

describeWithBackends(
  'frameSignal',
  () => {
    it('frames without padding, and with reflect or constant centre padding', async () => {
      const s = tf.tensor1d([0, 1, 2, 3, 4, 5]);
      const plain = frameSignal(s, { frameLength: 3, hopLength: 2 });
      expect(await plain.array()).toEqual([
        [0, 1, 2],
        [2, 3, 4],
      ]);
      const refl = frameSignal(s, { frameLength: 4, hopLength: 3, center: true });
      expect(await refl.array()).toEqual([
        [2, 1, 0, 1],
        [1, 2, 3, 4],
        [4, 5, 4, 3],
      ]);
      const zero = frameSignal(s, { frameLength: 4, hopLength: 3, center: true, padMode: 'constant' });
      expect(await zero.array()).toEqual([
        [0, 0, 0, 1],
        [1, 2, 3, 4],
        [4, 5, 0, 0],
      ]);
      tf.dispose([s, plain, refl, zero]);
    });

    it('equals direct indexing for many frame/hop/padding combinations', async () => {
      const length = 23;
      const x = Array.from({ length }, (_, i) => i + 1);
      const s = tf.tensor2d([...x, ...x.map((v) => -v)], [2, length]);
      const modes = {
        reflect: (j: number) => (j < 0 ? -j : 2 * (length - 1) - j),
        constant: () => -1,
        replicate: (j: number) => (j < 0 ? 0 : length - 1),
        symmetric: (j: number) => (j < 0 ? -j - 1 : 2 * length - 1 - j),
      };
      for (const [frameLength, hopLength] of [
        [4, 3],
        [5, 2],
        [2, 7],
        [8, 8],
        [7, 1],
        [16, 5],
      ] as const) {
        for (const center of [false, true]) {
          for (const [padMode, map] of Object.entries(modes)) {
            const out = frameSignal(s, { frameLength, hopLength, center, padMode: padMode as never });
            const pad = center ? Math.floor(frameLength / 2) : 0;
            const n = 1 + Math.floor((length + 2 * pad - frameLength) / hopLength);
            const expected = [1, -1].map((sign) =>
              Array.from({ length: n }, (_, f) =>
                Array.from({ length: frameLength }, (_, k) => {
                  let j = f * hopLength + k - pad;
                  if (j < 0 || j >= length) j = map(j);
                  return j < 0 ? 0 : sign * x[j]!;
                }),
              ),
            );
            expect(await out.array(), `${frameLength}/${hopLength}/${center}/${padMode}`).toEqual(expected);
            out.dispose();
          }
        }
      }
      s.dispose();
    });
  },
  { backends: ['cpu', 'wasm'] },
);

describeWithBackends(
  'stft argument errors',
  () => {
    const s = tf.zeros([1000]) as tf.Tensor1D;
    it('names the argument, the expectation and the value', () => {
      expect(() => spectrogram(s, { nFft: 256, winLength: 400 })).toThrow(
        'spectrogram: nFft (256) must be >= winLength (400)',
      );
      expect(() => spectrogram(s, { hopLength: 0 })).toThrow(
        'spectrogram: hopLength must be a positive integer, got 0',
      );
      expect(() => spectrogram(s, { nFft: 2.5 })).toThrow(/nFft must be a positive integer, got 2.5/);
      expect(() => spectrogram(s, { power: -1 })).toThrow(/power must be a positive finite number, got -1/);
      expect(() => spectrogram(s, { padMode: 'wrap' as never })).toThrow(
        /padMode must be one of reflect, constant/,
      );
      expect(() => spectrogram(s, { window: 'kaiser' as never })).toThrow(/window must be one of/);
      expect(() => spectrogram(tf.zeros([0]) as tf.Tensor1D)).toThrow(
        'spectrogram: signal is empty (0 samples)',
      );
      expect(() => spectrogram(tf.zeros([2, 2, 8]) as never)).toThrow(
        /Tensor2D \[batch, time\], got shape \[2, 2, 8\]/,
      );
      expect(() => spectrogram(tf.zeros([100]) as tf.Tensor1D, { nFft: 400, center: false })).toThrow(
        /100 samples, fewer than nFft = 400/,
      );
      expect(() => spectrogram(tf.zeros([100]) as tf.Tensor1D, { nFft: 400 })).toThrow(
        /too short to pad by 200 samples in 'reflect' mode/,
      );
    });
  },
  { backends: ['cpu'] },
);
