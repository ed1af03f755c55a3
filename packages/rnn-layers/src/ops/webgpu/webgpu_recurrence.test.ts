import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import type { CellKind } from '../cell_kind.js';
import { runRecurrence, type RecurrenceRun } from '../../testing/recurrence_run.js';
import { startRecurrencePassTiming, stopRecurrencePassTiming } from './recurrence_pass_timing.js';
import { registerRnnLayersKernels } from '../register_rnn_layers_kernels.js';

// The WGSL recurrences against the tfjs-core reference on the same backend: forward outputs, final
// states, and every gradient, with ragged lengths in both directions. Sizes are not multiples of
// the 16x16 tile, so the edge handling is exercised. (PyTorch parity runs in the layer tests.)

const DIMS = { T: 7, B: 5, I: 3, H: 37 };

const cases: Array<[CellKind, boolean, number[] | undefined, boolean]> = [
  ['lstm', true, undefined, false],
  ['lstm', true, [7, 3, 1, 7, 5], false],
  ['lstm', false, [7, 3, 1, 7, 5], true],
  ['gru', true, undefined, false],
  ['gru', true, [7, 3, 1, 7, 5], true],
  ['gru', false, [2, 7, 1, 6, 5], false],
  ['rnn_tanh', true, [7, 3, 1, 7, 5], true],
  ['rnn_tanh', false, undefined, false],
  ['rnn_relu', true, [2, 7, 1, 6, 5], false],
];

function expectSameRun(fused: RecurrenceRun, reference: RecurrenceRun): void {
  expectArraysClose(fused.output, reference.output, { atol: 1e-5 });
  expectArraysClose(fused.hN, reference.hN, { atol: 1e-5 });
  expectArraysClose(fused.cN, reference.cN, { atol: 1e-5 });
  expectArraysClose(fused.loss, reference.loss, { atol: 1e-4 });
  fused.grads.forEach((g, i) => expectArraysClose(g, reference.grads[i]!, { atol: 1e-5 }));
}

describeWithBackends(
  'webgpu recurrences',
  () => {
    for (const [cell, bias, lengths, reverse] of cases) {
      it(`${cell}${bias ? '' : ' without bias'} matches the reference (lengths ${lengths ?? 'full'}, ${reverse ? 'reverse' : 'forward'})`, async () => {
        registerRnnLayersKernels();
        const before = tf.memory().numTensors;
        const fused = await runRecurrence(DIMS, cell, bias, 'fused', lengths, reverse);
        const reference = await runRecurrence(DIMS, cell, bias, 'reference', lengths, reverse);
        expect(tf.memory().numTensors).toBe(before);
        expectSameRun(fused, reference);
      });
    }

    for (const [cell, reverse] of [
      ['lstm', false],
      ['gru', true],
      ['rnn_tanh', false],
    ] as Array<[CellKind, boolean]>) {
      it(`${cell} takes lengths left on the device (${reverse ? 'reverse' : 'forward'}), fused`, async () => {
        registerRnnLayersKernels();
        const lengths = [7, 3, 1, 7, 5];
        // A filled tensor lives on the GPU, so the sum does too: dataSync cannot read it back.
        const onDevice = tf.add(tf.fill([DIMS.B], 0, 'int32'), tf.tensor1d(lengths, 'int32'));
        expect(() => onDevice.dataSync()).toThrow();
        const before = tf.memory().numTensors;
        const fused = await runRecurrence(DIMS, cell, true, 'fused', onDevice, reverse);
        const reference = await runRecurrence(DIMS, cell, true, 'reference', lengths, reverse);
        expect(tf.memory().numTensors).toBe(before);
        expectSameRun(fused, reference);
        onDevice.dispose();
      });
    }

    it('times its passes on the GPU when asked (timestamp queries)', async () => {
      registerRnnLayersKernels();
      startRecurrencePassTiming();
      await runRecurrence(DIMS, 'lstm', true, 'fused', undefined, false);
      const timings = await stopRecurrencePassTiming();
      const device = (tf.backend() as unknown as { device: GPUDevice }).device;
      if (!device.features.has('timestamp-query')) {
        expect(timings).toEqual([]);
        return;
      }
      // runRecurrence runs the forward twice (outputs, then under tf.grads) and the backward once.
      expect(timings.map((t) => `${t.pass} ${t.steps}`).sort()).toEqual([
        'rnnkit-lstm-backward 8',
        'rnnkit-lstm-forward 7',
        'rnnkit-lstm-forward 7',
      ]);
      for (const t of timings) expect(t.gpuMs).toBeGreaterThan(0);
      await runRecurrence(DIMS, 'lstm', true, 'fused', undefined, false);
      expect(await stopRecurrencePassTiming()).toEqual([]); // off again
    });
  },
  { backends: ['webgpu'] },
);
