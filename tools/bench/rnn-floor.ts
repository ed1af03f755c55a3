// The matmul floor of inference for bench:rnn's configuration: the matmuls every implementation of
// the layer must run, alone, through tf.matMul on the active backend (XNNPACK on wasm): the input
// projection of all steps at once, then one [batch, hidden] x [hidden, gates*hidden] product per step
// and layer. Nothing else (gates, state, output layer). Baseline / floor bounds the speed-up that an
// implementation built on the backend's own matmul can reach over the baseline (tfjs-layers is one).
// It is not a bound for rnnkit on wasm, whose fused step kernels run the step products in SIMD
// registers ~1.3x faster than XNNPACK here (packages/rnn-layers/src/ops/wasm/README.md).
import * as tf from '@tensorflow/tfjs-core';

import type { RnnBenchConfig } from './rnn-args.js';
import { required } from './checked.js';

export async function timeMatmulFloor(
  cfg: RnnBenchConfig,
  time: (fn: () => Promise<void>) => Promise<number[]>,
): Promise<number[]> {
  const gates = (cfg.cell === 'lstm' ? 4 : cfg.cell === 'gru' ? 3 : 1) * cfg.hidden;
  const weights = Array.from({ length: cfg.layers }, (_, l) => ({
    input: tf.randomUniform([l === 0 ? cfg.input : cfg.hidden, gates], -0.1, 0.1, 'float32', 10 + l),
    recurrent: tf.randomUniform([cfg.hidden, gates], -0.1, 0.1, 'float32', 20 + l),
  }));
  const x = tf.randomUniform([cfg.time * cfg.batch, cfg.input], -1, 1, 'float32', 3);
  const h = tf.randomUniform([cfg.batch, cfg.hidden], -1, 1, 'float32', 4);
  const layerInput = tf.randomUniform([cfg.time * cfg.batch, cfg.hidden], -1, 1, 'float32', 5);
  try {
    return await time(async () => {
      const outs: tf.Tensor[] = [];
      weights.forEach((w, l) => {
        outs.push(tf.matMul(l === 0 ? x : layerInput, w.input));
        for (let s = 0; s < cfg.time; s++) outs.push(tf.matMul(h, w.recurrent));
      });
      await required(outs.at(-1), 'the last matmul').data();
      tf.dispose(outs);
    });
  } finally {
    tf.dispose([x, h, layerInput, ...weights.flatMap((w) => [w.input, w.recurrent])]);
  }
}
