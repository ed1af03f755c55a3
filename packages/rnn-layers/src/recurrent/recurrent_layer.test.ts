import * as tf from '@tensorflow/tfjs-core';
import { randomUniform } from '@rnnkit/tensor-core';
import { describeWithBackends, expectArraysClose, expectNoTensorLeak } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RecurrentLayer } from './recurrent_layer.js';
import { recurrentLayerFromConfig } from './recurrent_layer_from_config.js';
import { SimpleRNN } from './simple_rnn.js';

const make = {
  SimpleRNN: (o: ConstructorParameters<typeof SimpleRNN>[0]) => new SimpleRNN(o),
  LSTM: (o: ConstructorParameters<typeof LSTM>[0]) => new LSTM(o),
  GRU: (o: ConstructorParameters<typeof GRU>[0]) => new GRU(o),
};

describeWithBackends('recurrent layers', () => {
  it('streaming in chunks equals one full pass (unidirectional, 2 layers)', async () => {
    // Hidden 16 also runs wasm's fused kernels for every cell, with weights kept packed across chunks.
    for (const [cls, hiddenSize] of (['LSTM', 'GRU', 'SimpleRNN'] as const).flatMap(
      (c) =>
        [
          [c, 4],
          [c, 16],
        ] as const,
    )) {
      const layer: RecurrentLayer = make[cls]({
        inputSize: 3,
        hiddenSize,
        numLayers: 2,
        batchFirst: true,
        seed: 3,
      });
      const x = randomUniform([2, 7, 3], -1, 1, 9);
      const full = layer.forward(x);
      const stream = layer.stream();
      const parts = [
        [0, 3],
        [3, 1],
        [4, 3],
      ].map(([start, len]) => stream.push(tf.slice(x, [0, start!, 0], [2, len!, 3])));
      const joined = tf.concat(parts, 1);
      expectArraysClose(await joined.data(), await full.output.data(), { atol: 1e-6 });
      expectArraysClose(await stream.state.h!.data(), await full.hN.data(), { atol: 1e-6 });
      if (cls === 'LSTM')
        expectArraysClose(await stream.state.c!.data(), await full.cN!.data(), { atol: 1e-6 });
      // The same by hand: h0/c0 from the previous chunk.
      const a = layer.forward(tf.slice(x, [0, 0, 0], [2, 4, 3]));
      const b = layer.forward(tf.slice(x, [0, 4, 0], [2, 3, 3]), { h0: a.hN, c0: a.cN });
      expectArraysClose(
        await b.output.data(),
        await tf.slice(full.output, [0, 4, 0], [2, 3, hiddenSize]).data(),
        { atol: 1e-6 },
      );
      stream.dispose();
      layer.dispose();
    }
  });

  it('apply: batch-first input, returnSequences and the last valid state of both directions', async () => {
    const lstm = new LSTM({ hiddenSize: 3, numLayers: 2, bidirectional: true, seed: 4 });
    const seq = new LSTM({
      hiddenSize: 3,
      numLayers: 2,
      bidirectional: true,
      seed: 4,
      returnSequences: true,
    });
    const x = randomUniform([2, 5, 4], -1, 1, 1); // [batch, time, features]
    expect(lstm.built).toBe(false);
    expect(lstm.parameters()).toEqual([]);
    const last = lstm.apply(x, { lengths: [5, 3] });
    expect(lstm.inputSize).toBe(4); // inferred from the first input
    expect(last.shape).toEqual([2, 6]);
    const all = seq.apply(x, { lengths: [5, 3] });
    expect(all.shape).toEqual([2, 5, 6]);
    const { hN } = lstm.forward(tf.transpose(x, [1, 0, 2]), { lengths: [5, 3] });
    const hn = (await hN.array()) as number[][][];
    const expected = [0, 1].map((b) => [...hn[2]![b]!, ...hn[3]![b]!]);
    expectArraysClose(await last.data(), expected.flat(), { atol: 0 });
    // Same seed, same weights: the forward half of the sequence output at the last valid step is hN.
    const seqOut = (await all.array()) as number[][][];
    expectArraysClose(seqOut[1]![2]!.slice(0, 3), hn[2]![1]!, { atol: 1e-6 });
    lstm.dispose();
    seq.dispose();
  });

  it('batchFirst only changes the layout of x and output', async () => {
    const tm = new LSTM({ inputSize: 2, hiddenSize: 3, bidirectional: true, seed: 12 });
    const bf = new LSTM({ inputSize: 2, hiddenSize: 3, bidirectional: true, seed: 12, batchFirst: true });
    const x = randomUniform([4, 3, 2], -1, 1, 1); // [time, batch, features]
    const a = tm.forward(x, { lengths: [4, 2, 3] });
    const b = bf.forward(tf.transpose(x, [1, 0, 2]), { lengths: [4, 2, 3] });
    expect(b.output.shape).toEqual([3, 4, 6]);
    expectArraysClose(await tf.transpose(b.output, [1, 0, 2]).data(), await a.output.data(), { atol: 0 });
    expectArraysClose(await b.hN.data(), await a.hN.data(), { atol: 0 });
    expectArraysClose(await b.cN.data(), await a.cN.data(), { atol: 0 });
    tm.dispose();
    bf.dispose();
  });

  it('lengths as a tensor (device-side masks where the backend cannot read it synchronously)', async () => {
    const gru = new GRU({ inputSize: 2, hiddenSize: 3, bidirectional: true, seed: 6 });
    const x = randomUniform([4, 3, 2], -1, 1, 5);
    const fromArray = gru.forward(x, { lengths: [4, 1, 3] });
    const lengths = tf.tensor1d([4, 1, 3], 'int32');
    const fromTensor = gru.forward(x, { lengths });
    expectArraysClose(await fromTensor.output.data(), await fromArray.output.data(), { atol: 1e-6 });
    expectArraysClose(await fromTensor.hN.data(), await fromArray.hN.data(), { atol: 1e-6 });
    tf.dispose([x, lengths, fromArray.output, fromArray.hN, fromTensor.output, fromTensor.hN]);
    gru.dispose();
  });

  it('same seed gives the same weights; init is U(-1/sqrt(H), 1/sqrt(H)) with PyTorch names and shapes', async () => {
    const a = new GRU({ inputSize: 3, hiddenSize: 4, bidirectional: true, seed: 7 });
    const b = new GRU({ inputSize: 3, hiddenSize: 4, bidirectional: true, seed: 7 });
    expect(a.namedParameters().map(([n, v]) => `${n}:${v.shape.join('x')}`)).toEqual([
      'weight_ih_l0:12x3',
      'weight_hh_l0:12x4',
      'bias_ih_l0:12',
      'bias_hh_l0:12',
      'weight_ih_l0_reverse:12x3',
      'weight_hh_l0_reverse:12x4',
      'bias_ih_l0_reverse:12',
      'bias_hh_l0_reverse:12',
    ]);
    for (const [[, va], [, vb]] of a.namedParameters().map((p, i) => [p, b.namedParameters()[i]!] as const)) {
      const da = await va.data();
      expectArraysClose(da, await vb.data(), { atol: 0 });
      expect(Math.max(...Array.from(da, Math.abs))).toBeLessThanOrEqual(0.5);
    }
    a.dispose();
    b.dispose();
  });

  it('stateDict/loadStateDict round trip and getConfig rebuilds the layer', async () => {
    const a = new SimpleRNN({ inputSize: 2, hiddenSize: 3, numLayers: 2, nonlinearity: 'relu', seed: 1 });
    const state = a.stateDict();
    const b = recurrentLayerFromConfig({ ...a.getConfig(), seed: 99 }) as SimpleRNN;
    expect(b.nonlinearity).toBe('relu');
    b.loadStateDict(state);
    const x = randomUniform([4, 2, 2], -1, 1, 2);
    expectArraysClose(await b.forward(x).output.data(), await a.forward(x).output.data(), { atol: 0 });
    tf.dispose(Object.values(state));
    a.dispose();
    b.dispose();
  });

  it('dropout applies between layers only when training, seeded', async () => {
    const mk = () => new LSTM({ inputSize: 3, hiddenSize: 8, numLayers: 2, dropout: 0.5, seed: 5 });
    const a = mk();
    const b = mk();
    const x = randomUniform([3, 2, 3], -1, 1, 3);
    const evalA = await a.forward(x).output.data();
    expectArraysClose(await a.forward(x, { training: false }).output.data(), evalA, { atol: 0 });
    const trainA = await a.forward(x, { training: true }).output.data();
    const trainB = await b.forward(x, { training: true }).output.data();
    expectArraysClose(trainA, trainB, { atol: 0 }); // same seed, same masks
    expect(Array.from(trainA).some((v, i) => Math.abs(v - evalA[i]!) > 1e-4)).toBe(true);
    a.dispose();
    b.dispose();
  });

  it('forward and backward leave no tensors behind', () => {
    const layer = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 2 });
    const x = randomUniform([3, 2, 3], -1, 1, 3);
    expectNoTensorLeak(() => {
      const r = layer.forward(x, { lengths: [3, 2] });
      tf.dispose([r.output, r.hN, r.cN!]);
    }, 'forward');
    expectNoTensorLeak(() => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(layer.apply(x, { training: true })) as tf.Scalar,
        layer.parameters(),
      );
      tf.dispose([value, ...Object.values(grads)]);
    }, 'backward');
    x.dispose();
    layer.dispose();
  });

  it('trains for 100 steps with a flat tensor count', async () => {
    const layer = new GRU({ inputSize: 2, hiddenSize: 4, batchFirst: true, seed: 8 });
    const head = tf.variable(randomUniform([4, 1], -0.5, 0.5, 1));
    const x = randomUniform([4, 3, 2], -1, 1, 4);
    const y = tf.tensor2d([[1], [0], [1], [0]]);
    const optimizer = tf.train.adam(0.05);
    const loss = () =>
      tf.tidy(() => tf.mean(tf.square(tf.sub(tf.matMul(layer.apply(x), head), y))) as tf.Scalar);
    const first = await loss().data();
    // Warm-up step: Adam creates its slots on the first update.
    optimizer.minimize(loss, false, [...layer.parameters(), head]);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 100; step++) optimizer.minimize(loss, false, [...layer.parameters(), head]);
    expect(tf.memory().numTensors).toBe(before);
    const last = await loss().data();
    expect(last[0]!).toBeLessThan(first[0]! * 0.5);
    optimizer.dispose();
    tf.dispose([head, x, y]);
    layer.dispose();
  });
});

describe('recurrent layer argument checks', () => {
  const layer = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, seed: 1 });
  const x = tf.zeros([5, 2, 3]);
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'wrong rank',
      () => layer.forward(tf.zeros([5, 3])),
      /LSTM\.forward: x must be rank 3 \[time, batch, inputSize\], got shape \[5, 3\]/,
    ],
    [
      'inputSize mismatch',
      () => layer.forward(tf.zeros([5, 2, 4])),
      /LSTM\.forward: x\.shape\[2\] = 4 does not match inputSize = 3/,
    ],
    [
      'lengths too long',
      () => layer.forward(x, { lengths: [5, 6] }),
      /LSTM\.forward: lengths\[1\] = 6 exceeds the sequence length 5/,
    ],
    [
      'zero length',
      () => layer.forward(x, { lengths: [0, 5] }),
      /LSTM\.forward: lengths\[0\] = 0 must be >= 1/,
    ],
    [
      'h0 shape',
      () => layer.forward(x, { h0: tf.zeros([1, 2, 4]) }),
      /LSTM\.forward: h0 must have shape \[2, 2, 4\]/,
    ],
    [
      'c0 shape',
      () => layer.forward(x, { c0: tf.zeros([2, 3, 4]) }),
      /LSTM\.forward: c0 must have shape \[2, 2, 4\]/,
    ],
    [
      'c0 on a GRU',
      () => new GRU({ inputSize: 3, hiddenSize: 4 }).forward(x, { c0: tf.zeros([1, 2, 4]) }),
      /GRU\.forward: c0 is only for LSTM/,
    ],
    [
      'apply rank',
      () => layer.apply(tf.zeros([2, 3])),
      /LSTM\.apply: x must be rank 3 \[batch, time, features\]/,
    ],
    ['hiddenSize', () => new LSTM({ hiddenSize: 0 }), /LSTM: hiddenSize must be a positive integer, got 0/],
    ['dropout', () => new GRU({ hiddenSize: 2, dropout: 1 }), /GRU: dropout must be in \[0, 1\), got 1/],
    [
      'nonlinearity',
      () => new SimpleRNN({ hiddenSize: 2, nonlinearity: 'gelu' as 'tanh' }),
      /SimpleRNN: nonlinearity must be 'tanh' or 'relu'/,
    ],
    [
      'stream bidirectional',
      () => new GRU({ hiddenSize: 2, bidirectional: true }).stream(),
      /GRU\.stream: a bidirectional layer cannot stream/,
    ],
  ];
  for (const [label, fn, message] of cases) {
    it(label, () => {
      expect(fn).toThrow(message);
    });
  }

  const stateDictCases: Array<[string, (s: Record<string, tf.Tensor>) => void, RegExp]> = [
    ['missing key', (s) => delete s['bias_hh_l1'], /LSTM\.loadStateDict: missing key "bias_hh_l1"/],
    [
      'extra key',
      (s) => (s['weight_ih_l2'] = tf.zeros([16, 4])),
      /LSTM\.loadStateDict: unexpected key "weight_ih_l2"/,
    ],
    [
      'mis-shaped key',
      (s) => (s['weight_hh_l0'] = tf.zeros([16, 5])),
      /LSTM\.loadStateDict: "weight_hh_l0" has shape \[16, 5\], expected \[16, 4\]/,
    ],
  ];
  for (const [label, edit, message] of stateDictCases) {
    it(`loadStateDict: ${label}`, async () => {
      const state = layer.stateDict();
      const before = await layer.parameters()[1]!.data();
      edit(state);
      expect(() => layer.loadStateDict(state)).toThrow(message);
      // A failed load changes nothing.
      expectArraysClose(await layer.parameters()[1]!.data(), before, { atol: 0 });
      tf.dispose(Object.values(state));
    });
  }

  it('rejects a different inputSize after it was inferred', () => {
    const rnn = new SimpleRNN({ hiddenSize: 2 });
    rnn.apply(tf.zeros([1, 2, 3]));
    expect(() => rnn.apply(tf.zeros([1, 2, 5]))).toThrow(
      /SimpleRNN\.apply: x\.shape\[2\] = 5 does not match inputSize = 3/,
    );
    rnn.dispose();
  });

  it('refuses use after dispose', () => {
    const rnn = new SimpleRNN({ inputSize: 1, hiddenSize: 2 });
    rnn.dispose();
    expect(() => rnn.forward(tf.zeros([1, 1, 1]))).toThrow(/SimpleRNN\.forward: the layer has been disposed/);
  });
});
