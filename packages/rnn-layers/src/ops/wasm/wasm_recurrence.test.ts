import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom, randomUniform } from '@rnnkit/tensor-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import type { CellKind } from '../cell_kind.js';
import { COLUMN_SUMS } from '../kernel_names.js';
import { denseMatMul } from '../dense_mat_mul.js';
import { recurrentSequence } from '../recurrent_sequence.js';
import { runRecurrence } from '../../testing/recurrence_run.js';
import { registerRnnLayersKernels } from '../register_rnn_layers_kernels.js';
import {
  fusedStepKernels,
  setFusedStepsEnabled,
  setSimdGatesEnabled,
  simdGates,
  simdGatesOn,
} from './simd_gates.js';
import { wasmInternals } from './wasm_backend_access.js';
import { packedWeightCount, releasePackedWeights } from './wasm_weight_cache.js';
import { lstmRecurrenceWasm } from './wasm_lstm_recurrence.js';

// The heap-resident wasm recurrences against the tfjs-core reference on the same backend: forward
// outputs, final states and every gradient, with ragged lengths in both directions, with and
// without biases. PyTorch parity of the layers runs in the layer tests. Every case runs with hidden 19
// (XNNPACK's step product, SIMD gate rows for 16 lanes and a JS tail for 3), again with hidden 32
// (the fused SIMD step kernels) and some on the JS fallback and with hidden 20.

const DIMS = { T: 7, B: 5, I: 3, H: 19 };
const { T, B, I, H } = DIMS;
// Hidden sizes the fused step kernels take (multiples of 4; of 16 for Elman cells), an odd batch
// leaving one row outside the kernels' row pairs. Hidden 20 runs LSTM/GRU fused, Elman on gate rows.
const FUSED_HIDDEN = 32;

const cases: Array<[CellKind, boolean, number[] | undefined, boolean]> = [
  ['lstm', true, undefined, false],
  ['lstm', true, [7, 3, 1, 7, 5], false],
  ['lstm', false, [7, 3, 1, 7, 5], true],
  ['lstm', true, undefined, true],
  ['gru', true, undefined, false],
  ['gru', true, [7, 3, 1, 7, 5], true],
  ['gru', false, [2, 7, 1, 6, 5], false],
  ['rnn_tanh', true, [7, 3, 1, 7, 5], true],
  ['rnn_tanh', false, undefined, false],
  ['rnn_relu', true, [2, 7, 1, 6, 5], false],
  ['rnn_relu', false, undefined, true],
];

interface HeapModule {
  _malloc(n: number): number;
  _free(p: number): void;
  HEAPU8: Uint8Array;
}

/** Counts heap blocks malloc'ed through the module's JS exports and not freed while `fn` runs. */
async function liveHeapBlocks(fn: () => Promise<void>): Promise<number> {
  const wasm = (tf.backend() as unknown as { wasm: HeapModule }).wasm;
  const { _malloc: malloc, _free: free } = wasm;
  const live = new Set<number>();
  wasm._malloc = (n: number) => {
    const p = malloc(n);
    live.add(p);
    return p;
  };
  wasm._free = (p: number) => {
    live.delete(p);
    free(p);
  };
  try {
    await fn();
  } finally {
    wasm._malloc = malloc;
    wasm._free = free;
  }
  return live.size;
}

describeWithBackends(
  'wasm recurrences',
  () => {
    registerRnnLayersKernels();

    it('are the kernels registered for wasm (before the JS fallbacks)', () => {
      expect(tf.getKernel('RnnkitLSTMRecurrence', 'wasm')?.kernelFunc).toBe(lstmRecurrenceWasm);
    });

    it('names what it expected when given another backend, and frees its outputs when a kernel fails', () => {
      expect(() => wasmInternals(tf.findBackend('cpu'))).toThrow(
        /expected tfjs-backend-wasm 4.x's BackendWasm .*received/,
      );
      const backend = tf.backend();
      const xp = tf.zeros([6, 8]);
      const state = tf.zeros([2, 2]);
      const foreign = { dataId: {}, shape: [8, 2], dtype: 'float32' as const }; // data not on this backend
      const dataIds = backend.numDataIds();
      expect(() =>
        lstmRecurrenceWasm({
          inputs: { xp, weightHh: foreign, h0: state, c0: state },
          backend,
          attrs: { lengths: [], reverse: false },
        }),
      ).toThrow(/tensor of shape \[8,2\] has no data on the wasm backend/);
      expect(backend.numDataIds()).toBe(dataIds);
      tf.dispose([xp, state]);
    });

    it('takes inputs whose data still lives on another backend (moved in before the heap is read)', async () => {
      const rng = new SeededRandom(9);
      await tf.setBackend('cpu');
      const make = () =>
        [
          randomUniform([T, B, I], -1, 1, rng),
          randomUniform([4 * H, I], -0.3, 0.3, rng),
          randomUniform([4 * H, H], -0.3, 0.3, rng),
          randomUniform([B, H], -1, 1, rng),
          randomUniform([B, H], -1, 1, rng),
        ] as const;
      const [x, wIh, wHh, h0, c0] = make();
      await tf.setBackend('wasm');
      const fused = recurrentSequence('lstm', x, { weightIh: wIh, weightHh: wHh }, h0, c0, {
        implementation: 'fused',
      });
      const reference = recurrentSequence('lstm', x, { weightIh: wIh, weightHh: wHh }, h0, c0, {
        implementation: 'reference',
      });
      expectArraysClose(await fused.output.data(), await reference.output.data(), { atol: 1e-5 });
      expectArraysClose(await fused.cN!.data(), await reference.cN!.data(), { atol: 1e-5 });
      tf.dispose([
        x,
        wIh,
        wHh,
        h0,
        c0,
        fused.output,
        fused.hN,
        fused.cN!,
        reference.output,
        reference.hN,
        reference.cN!,
      ]);
    });

    it('clones share their data (tfjs-core clones every tensor a gradient saves), reference-counted', async () => {
      const backend = tf.backend();
      const dataIds = backend.numDataIds();
      const x = tf.tensor1d([1, 2, 3]);
      const y = tf.clone(x);
      expect(y.dataId).toBe(x.dataId);
      expect(backend.numDataIds()).toBe(dataIds + 1);
      x.dispose();
      expect(Array.from(await y.data())).toEqual([1, 2, 3]);
      y.dispose();
      expect(backend.numDataIds()).toBe(dataIds);
      const s = tf.tensor1d(['a', 'b'], 'string'); // strings keep tfjs-backend-wasm's copy
      const t = tf.clone(s);
      expect(await t.data()).toEqual(['a', 'b']);
      tf.dispose([s, t]);
    });

    it('has the SIMD gate kernels on this backend', () => {
      expect(simdGates(wasmInternals(tf.backend()))).not.toBeNull();
    });

    it('SIMD sigmoid and tanh are within 3e-7 of Math over [-30, 30] and saturate beyond', () => {
      const be = wasmInternals(tf.backend());
      const simd = simdGates(be)!;
      const n = 6004;
      const x = tf.tensor1d(
        Array.from({ length: n }, (_, i) => (i < 4 ? [-1e4, 1e4, 1e-7, -0] : [0])[i] ?? (i - n / 2) / 100),
      );
      const out = tf.zeros([2 * n]);
      const at = (t: tf.Tensor) => be.dataIdMap.get(t.dataId)!.memoryOffset;
      simd.sigmoid_n(at(x), at(out), 4 * n, n, 1);
      simd.tanh_n(at(x), at(out) + 4 * n, 4 * n, n, 1);
      const xs = x.dataSync();
      const ys = out.dataSync();
      let sigmoidError = 0;
      let tanhError = 0;
      xs.forEach((v, i) => {
        sigmoidError = Math.max(sigmoidError, Math.abs(ys[i]! - 1 / (1 + Math.exp(-v))));
        tanhError = Math.max(tanhError, Math.abs(ys[n + i]! - Math.tanh(v)));
      });
      expect(sigmoidError).toBeLessThan(3e-7);
      expect(tanhError).toBeLessThan(3e-7);
      expect(ys[0]).toBeLessThan(1e-30); // sigmoid(-1e4): exp's input is clamped, the result tiny
      expect([ys[1], ys[n], ys[n + 1]]).toEqual([1, -1, 1]);
      tf.dispose([x, out]);
    });

    it('leaves the step products to XNNPACK where it runs several threads (threaded build)', () => {
      const be = wasmInternals(tf.backend());
      expect(be.wasm.tfjs.getThreadsCount?.()).toBe(1);
      expect(fusedStepKernels(be)).not.toBeNull();
      const threaded = { ...be, wasm: { ...be.wasm, tfjs: { ...be.wasm.tfjs, getThreadsCount: () => 4 } } };
      expect(fusedStepKernels(threaded as typeof be)).toBeNull();
    });

    it("SIMD gate kernels also run on a shared memory (tfjs-backend-wasm's threaded build)", () => {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
      const gates = simdGatesOn(memory);
      expect(gates).not.toBeNull();
      const f = new Float32Array(memory.buffer);
      f.set([-2, -0.5, 0.5, 2], 0);
      gates!.tanh_n(0, 64, 16, 4, 1);
      expectArraysClose(f.subarray(16, 20), [-2, -0.5, 0.5, 2].map(Math.tanh), { atol: 3e-7 });
    });

    // Paths: 'simd' (fused steps where the hidden size allows, else XNNPACK + SIMD gate rows), 'xnnpack'
    // (fused steps off: XNNPACK + SIMD gate rows for every row in one call) and 'js' (no SIMD at all).
    const variants = [
      ...cases.map((c) => [...c, 'simd', H] as const),
      ...cases.filter((_, i) => i % 2 === 0).map((c) => [...c, 'js', H] as const),
      ...cases.map((c) => [...c, 'simd', FUSED_HIDDEN] as const),
      ...cases.filter((_, i) => i % 2 === 1).map((c) => [...c, 'xnnpack', FUSED_HIDDEN] as const),
      ...cases.filter((_, i) => i % 3 === 0).map((c) => [...c, 'simd', 20] as const),
    ];
    for (const [cell, bias, lengths, reverse, mode, hidden] of variants) {
      const fusedSize = hidden % (cell.startsWith('rnn') ? 16 : 4) === 0;
      const path =
        mode === 'js'
          ? 'JS gates'
          : mode === 'simd' && fusedSize
            ? 'fused SIMD steps'
            : 'XNNPACK and SIMD gates';
      it(`${cell}${bias ? '' : ' without bias'}, hidden ${hidden}, matches the reference (lengths ${lengths ?? 'full'}, ${reverse ? 'reverse' : 'forward'}, ${path})`, async () => {
        const dims = { ...DIMS, H: hidden };
        const before = tf.memory().numTensors;
        setSimdGatesEnabled(mode !== 'js');
        setFusedStepsEnabled(mode !== 'xnnpack');
        let fused;
        try {
          fused = await runRecurrence(dims, cell, bias, 'fused', lengths, reverse);
        } finally {
          setSimdGatesEnabled(true);
          setFusedStepsEnabled(true);
        }
        const reference = await runRecurrence(dims, cell, bias, 'reference', lengths, reverse);
        expect(tf.memory().numTensors).toBe(before);
        expectArraysClose(fused.output, reference.output, { atol: 1e-5 });
        expectArraysClose(fused.hN, reference.hN, { atol: 1e-5 });
        expectArraysClose(fused.cN, reference.cN, { atol: 1e-5 });
        expectArraysClose(fused.loss, reference.loss, { atol: 1e-4 });
        fused.grads.forEach((g, i) => expectArraysClose(g, reference.grads[i]!, { atol: 1e-5 }));
      });
    }

    it('matmul (with and without bias) matches tf.matMul for every transpose combination', async () => {
      const rng = new SeededRandom(3);
      const a = randomUniform([13, 7], -1, 1, rng);
      const b = randomUniform([7, 11], -1, 1, rng);
      const bias = randomUniform([11], -1, 1, rng);
      const aT = tf.transpose(a);
      const bT = tf.transpose(b);
      const product = tf.matMul(a, b);
      const withBias = tf.add(product, bias);
      const expected = await product.data();
      const expectedWithBias = await withBias.data();
      const before = tf.memory().numTensors;
      for (const [x, y, tA, tB] of [
        [a, b, false, false],
        [aT, b, true, false],
        [a, bT, false, true],
        [aT, bT, true, true],
      ] as const) {
        const out = denseMatMul(x, y, tA, tB);
        const outBias = denseMatMul(x, y, tA, tB, bias);
        expect(out.shape).toEqual([13, 11]);
        expect(outBias.shape).toEqual([13, 11]);
        expectArraysClose(await out.data(), expected, { atol: 1e-5 });
        expectArraysClose(await outBias.data(), expectedWithBias, { atol: 1e-5 });
        tf.dispose([out, outBias]);
      }
      // A bias reshaped from 2-D keeps its stored 2-D shape on wasm (the fused matmul would reject it).
      const bias2d = tf.tensor2d(await bias.data(), [1, 11]);
      const reshapedBias = tf.reshape(bias2d, [11]);
      const outReshaped = denseMatMul(a, b, false, false, reshapedBias);
      expectArraysClose(await outReshaped.data(), expectedWithBias, { atol: 1e-5 });
      tf.dispose([outReshaped, reshapedBias, bias2d]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b, bias, aT, bT, product, withBias]);
    });

    it('weight-gradient products a^T b match tf.matMul through the fused kernels (blocks of rows, SIMD transposes) and XNNPACK', async () => {
      const rng = new SeededRandom(5);
      // k = 301: two blocks of rows, the last with a row outside the 4 x 4 transposes; n = 32: two panels.
      const a = randomUniform([301, 20], -1, 1, rng);
      const b = randomUniform([301, 32], -1, 1, rng);
      const expected = tf.matMul(a, b, true, false);
      const values = await expected.data();
      const before = tf.memory().numTensors;
      for (const fused of [true, false]) {
        setFusedStepsEnabled(fused);
        try {
          const out = denseMatMul(a, b, true, false);
          expect(out.shape).toEqual([20, 32]);
          expectArraysClose(await out.data(), values, { atol: 1e-4 });
          out.dispose();
        } finally {
          setFusedStepsEnabled(true);
        }
      }
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b, expected]);
    });

    it('column sums (bias gradients) match tf.sum over rows, in SIMD and in JS', async () => {
      const x = randomUniform([3001, 11], -1, 1, new SeededRandom(4)); // 8 columns in SIMD, 3 in the JS tail
      const expected = await tf.sum(x, 0).data();
      for (const simd of [true, false]) {
        setSimdGatesEnabled(simd);
        try {
          const sums = tf.engine().runKernel(COLUMN_SUMS, { x }) as tf.Tensor;
          expect(sums.shape).toEqual([11]);
          expectArraysClose(await sums.data(), expected, { atol: 1e-3 }); // 3001 terms of |x| < 1 in float32
          sums.dispose();
        } finally {
          setSimdGatesEnabled(true);
        }
      }
      x.dispose();
    });

    it('keeps packed weights while the weights live, and frees them once they are disposed', async () => {
      const be = wasmInternals(tf.backend());
      releasePackedWeights(be);
      const rng = new SeededRandom(11);
      const x = randomUniform([5, 3, 8], -1, 1, rng);
      const weights = (scale: number) => ({
        weightIh: randomUniform([64, 8], -scale, scale, rng),
        weightHh: randomUniform([64, 16], -scale, scale, rng),
        biasIh: randomUniform([64], -scale, scale, rng),
        biasHh: randomUniform([64], -scale, scale, rng),
      });
      const h0 = randomUniform([3, 16], -1, 1, rng);
      const c0 = randomUniform([3, 16], -1, 1, rng);
      const run = async (w: ReturnType<typeof weights>, implementation: 'fused' | 'reference') => {
        const out = recurrentSequence('lstm', x, w, h0, c0, { implementation });
        const values = await out.output.data();
        tf.dispose([out.output, out.hN, out.cN!]);
        return values;
      };
      const first = weights(0.3);
      const a = await run(first, 'fused');
      expect(packedWeightCount(be)).toBe(2); // W_hh in step panels, W_ih^T in column panels
      expect(await run(first, 'fused')).toEqual(a);
      expect(packedWeightCount(be)).toBe(2);
      expectArraysClose(a, await run(first, 'reference'), { atol: 1e-5 });
      tf.dispose(Object.values(first));
      const second = weights(0.5); // new tensors: the old packed copies must not be used
      expectArraysClose(await run(second, 'fused'), await run(second, 'reference'), { atol: 1e-5 });
      expect(packedWeightCount(be)).toBe(2); // the disposed weights' copies were freed
      releasePackedWeights(be);
      expect(packedWeightCount(be)).toBe(0);
      tf.dispose([x, h0, c0, ...Object.values(second)]);
    });

    it('leaks no tensors, heap blocks or heap growth over repeated training steps', async () => {
      const step = async () => {
        for (const cell of ['lstm', 'gru', 'rnn_tanh'] as const) {
          for (const dims of [DIMS, { ...DIMS, H: FUSED_HIDDEN }])
            await runRecurrence(dims, cell, true, 'fused', [7, 3, 1, 7, 5], true);
        }
      };
      await step(); // warm-up: XNNPACK and tfjs settle their own allocations
      const memory = (tf.backend() as unknown as { wasm: HeapModule }).wasm.HEAPU8.length;
      const before = tf.memory().numTensors;
      const live = await liveHeapBlocks(async () => {
        for (let i = 0; i < 5; i++) await step();
        releasePackedWeights(wasmInternals(tf.backend())); // kept on purpose while weights live
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(live).toBe(0);
      expect((tf.backend() as unknown as { wasm: HeapModule }).wasm.HEAPU8.length).toBe(memory);
    });
  },
  { backends: ['wasm'] },
);
