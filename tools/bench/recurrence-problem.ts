// The problem the recurrence benchmarks time, drawn alike in each so that a seed gives every one the
// same values: x [T, B, I], PyTorch's initialisation U(-1/sqrt(H), 1/sqrt(H)) for the weights, the
// initial states, and r [T, B, H], which weights the output in the training loss sum(output * r).
import * as tf from '@tensorflow/tfjs-core';
import { randomUniform, SeededRandom } from '@rnnkit/tensor-core';

import { recurrentSequence } from '../../packages/rnn-layers/src/ops/recurrent_sequence.js';
import type { CellKind } from '../../packages/rnn-layers/src/ops/cell_kind.js';
import type { RecurrentWeights } from '../../packages/rnn-layers/src/ops/sequence_types.js';

export interface RecurrenceProblem {
  kind: CellKind;
  x: tf.Tensor;
  weights: Required<RecurrentWeights>;
  h0: tf.Tensor;
  /** LSTM only. */
  c0: tf.Tensor | undefined;
  r: tf.Tensor;
}

/** Initial states U(-0.5, 0.5) with 'random', or zeros (then nothing is drawn for them). */
export function recurrenceProblem(
  { kind, B, T, I, H, G }: { kind: CellKind; B: number; T: number; I: number; H: number; G: number },
  initialStates: 'random' | 'zeros',
): RecurrenceProblem {
  const rng = new SeededRandom(1);
  const x = randomUniform([T, B, I], -1, 1, rng);
  const k = 1 / Math.sqrt(H);
  const weights = {
    weightIh: randomUniform([G, I], -k, k, rng),
    weightHh: randomUniform([G, H], -k, k, rng),
    biasIh: randomUniform([G], -k, k, rng),
    biasHh: randomUniform([G], -k, k, rng),
  };
  const state = () => (initialStates === 'zeros' ? tf.zeros([B, H]) : randomUniform([B, H], -0.5, 0.5, rng));
  const h0 = state();
  const c0 = kind === 'lstm' ? state() : undefined;
  const r = randomUniform([T, B, H], -1, 1, rng);
  return { kind, x, weights, h0, c0, r };
}

/** Gradients of sum(output * r) for weightIh, weightHh, biasIh and biasHh (a training step's backward). */
export function weightGradients(
  { kind, x, weights: w, h0, c0, r }: RecurrenceProblem,
  implementation: 'fused' | 'reference',
): tf.Tensor[] {
  return tf.grads(
    (weightIh: tf.Tensor, weightHh: tf.Tensor, biasIh: tf.Tensor, biasHh: tf.Tensor) =>
      tf.sum(
        tf.mul(
          recurrentSequence(kind, x, { weightIh, weightHh, biasIh, biasHh }, h0, c0, { implementation })
            .output,
          r,
        ),
      ) as tf.Scalar,
  )([w.weightIh, w.weightHh, w.biasIh, w.biasHh]);
}

/** A timed forward pass: done once `read` (the whole output, or only the final state hN) is on the host. */
export async function forwardPass(
  { kind, x, weights, h0, c0 }: RecurrenceProblem,
  implementation: 'fused' | 'reference',
  read: 'output' | 'hN',
): Promise<void> {
  const out = recurrentSequence(kind, x, weights, h0, c0, { implementation });
  await out[read].data();
  tf.dispose([out.output, out.hN, out.cN ?? []]);
}

/** A timed training pass: done once every weight gradient is on the host. */
export async function trainingPass(
  problem: RecurrenceProblem,
  implementation: 'fused' | 'reference',
): Promise<void> {
  const grads = weightGradients(problem, implementation);
  await Promise.all(grads.map((g) => g.data()));
  tf.dispose(grads);
}
