import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom, randomUniform } from '@rnnkit/tensor-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import type { CellKind } from '../cell_kind.js';
import { recurrentSequence } from '../recurrent_sequence.js';
import { registerWebGpuRecurrenceKernels } from './register_webgpu_kernels.js';

// The WGSL recurrences against the tfjs-core reference on the same backend: forward outputs, final
// states, and every gradient, with ragged lengths in both directions. Sizes are not multiples of
// the 16x16 tile, so the edge handling is exercised. (PyTorch parity runs in the layer tests.)

const [T, B, I, H] = [7, 5, 3, 19];

async function run(cell: CellKind, bias: boolean, implementation: 'fused' | 'reference', lengths: number[] | undefined, reverse: boolean) {
  const rng = new SeededRandom(5);
  const k = 1 / Math.sqrt(H);
  const G = (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1) * H;
  const x = randomUniform([T, B, I], -1, 1, rng);
  const weights = {
    weightIh: randomUniform([G, I], -k, k, rng), weightHh: randomUniform([G, H], -k, k, rng),
    biasIh: randomUniform([G], -k, k, rng), biasHh: randomUniform([G], -k, k, rng),
  };
  const h0 = randomUniform([B, H], -1, 1, rng);
  const c0 = randomUniform([B, H], -1, 1, rng);
  const r = randomUniform([T, B, H], -1, 1, rng);
  const sh = randomUniform([B, H], -1, 1, rng);
  const sc = randomUniform([B, H], -1, 1, rng);
  const lstm = cell === 'lstm';
  const all = [x, weights.weightIh, weights.weightHh, weights.biasIh, weights.biasHh, h0, c0];
  const params = [x, weights.weightIh, weights.weightHh, ...(bias ? [weights.biasIh, weights.biasHh] : []), h0, ...(lstm ? [c0] : [])];
  const unpack = (p: tf.Tensor[]) => {
    const [xs, wIh, wHh, ...rest] = p;
    const biases = bias ? { biasIh: rest.shift()!, biasHh: rest.shift()! } : {};
    return { xs: xs!, w: { weightIh: wIh!, weightHh: wHh!, ...biases }, h: rest[0]!, c: lstm ? rest[1]! : undefined };
  };
  const loss = (...p: tf.Tensor[]) => {
    const { xs, w, h, c } = unpack(p);
    const out = recurrentSequence(cell, xs, w, h, c, { lengths, reverse, implementation });
    const terms = [tf.sum(tf.mul(out.output, r)), tf.sum(tf.mul(out.hN, sh))];
    if (out.cN) terms.push(tf.sum(tf.mul(out.cN, sc)));
    return tf.addN(terms) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(loss)(params);
  const { xs, w, h, c } = unpack(params);
  const forward = recurrentSequence(cell, xs, w, h, c, { lengths, reverse, implementation });
  const read = async (t: tf.Tensor | undefined) => (t ? Array.from(await t.data()) : []);
  const result = {
    output: await read(forward.output), hN: await read(forward.hN), cN: await read(forward.cN),
    loss: (await value.data())[0]!, grads: await Promise.all(grads.map(read)),
  };
  tf.dispose([all, r, sh, sc, value, grads, forward.output, forward.hN, forward.cN ?? []]);
  return result;
}

const cases: Array<[CellKind, boolean, number[] | undefined, boolean]> = [
  ['lstm', true, undefined, false], ['lstm', true, [7, 3, 1, 7, 5], false], ['lstm', false, [7, 3, 1, 7, 5], true],
  ['gru', true, undefined, false], ['gru', true, [7, 3, 1, 7, 5], true], ['gru', false, [2, 7, 1, 6, 5], false],
  ['rnn_tanh', true, [7, 3, 1, 7, 5], true], ['rnn_tanh', false, undefined, false], ['rnn_relu', true, [2, 7, 1, 6, 5], false],
];

describeWithBackends('webgpu recurrences', () => {
  for (const [cell, bias, lengths, reverse] of cases) {
    it(`${cell}${bias ? '' : ' without bias'} matches the reference (lengths ${lengths ?? 'full'}, ${reverse ? 'reverse' : 'forward'})`, async () => {
      registerWebGpuRecurrenceKernels();
      const before = tf.memory().numTensors;
      const fused = await run(cell, bias, 'fused', lengths, reverse);
      const reference = await run(cell, bias, 'reference', lengths, reverse);
      expect(tf.memory().numTensors).toBe(before);
      expectArraysClose(fused.output, reference.output, { atol: 1e-5 });
      expectArraysClose(fused.hN, reference.hN, { atol: 1e-5 });
      expectArraysClose(fused.cN, reference.cN, { atol: 1e-5 });
      expectArraysClose(fused.loss, reference.loss, { atol: 1e-4 });
      fused.grads.forEach((g, i) => expectArraysClose(g, reference.grads[i]!, { atol: 1e-5 }));
    });
  }
}, { backends: ['webgpu'] });
