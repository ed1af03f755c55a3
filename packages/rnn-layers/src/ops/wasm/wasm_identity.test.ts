import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@rnnkit/tensor-core';
import { describeWithBackends } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { registerRnnLayersKernels } from '../register_rnn_layers_kernels.js';

// rnnkit replaces tfjs's wasm Identity (the one global kernel it replaces): the same user program must
// give the same values, the same tf.memory() figures and the same disposal behaviour as on cpu, whose
// Identity shares data the same way.

interface Observed {
  values: unknown[];
  memory: Array<[number, number, number]>;
}

/** User code that clones, assigns, differentiates and disposes; what it sees, step by step. */
async function userProgram(): Promise<Observed> {
  const values: unknown[] = [];
  const memory: Array<[number, number, number]> = [];
  const start = tf.memory();
  const note = (): void => {
    const m = tf.memory();
    memory.push([
      m.numTensors - start.numTensors,
      m.numDataBuffers - start.numDataBuffers,
      m.numBytes - start.numBytes,
    ]);
  };
  const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const copy = tf.clone(x);
  note();
  x.dispose(); // the clone outlives its source
  values.push(await copy.array());
  note();
  const zeros = tf.zeros([2, 3]);
  const v = tf.variable(zeros);
  const y = tf.mul(copy, 2);
  const yCopy = tf.clone(y);
  v.assign(yCopy); // the variable holds a clone, then the source goes
  y.dispose();
  values.push(await v.array());
  note();
  const again = tf.clone(v);
  const ones = tf.ones([2, 3]);
  v.assign(ones); // reassigning the variable leaves an earlier clone as it was
  values.push(await again.array(), await v.array());
  note();
  // Gradients save their inputs through Identity.
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, t)))(again);
  values.push(await g.array());
  note();
  tf.dispose([copy, zeros, yCopy, v, again, ones, g]);
  note();
  // Strings keep tfjs's copying Identity on wasm (its string byte counts differ from cpu's): values only.
  const words = tf.tensor1d(['a', 'bc'], 'string');
  const wordsCopy = tf.clone(words);
  words.dispose();
  values.push(await wordsCopy.array());
  wordsCopy.dispose();
  return { values, memory };
}

describeWithBackends(
  'rnnkit on wasm: tfjs Identity shared, not copied',
  () => {
    it('is the kernel user code runs after rnnkit registered its kernels', () => {
      const before = tf.getKernel(tf.Identity, 'wasm')?.kernelFunc;
      registerRnnLayersKernels();
      expect(tf.getKernel(tf.Identity, 'wasm')?.kernelFunc).not.toBe(before);
    });

    it('gives user code the values, memory figures and lifetimes it gets on cpu', async () => {
      registerRnnLayersKernels();
      const onWasm = await userProgram();
      await useBackend('cpu');
      try {
        const onCpu = await userProgram();
        expect(onWasm).toEqual(onCpu);
        expect(onCpu.memory.at(-1)).toEqual([0, 0, 0]); // and nothing leaks
      } finally {
        await useBackend('wasm');
      }
    });
  },
  { backends: ['wasm'] },
);
