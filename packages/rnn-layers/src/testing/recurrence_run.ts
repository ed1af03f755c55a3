import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom, randomUniform } from '@rnnkit/tensor-core';

import type { CellKind } from '../ops/cell_kind.js';
import { recurrentSequence } from '../ops/recurrent_sequence.js';

export interface RecurrenceDims {
  T: number;
  B: number;
  I: number;
  H: number;
}

export interface RecurrenceRun {
  output: number[];
  hN: number[];
  cN: number[];
  loss: number;
  /** Gradients of the loss w.r.t. x, weightIh, weightHh, [biasIh, biasHh,] h0[, c0]. */
  grads: number[][];
}

/**
 * Runs one layer-direction of `cell` with seeded inputs and the given implementation, and returns its
 * outputs, final states, and the value and gradients of sum(output * r) + sum(hN * sh) [+ sum(cN * sc)]:
 * what the backend kernel tests compare between 'fused' and 'reference'.
 */
export async function runRecurrence(
  dims: RecurrenceDims,
  cell: CellKind,
  bias: boolean,
  implementation: 'fused' | 'reference',
  lengths: number[] | tf.Tensor | undefined,
  reverse: boolean,
): Promise<RecurrenceRun> {
  const { T, B, I, H } = dims;
  const rng = new SeededRandom(5);
  const k = 1 / Math.sqrt(H);
  const G = (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1) * H;
  const x = randomUniform([T, B, I], -1, 1, rng);
  const weights = {
    weightIh: randomUniform([G, I], -k, k, rng),
    weightHh: randomUniform([G, H], -k, k, rng),
    biasIh: randomUniform([G], -k, k, rng),
    biasHh: randomUniform([G], -k, k, rng),
  };
  const h0 = randomUniform([B, H], -1, 1, rng);
  const c0 = randomUniform([B, H], -1, 1, rng);
  const r = randomUniform([T, B, H], -1, 1, rng);
  const sh = randomUniform([B, H], -1, 1, rng);
  const sc = randomUniform([B, H], -1, 1, rng);
  const lstm = cell === 'lstm';
  const all = [x, weights.weightIh, weights.weightHh, weights.biasIh, weights.biasHh, h0, c0];
  const params = [
    x,
    weights.weightIh,
    weights.weightHh,
    ...(bias ? [weights.biasIh, weights.biasHh] : []),
    h0,
    ...(lstm ? [c0] : []),
  ];
  const unpack = (p: tf.Tensor[]) => {
    const [xs, wIh, wHh, ...rest] = p;
    const biases = bias ? { biasIh: rest.shift()!, biasHh: rest.shift()! } : {};
    return {
      xs: xs!,
      w: { weightIh: wIh!, weightHh: wHh!, ...biases },
      h: rest[0]!,
      c: lstm ? rest[1]! : undefined,
    };
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
    output: await read(forward.output),
    hN: await read(forward.hN),
    cN: await read(forward.cN),
    loss: (await value.data())[0]!,
    grads: await Promise.all(grads.map(read)),
  };
  tf.dispose([all, r, sh, sc, value, grads, forward.output, forward.hN, forward.cN ?? []]);
  return result;
}
