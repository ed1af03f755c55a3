import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

import { useBackend } from './backends/use_backend.js';
import { availableBackends, describeWithBackends, expectArraysClose } from './testing/index.js';

interface Fixture {
  x: { shape: number[]; values: number[] };
  w: { shape: number[]; values: number[] };
  b: { shape: number[]; values: number[] };
  loss: number;
  dx: number[];
  dw: number[];
  db: number[];
}
const fixture: Fixture = JSON.parse(
  readFileSync(new URL('./__fixtures__/composite_grad.json', import.meta.url), 'utf8'),
);

// The same composite function as tools/fixtures/tensor_core.py, in tfjs ops.
function loss(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Scalar {
  const h = tf.tanh(tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b));
  const gate = tf.sigmoid(tf.sub(tf.mul(tf.slice(x, [0, 0], [-1, 3]), 2), 1));
  const y = tf.log1p(tf.exp(tf.add(tf.mul(h, gate), tf.square(tf.relu(h)))));
  const penalty = tf.mul(tf.sum(tf.mul(w, w)), 0.01);
  const logSoftmax = tf.logSoftmax(h, 1);
  return tf.sub(tf.add(tf.mean(y), penalty), tf.sum(tf.slice(logSoftmax, [0, 0], [-1, 1]))) as tf.Scalar;
}

async function gradients(): Promise<{ value: Float32Array; grads: Float32Array[] }> {
  const { value, grads } = tf.tidy(() => {
    const inputs = [fixture.x, fixture.w, fixture.b].map((t) => tf.tensor(t.values, t.shape));
    return tf.valueAndGrads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => loss(x, w, b))(inputs);
  });
  const result = {
    value: (await value.data()) as Float32Array,
    grads: (await Promise.all(grads.map((g) => g.data()))) as Float32Array[],
  };
  tf.dispose([value, ...grads]);
  return result;
}

describeWithBackends('autodiff', () => {
  it('gives PyTorch autograd gradients for a composite function', async () => {
    const before = tf.memory().numTensors;
    const { value, grads } = await gradients();
    expect(tf.memory().numTensors).toBe(before);
    expectArraysClose(value, fixture.loss, { atol: 1e-5 });
    expectArraysClose(grads[0]!, fixture.dx, { atol: 1e-5 });
    expectArraysClose(grads[1]!, fixture.dw, { atol: 1e-5 });
    expectArraysClose(grads[2]!, fixture.db, { atol: 1e-5 });
  });
});

it('gives the same gradients on every backend within 1e-5', async () => {
  const backends = availableBackends();
  expect(backends).toContain('cpu');
  await useBackend('cpu');
  const reference = await gradients();
  for (const backend of backends) {
    await useBackend(backend);
    const { value, grads } = await gradients();
    expectArraysClose(value, reference.value, { atol: 1e-5 });
    grads.forEach((g, i) => expectArraysClose(g, reference.grads[i]!, { atol: 1e-5 }));
  }
  await useBackend('cpu');
});
