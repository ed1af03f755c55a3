import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { Dense } from '../../keras/dense.js';
import { binaryCrossentropy } from '../../keras/losses.js';
import { meanLoss } from '../../keras/mean_loss.js';
import { rmsprop } from '../../optimizers/fused_rmsprop.js';
import { GRU } from '../../recurrent/gru.js';
import { LSTM } from '../../recurrent/lstm.js';

// On a GPU, what a training step costs beyond its arithmetic is mostly host work per op, and an
// upload of host data (a new staging buffer each) is the dearest. tfjs-core's own RMSprop uploaded
// ~40 scalars per step, the composed loss a dozen, and the recurrence's unused outputs came back as
// host zeros the size of the sequence. This guards that none of that returns: after warm-up, a step
// of recurrent layer + Dense + binary cross-entropy + meanLoss + RMSprop uploads at most the scalar
// seed of the backward pass, nothing the size of a state or a sequence.

describeWithBackends(
  'a webgpu training step',
  () => {
    for (const Layer of [LSTM, GRU]) {
      it(`${Layer.name}: uploads nothing from the host but the backward pass's seed`, async () => {
        const [batch, time, input, hidden] = [16, 12, 8, 64]; // above tfjs-backend-webgpu's CPU hand-off size
        const x = tf.randomUniform([batch, time, input], -1, 1, 'float32', 1);
        const y = tf.cast(tf.greater(tf.randomUniform([batch, 1], 0, 1, 'float32', 2), 0.5), 'float32');
        const rnn = new Layer({ inputSize: input, hiddenSize: hidden, seed: 3 });
        const dense = new Dense({ units: 1, activation: 'sigmoid', seed: 4, inputDim: hidden });
        const variables = [...rnn.parameters(), ...dense.namedWeights().map(([, v]) => v)];
        const optimizer = rmsprop(0.001, 0.9, 0, 1e-7);
        const step = async () => {
          const loss = optimizer.minimize(
            () => meanLoss(binaryCrossentropy(y, dense.apply(rnn.apply(x)))),
            true,
            variables,
          )!;
          await loss.data();
          loss.dispose();
        };
        await step();
        await step();
        const backend = tf.backend() as unknown as {
          uploadToGPU(id: object): void;
          tensorMap: { get(id: object): { values?: unknown; resource?: unknown; shape: number[] } };
        };
        const upload = backend.uploadToGPU;
        const uploaded: number[][] = [];
        backend.uploadToGPU = function (id: object) {
          const data = backend.tensorMap.get(id);
          if (data.values != null && data.resource == null) uploaded.push(data.shape);
          return upload.call(backend, id);
        };
        const before = tf.memory().numTensors;
        try {
          await step();
        } finally {
          backend.uploadToGPU = upload;
        }
        expect(tf.memory().numTensors).toBe(before);
        // One scalar at most: the 1 that tfjs-core's engine seeds the backward pass with.
        expect(uploaded.length).toBeLessThanOrEqual(1);
        for (const shape of uploaded) expect(shape).toEqual([]);
        tf.dispose([x, y]);
        rnn.dispose();
        dense.dispose();
        optimizer.dispose();
      });
    }
  },
  { backends: ['webgpu'] },
);
