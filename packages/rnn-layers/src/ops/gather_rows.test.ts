import * as tf from '@tensorflow/tfjs-core';
import { randomUniform } from '@rnnkit/tensor-core';
import { describeWithBackends } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { gatherRows } from './gather_rows.js';
import { GATHER_ROWS } from './kernel_names.js';
import { setSimdGatesEnabled } from './wasm/simd_gates.js';

describeWithBackends('gatherRows', (backend) => {
  // On wasm: the SIMD module's memory.copy loop, and the JS loop without it.
  for (const simd of backend === 'wasm' ? [true, false] : [true]) {
    const how = backend === 'wasm' ? (simd ? ' (SIMD module)' : ' (JS)') : '';
    it(`equals tf.gather for short and long rows, repeated indices included${how}`, async () => {
      setSimdGatesEnabled(simd);
      try {
        for (const width of [3, 32, 100]) {
          // 100: the copy through set() for long rows in JS
          const x = randomUniform([50, width], -1, 1, width);
          const indices = tf.tensor1d(
            Array.from({ length: 1200 }, (_, i) => (i * 37) % 50),
            'int32',
          ); // above webgpu's CPU hand-off size
          const before = tf.memory().numTensors;
          const ours = gatherRows(x, indices);
          const theirs = tf.gather(x, indices);
          expect(ours.shape).toEqual([1200, width]);
          expect(Array.from(await ours.data())).toEqual(Array.from(await theirs.data()));
          tf.dispose([ours, theirs]);
          expect(tf.memory().numTensors).toBe(before);
          tf.dispose([x, indices]);
        }
      } finally {
        setSimdGatesEnabled(true);
      }
    });
  }

  it('names an index out of range (cpu, wasm: their own kernel)', () => {
    if (backend !== 'cpu' && backend !== 'wasm') return;
    gatherRows(tf.zeros([1, 1]), tf.tensor1d([0], 'int32')).dispose(); // registers the kernels
    expect(tf.getKernel(GATHER_ROWS, backend)).toBeDefined();
    const x = tf.zeros([4, 2]);
    const indices = tf.tensor1d([0, 3, 4], 'int32');
    const negative = tf.tensor1d([1, -1], 'int32');
    const before = tf.memory().numTensors;
    for (const simd of [true, false]) {
      setSimdGatesEnabled(simd);
      try {
        expect(() => gatherRows(x, indices)).toThrow(/gatherRows: indices\[2\] = 4 is not in \[0, 4\)/);
        expect(() => gatherRows(x, negative)).toThrow(/gatherRows: indices\[1\] = -1 is not in \[0, 4\)/);
      } finally {
        setSimdGatesEnabled(true);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, indices, negative]);
  });
});
