import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom, randomUniform } from '@rnnkit/tensor-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CellKind } from '../cell_kind.js';
import { denseMatMul } from '../dense_mat_mul.js';
import { runRecurrence, type RecurrenceRun } from '../../testing/recurrence_run.js';
import { registerRnnLayersKernels } from '../register_rnn_layers_kernels.js';
import {
  CallList,
  helperThreads,
  setMinParallelWork,
  setWasmThreads,
  wasmThreads,
} from './wasm_helper_threads.js';

// Recurrences and projections split across helper threads give the same bits as on one thread: each
// batch row runs the same kernel either way. Three threads, so that an odd batch is split in three
// uneven ranges; every call is split (no minimum of work).

const DIMS = { T: 8, B: 9, I: 3, H: 16 }; // T * B a multiple of 4: the weight gradients split too

async function onThreads<T>(split: boolean, run: () => Promise<T>): Promise<{ result: T; jobs: number }> {
  const pool = helperThreads()!;
  setMinParallelWork(split ? 0 : Infinity, 0);
  const jobs = pool.posted;
  try {
    return { result: await run(), jobs: pool.posted - jobs };
  } finally {
    setMinParallelWork();
  }
}

describeWithBackends(
  'wasm helper threads',
  () => {
    registerRnnLayersKernels();
    const threads = wasmThreads();

    beforeAll(async () => {
      setWasmThreads(3);
      await helperThreads()!.started();
    });
    afterAll(() => setWasmThreads(threads));

    it('have started on a shared memory', () => {
      expect(helperThreads()?.ready()).toHaveLength(2);
      expect(helperThreads()!.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    });

    const cases: Array<[CellKind, number[] | undefined, boolean, number]> = [
      ['lstm', undefined, false, 16],
      ['lstm', [7, 3, 1, 7, 5, 2, 6, 7, 4], true, 32],
      ['gru', [2, 7, 1, 6, 5, 7, 3, 4, 7], false, 16],
      ['gru', undefined, true, 32],
      ['rnn_tanh', [7, 3, 1, 7, 5, 2, 6, 7, 4], true, 16],
      ['rnn_relu', undefined, false, 32],
    ];
    for (const [cell, lengths, reverse, hidden] of cases) {
      it(`${cell}, hidden ${hidden}: the same bits on three threads as on one (lengths ${lengths ?? 'full'}, ${reverse ? 'reverse' : 'forward'})`, async () => {
        const dims = { ...DIMS, H: hidden };
        const before = tf.memory().numTensors;
        const run = () => runRecurrence(dims, cell, true, 'fused', lengths, reverse);
        const split = await onThreads(true, run);
        const single = await onThreads(false, run);
        expect(tf.memory().numTensors).toBe(before);
        // Six calls split, each posting a job to both helpers (dW_hh of the 16-row Elman weight to one):
        // forward and training forward (projection and recurrence each), BPTT and dW_hh = dGates^T hPrev.
        // x's gradient and dW_ih have 3 columns, which these kernels leave to XNNPACK.
        expect(split.jobs).toBeGreaterThanOrEqual(11);
        expect(single.jobs).toBe(0);
        expect(split.result).toEqual<RecurrenceRun>(single.result);
        const reference = await runRecurrence(dims, cell, true, 'reference', lengths, reverse);
        expectArraysClose(split.result.output, reference.output, { atol: 1e-5 });
        split.result.grads.forEach((g, i) => expectArraysClose(g, reference.grads[i]!, { atol: 1e-5 }));
      });
    }

    it('split projections (a W^T + bias, a W) match one thread and tf.matMul', async () => {
      const rng = new SeededRandom(8);
      const a = randomUniform([13, 7], -1, 1, rng);
      const w = randomUniform([32, 7], -1, 1, rng);
      const bias = randomUniform([32], -1, 1, rng);
      const expected = await tf.add(tf.matMul(a, w, false, true), bias).data();
      for (const withBias of [true, false]) {
        const product = async () => {
          const out = withBias ? denseMatMul(a, w, false, true, bias) : denseMatMul(a, w, false, true);
          const values = await out.data();
          out.dispose();
          return values;
        };
        const split = await onThreads(true, product);
        const single = await onThreads(false, product);
        expect(split.jobs).toBe(2);
        expect(split.result).toEqual(single.result);
        if (withBias) expectArraysClose(split.result, expected, { atol: 1e-5 });
      }
      tf.dispose([a, w, bias]);
    });

    it('split weight-gradient products (a^T b) match one thread and tf.matMul, over several blocks of k', async () => {
      const rng = new SeededRandom(9);
      for (const [k, splits] of [
        [300, true],
        [13, false],
      ] as const) {
        // k % 4 !== 0 stays on one thread
        const a = randomUniform([k, 20], -1, 1, rng);
        const b = randomUniform([k, 32], -1, 1, rng);
        const expected = await tf.matMul(a, b, true, false).data();
        const product = async () => {
          const out = denseMatMul(a, b, true, false);
          const values = await out.data();
          out.dispose();
          return values;
        };
        const split = await onThreads(true, product);
        const single = await onThreads(false, product);
        expect(split.jobs).toBe(splits ? 2 : 0); // out's 20 rows as 8 + 8 + 4
        expect(split.result).toEqual(single.result);
        expectArraysClose(split.result, expected, { atol: 1e-4 });
        tf.dispose([a, b]);
      }
    });

    it('split a call only where it does enough multiply-adds per float copied for the helpers', async () => {
      const rng = new SeededRandom(10);
      const posted = async (k: number, n: number) => {
        const a = randomUniform([96, k], -1, 1, rng);
        const w = randomUniform([k, n], -1, 1, rng);
        const pool = helperThreads()!;
        setMinParallelWork(0); // the default 24 multiply-adds per float copied still applies
        const before = pool.posted;
        try {
          tf.dispose(denseMatMul(a, w));
        } finally {
          setMinParallelWork();
          tf.dispose([a, w]);
        }
        return pool.posted - before;
      };
      // 96 rows, 64 of them on the helpers; the weight [k, n] is copied once.
      expect(await posted(4, 16)).toBe(0); // 6K multiply-adds for 1.4K floats copied (k + n per helper row)
      expect(await posted(64, 64)).toBe(2); // 393K for 12K
    });

    it('report a helper that failed, and take jobs again afterwards', async () => {
      const pool = helperThreads()!;
      const [helper] = pool.ready();
      pool.reset();
      const job = new CallList();
      const outside = pool.memory.buffer.byteLength + 4096;
      job.call('matmul_rows', [outside, 1, 0, 1, 1, 4, 64, 64]); // one row, from a table past the memory: the kernel traps
      pool.post(helper!, job);
      expect(() => pool.finish(helper!)).toThrow(/helper thread failed to run its kernels/);
      const again = await onThreads(true, () => runRecurrence(DIMS, 'gru', true, 'fused', undefined, false));
      expect(again.jobs).toBeGreaterThan(0);
      const single = await onThreads(false, () =>
        runRecurrence(DIMS, 'gru', true, 'fused', undefined, false),
      );
      expect(again.result).toEqual(single.result);
    });

    it('leak no tensors over repeated split training steps', async () => {
      const step = () =>
        onThreads(true, () =>
          runRecurrence({ ...DIMS, H: 32 }, 'lstm', true, 'fused', [7, 3, 1, 7, 5, 2, 6, 7, 4], true),
        );
      await step();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) await step();
      expect(tf.memory().numTensors).toBe(before);
    });

    it('setWasmThreads checks its count, and one thread starts no helpers', async () => {
      expect(() => setWasmThreads(0)).toThrow(/setWasmThreads: count must be an integer from 1 to 17, got 0/);
      expect(() => setWasmThreads(2.5)).toThrow(/count must be an integer/);
      setWasmThreads(1);
      try {
        expect(helperThreads()).toBeNull();
        const out = await runRecurrence(DIMS, 'lstm', true, 'fused', undefined, false);
        expect(out.output).toHaveLength(DIMS.T * DIMS.B * DIMS.H);
      } finally {
        setWasmThreads(3);
        await helperThreads()!.started();
      }
    });
  },
  { backends: ['wasm'] },
);

// A process of its own: Node.js options the helpers must not inherit, and an exit that must not wait for them.
const PROCESS_SCRIPT = `
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@rnnkit/tensor-core';
import { LSTM, setWasmThreads } from './src/index.js';
import { helperThreads, setMinParallelWork } from './src/ops/wasm/wasm_helper_threads.js';
await useBackend('wasm');
setWasmThreads(2);
const pool = helperThreads();
await pool.started();
setMinParallelWork(0, 0);
const { output } = new LSTM({ inputSize: 3, hiddenSize: 16, seed: 1 }).forward(tf.ones([5, 8, 3]));
await output.data();
console.log(JSON.stringify({ ready: pool.ready().length, posted: pool.posted }));
`;

describe('wasm helper threads in a Node.js process', () => {
  it('start under --input-type=module (no inherited options) and let the process exit', () => {
    const packageDir = fileURLToPath(new URL('../../..', import.meta.url));
    // execFileSync throws on a timeout: a helper keeping the process alive fails the test.
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', PROCESS_SCRIPT],
      {
        cwd: packageDir,
        encoding: 'utf8',
        timeout: 60_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // The projection and the recurrence, each split with the one helper.
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ ready: 1, posted: 2 });
  });
});
