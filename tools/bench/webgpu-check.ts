// Checks that rnnkit's webgpu backend runs on the machine's real GPU: prints the adapter, the
// throughput of a large matmul (webgpu vs cpu, same run), and whether the gradients of the
// composite function in tensor-core's fixture agree between webgpu and cpu.
//   npx tsx tools/bench/webgpu-check.ts            (or bundled: ../shared/gpu/prepare.sh tools/bench/webgpu-check.ts)
import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, useBackend } from '@rnnkit/tensor-core';

import { parseBenchArgs } from './cli-args.js';
import { installNodeWebGpu } from './node-webgpu.js';

import fixture from '../../packages/tensor-core/src/__fixtures__/composite_grad.json' with { type: 'json' };
import { at, upperMedian } from './checked.js';

function loss(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Scalar {
  const h = tf.tanh(tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b));
  const gate = tf.sigmoid(tf.sub(tf.mul(tf.slice(x, [0, 0], [-1, 3]), 2), 1));
  const y = tf.log1p(tf.exp(tf.add(tf.mul(h, gate), tf.square(tf.relu(h)))));
  const penalty = tf.mul(tf.sum(tf.mul(w, w)), 0.01);
  return tf.sub(
    tf.add(tf.mean(y), penalty),
    tf.sum(tf.slice(tf.logSoftmax(h, 1), [0, 0], [-1, 1])),
  ) as tf.Scalar;
}

async function gradients(): Promise<number[]> {
  const grads = tf.tidy(() => {
    const inputs = [fixture.x, fixture.w, fixture.b].map((t) => tf.tensor(t.values, t.shape));
    return tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => loss(x, w, b))(inputs);
  });
  const values = (await Promise.all(grads.map((g) => g.data()))).flatMap((v) => Array.from(v));
  tf.dispose(grads);
  return values;
}

async function matmulMs(n: number, runs: number): Promise<number> {
  const a = tf.randomUniform([n, n]);
  const b = tf.randomUniform([n, n]);
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    if (i >= 2) times.push(performance.now() - start);
  }
  tf.dispose([a, b]);
  return upperMedian(times);
}

const { positional } = parseBenchArgs({
  name: 'webgpu-check',
  summary: "Checks rnnkit's webgpu backend on the real GPU: adapter, matmul throughput, composite gradients.",
  options: {},
  positional: { name: 'n', default: 2048, min: 1, description: 'size of the square matmul' },
});
const n = positional ?? 2048;
await installNodeWebGpu();
await useBackend('cpu');
const cpuGrads = await gradients();
const cpuMs = await matmulMs(Math.min(n, 512), 3);
await useBackend('webgpu');
const info = await describeBackend();
const gpuGrads = await gradients();
const gpuMs = await matmulMs(n, 10);
const maxDiff = Math.max(...cpuGrads.map((v, i) => Math.abs(v - at(gpuGrads, i, 'webgpu gradients'))));
console.log(
  JSON.stringify({
    check: 'webgpu',
    adapter: info.adapter,
    // The largest tensor a kernel may bind: the split-reduction partials and recurrence workspaces must fit.
    max_storage_buffer_binding_bytes: (tf.backend() as unknown as { device: GPUDevice }).device.limits
      .maxStorageBufferBindingSize,
    gradient_max_abs_diff_vs_cpu: maxDiff,
    gradients_agree_1e5: maxDiff <= 1e-5,
    webgpu_matmul: { n, median_ms: gpuMs, gflops: (2 * n ** 3) / gpuMs / 1e6 },
    cpu_matmul: { n: Math.min(n, 512), median_ms: cpuMs, gflops: (2 * Math.min(n, 512) ** 3) / cpuMs / 1e6 },
  }),
);
process.exit(0);
