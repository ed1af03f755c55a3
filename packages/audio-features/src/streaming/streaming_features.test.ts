import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { fixtureRow } from '../__fixtures__/load.js';
import { kaldiFbank } from '../kaldi/kaldi_fbank.js';
import { logMelSpectrogram } from '../features/log_mel_spectrogram.js';
import { mfcc } from '../features/mfcc.js';
import { StreamingFeatures, type StreamingFeatureSpec } from './streaming_features.js';

async function streamed(
  spec: StreamingFeatureSpec,
  signal: Float32Array,
  chunkSizes: number[],
  axis: number,
): Promise<tf.Tensor> {
  const s = new StreamingFeatures(spec);
  const parts: tf.Tensor[] = [];
  let at = 0;
  for (let i = 0; at < signal.length; i++) {
    const n = chunkSizes[i % chunkSizes.length]!;
    const out = s.push(signal.subarray(at, at + n));
    if (out) parts.push(out);
    at += n;
  }
  const all = tf.concat(parts, axis);
  tf.dispose(parts);
  return all;
}

describeWithBackends('StreamingFeatures', () => {
  const signal = fixtureRow('signal16k', 0).subarray(0, 4000);
  const chunks = [160, 1000, 37, 512, 3];

  it('log-mel over chunks equals the batch result', async () => {
    const options = { nFft: 400, hopLength: 160, nMels: 40, center: false };
    const batch = logMelSpectrogram(tf.tensor1d(signal), options);
    const stream = await streamed({ kind: 'logMelSpectrogram', options }, signal, chunks, 1);
    expect(stream.shape).toEqual(batch.shape);
    expectArraysClose(await stream.data(), await batch.data(), { atol: 1e-3 });
    tf.dispose([batch, stream]);
  });

  it('mfcc (logMels) and kaldiFbank over chunks equal the batch results', async () => {
    const mopts = {
      nMfcc: 13,
      logMels: true,
      melkwargs: { nFft: 512, winLength: 400, hopLength: 160, nMels: 40, center: false },
    };
    const mb = mfcc(tf.tensor1d(signal), mopts);
    const ms = await streamed({ kind: 'mfcc', options: mopts }, signal, chunks, 1);
    expectArraysClose(await ms.data(), await mb.data(), { atol: 1e-3 });
    const scaled = signal.map((v) => v * 32768);
    const kopts = { numMelBins: 23, useEnergy: true };
    const kb = kaldiFbank(tf.tensor1d(scaled), kopts);
    const ks = await streamed({ kind: 'kaldiFbank', options: kopts }, scaled, chunks, 0);
    expect(ks.shape).toEqual(kb.shape);
    expectArraysClose(await ks.data(), await kb.data(), { atol: 1e-3 });
    tf.dispose([mb, ms, kb, ks]);
  });

  it('refuses definitions that need the whole signal', () => {
    expect(() => new StreamingFeatures({ kind: 'melSpectrogram', options: {} })).toThrow(/set center: false/);
    expect(() => new StreamingFeatures({ kind: 'mfcc', options: { melkwargs: { center: false } } })).toThrow(
      /use topDb: null or logMels: true/,
    );
    expect(() => new StreamingFeatures({ kind: 'kaldiFbank', options: { snipEdges: false } })).toThrow(
      /snipEdges = true/,
    );
    expect(() => new StreamingFeatures({ kind: 'kaldiFbank', options: { subtractMean: true } })).toThrow(
      /subtractMean/,
    );
    const s = new StreamingFeatures({ kind: 'kaldiFbank', options: {} });
    expect(s.push(new Float32Array(100))).toBeNull();
    expect(s.bufferedSamples).toBe(100);
    expect(() => s.push(new Float32Array([0, Number.NaN]))).toThrow(
      'StreamingFeatures.push: chunk[1] is NaN',
    );
  });
});
