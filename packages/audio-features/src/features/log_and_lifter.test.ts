import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { it } from 'vitest';

import { fixture, fixtureCases } from '../__fixtures__/load.js';
import { amplitudeToDb } from './amplitude_to_db.js';
import { logMelSpectrogram } from './log_mel_spectrogram.js';
import { type MelSpectrogramOptions } from './mel_spectrogram.js';
import { mfcc } from './mfcc.js';

describeWithBackends('logMelSpectrogram, amplitudeToDb and the MFCC lifter', () => {
  const { name, ...c } = fixtureCases('melSpectrogram', 4)[0]! as MelSpectrogramOptions & { name: string };
  const mel = fixture(name); // torchaudio MelSpectrogram, [2, nMels, frames]
  const signal = fixture('signal16k');

  it("log: 'ln' is ln(max(mel, floor)) of torchaudio's mel spectrogram", async () => {
    const x = tf.tensor2d(signal.values, signal.shape as [number, number]);
    const out = logMelSpectrogram(x, { ...c, floor: 1e-4 });
    expectArraysClose(
      await out.data(),
      Array.from(mel.values, (v) => Math.log(Math.max(v, 1e-4))),
      { atol: 1e-3 },
    );
    tf.dispose([x, out]);
  });

  it("log: 'db' clamps to topDb below each utterance's own peak", async () => {
    const x = tf.tensor2d(signal.values, signal.shape as [number, number]);
    const out = logMelSpectrogram(x, { ...c, log: 'db', topDb: 40 });
    const per = mel.values.length / 2;
    const expected: number[] = [];
    for (let b = 0; b < 2; b++) {
      const db = Array.from(
        mel.values.subarray(b * per, (b + 1) * per),
        (v) => 10 * Math.log10(Math.max(v, 1e-10)),
      );
      const peak = Math.max(...db);
      expected.push(...db.map((v) => Math.max(v, peak - 40)));
    }
    expectArraysClose(await out.data(), expected, { atol: 1e-3 });
    const magnitude = amplitudeToDb(tf.tensor(mel.values, mel.shape), { stype: 'magnitude', ref: 2 });
    expectArraysClose(
      await magnitude.data(),
      Array.from(mel.values, (v) => 20 * Math.log10(Math.max(v, 1e-10)) - 20 * Math.log10(2)),
      { atol: 1e-3 },
    );
    tf.dispose([x, out, magnitude]);
  });

  it('lifter L scales coefficient k by 1 + (L / 2) sin(pi k / L)', async () => {
    const x = tf.tensor1d(signal.values.subarray(0, signal.shape[1]));
    const opts = { nMfcc: 13, logMels: true, melkwargs: { nFft: 400, hopLength: 160, nMels: 40 } };
    const plainTensor = mfcc(x, opts);
    const plain = (await plainTensor.array()) as number[][];
    const liftered = mfcc(x, { ...opts, lifter: 22 });
    const expected = plain.map((row, k) => row.map((v) => v * (1 + 11 * Math.sin((Math.PI * k) / 22))));
    expectArraysClose(await liftered.data(), expected.flat(), { atol: 1e-3, rtol: 1e-5 });
    tf.dispose([x, plainTensor, liftered]);
  });
});
