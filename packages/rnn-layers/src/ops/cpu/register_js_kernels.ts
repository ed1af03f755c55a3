import * as tf from '@tensorflow/tfjs-core';

import {
  DENSE_LINEAR,
  GATHER_ROWS,
  DENSE_MAT_MUL,
  GRU_RECURRENCE,
  GRU_RECURRENCE_GRAD,
  LSTM_RECURRENCE,
  LSTM_RECURRENCE_GRAD,
  RNN_RECURRENCE,
  RNN_RECURRENCE_GRAD,
} from '../kernel_names.js';
import { denseMatMul } from './dense_matmul.js';
import { gatherRowsInto } from './gather_rows.js';
import { gruBackward, gruForward } from './gru_recurrence.js';
import { lstmBackward, lstmForward } from './lstm_recurrence.js';
import { rnnBackward, rnnForward, type RnnActivation } from './rnn_recurrence.js';

/**
 * The plain-JS recurrences as tfjs kernels. They only use KernelBackend.readSync/write, so they serve
 * every backend whose data is host-readable synchronously: cpu (zero-copy) and wasm (one copy in and
 * out per sequence, while the big matmuls around them run in wasm). webgpu cannot readSync.
 */
export const JS_KERNEL_BACKENDS = ['cpu', 'wasm'] as const;

type Info = tf.TensorInfo;

function read(backend: unknown, t: Info | undefined): Float32Array {
  const values = (backend as tf.KernelBackend).readSync(t!.dataId);
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

function write(backend: unknown, values: Float32Array, shape: number[]): Info {
  return { dataId: (backend as tf.KernelBackend).write(values, shape, 'float32'), shape, dtype: 'float32' };
}

function dims(xp: Info, h0: Info): { time: number; batch: number; hidden: number } {
  const batch = h0.shape[0]!;
  const hidden = h0.shape[1]!;
  return { time: batch === 0 ? 0 : xp.shape[0]! / batch, batch, hidden };
}

function attrsOf(attrs: tf.NamedAttrMap): { lengths: number[]; reverse: boolean } {
  return { lengths: (attrs['lengths'] as number[] | undefined) ?? [], reverse: Boolean(attrs['reverse']) };
}

const kernels: Array<{ kernelName: string; kernelFunc: tf.KernelFunc }> = [
  {
    kernelName: LSTM_RECURRENCE,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { xp, weightHh, h0, c0 } = inputs as Record<string, Info>;
      const { time, batch, hidden } = dims(xp!, h0!);
      const { lengths, reverse } = attrsOf(attrs!);
      const r = lstmForward(
        read(backend, xp),
        read(backend, weightHh),
        read(backend, h0),
        read(backend, c0),
        time,
        batch,
        hidden,
        lengths,
        reverse,
      );
      return [
        write(backend, r.y, [time, batch, hidden]),
        write(backend, r.hN, [batch, hidden]),
        write(backend, r.cN, [batch, hidden]),
        write(backend, r.gates, [time * batch, 4 * hidden]),
        write(backend, r.cells, [time * batch, hidden]),
      ];
    },
  },
  {
    kernelName: LSTM_RECURRENCE_GRAD,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, dhN, dcN, weightHh, y, gates, cells, h0, c0 } = inputs as Record<string, Info>;
      const batch = h0!.shape[0]!;
      const hidden = h0!.shape[1]!;
      const time = y!.shape[0]!;
      const { lengths, reverse } = attrsOf(attrs!);
      const r = lstmBackward(
        read(backend, dy),
        read(backend, dhN),
        read(backend, dcN),
        read(backend, weightHh),
        read(backend, y),
        read(backend, gates),
        read(backend, cells),
        read(backend, h0),
        read(backend, c0),
        time,
        batch,
        hidden,
        lengths,
        reverse,
      );
      return [
        write(backend, r.dGates, [time * batch, 4 * hidden]),
        write(backend, r.hPrev, [time * batch, hidden]),
        write(backend, r.dh0, [batch, hidden]),
        write(backend, r.dc0, [batch, hidden]),
      ];
    },
  },
  {
    kernelName: GRU_RECURRENCE,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { xp, weightHh, biasHh, h0 } = inputs as Record<string, Info>;
      const { time, batch, hidden } = dims(xp!, h0!);
      const { lengths, reverse } = attrsOf(attrs!);
      const r = gruForward(
        read(backend, xp),
        read(backend, weightHh),
        biasHh ? read(backend, biasHh) : null,
        read(backend, h0),
        time,
        batch,
        hidden,
        lengths,
        reverse,
      );
      return [
        write(backend, r.y, [time, batch, hidden]),
        write(backend, r.hN, [batch, hidden]),
        write(backend, r.workspace, [time * batch, 4 * hidden]),
      ];
    },
  },
  {
    kernelName: GRU_RECURRENCE_GRAD,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, dhN, weightHh, y, workspace, h0 } = inputs as Record<string, Info>;
      const batch = h0!.shape[0]!;
      const hidden = h0!.shape[1]!;
      const time = y!.shape[0]!;
      const { lengths, reverse } = attrsOf(attrs!);
      const r = gruBackward(
        read(backend, dy),
        read(backend, dhN),
        read(backend, weightHh),
        read(backend, y),
        read(backend, workspace),
        read(backend, h0),
        time,
        batch,
        hidden,
        lengths,
        reverse,
      );
      return [
        write(backend, r.dXp, [time * batch, 3 * hidden]),
        write(backend, r.dHp, [time * batch, 3 * hidden]),
        write(backend, r.hPrev, [time * batch, hidden]),
        write(backend, r.dh0, [batch, hidden]),
      ];
    },
  },
  {
    kernelName: RNN_RECURRENCE,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { xp, weightHh, h0 } = inputs as Record<string, Info>;
      const { time, batch, hidden } = dims(xp!, h0!);
      const { lengths, reverse } = attrsOf(attrs!);
      const activation = attrs!['activation'] as RnnActivation;
      const r = rnnForward(
        read(backend, xp),
        read(backend, weightHh),
        read(backend, h0),
        activation,
        time,
        batch,
        hidden,
        lengths,
        reverse,
      );
      return [write(backend, r.y, [time, batch, hidden]), write(backend, r.hN, [batch, hidden])];
    },
  },
  {
    kernelName: RNN_RECURRENCE_GRAD,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, dhN, weightHh, y, h0 } = inputs as Record<string, Info>;
      const batch = h0!.shape[0]!;
      const hidden = h0!.shape[1]!;
      const time = y!.shape[0]!;
      const { lengths, reverse } = attrsOf(attrs!);
      const activation = attrs!['activation'] as RnnActivation;
      const r = rnnBackward(
        read(backend, dy),
        read(backend, dhN),
        read(backend, weightHh),
        read(backend, y),
        read(backend, h0),
        activation,
        time,
        batch,
        hidden,
        lengths,
        reverse,
      );
      return [
        write(backend, r.dPre, [time * batch, hidden]),
        write(backend, r.hPrev, [time * batch, hidden]),
        write(backend, r.dh0, [batch, hidden]),
      ];
    },
  },
];

/**
 * The JS matmul pays on cpu (tfjs-backend-cpu's is ~3x slower) and on wasm too for the transposed
 * products of the gradients (measured: dW_hh 3200x512^T x 3200x128 in ~140 ms vs ~490 ms of CPU time).
 */
const denseMatMulKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { a, b, bias } = inputs as Record<string, Info>;
  const r = denseMatMul(
    read(backend, a),
    a!.shape[0]!,
    a!.shape[1]!,
    read(backend, b),
    b!.shape[0]!,
    b!.shape[1]!,
    Boolean(attrs!['transposeA']),
    Boolean(attrs!['transposeB']),
    bias ? read(backend, bias) : null,
  );
  return write(backend, r.values, [r.m, r.n]);
};

let registered = false;

/** Registers the JS recurrences and the JS matmul for cpu and wasm (idempotent). */
const gatherRowsKernel: tf.KernelFunc = ({ inputs, backend }) => {
  const { x, indices } = inputs as Record<string, Info>;
  const [rows, width] = x!.shape as [number, number];
  const count = indices!.shape[0]!;
  const ids = (backend as tf.KernelBackend).readSync(indices!.dataId);
  const out = new Float32Array(count * width);
  gatherRowsInto(
    read(backend, x),
    0,
    rows,
    width,
    ids instanceof Int32Array ? ids : Int32Array.from(ids as ArrayLike<number>),
    0,
    count,
    out,
    0,
  );
  return write(backend, out, [count, width]);
};

export function registerJsRecurrenceKernels(): void {
  if (registered) return;
  for (const backendName of JS_KERNEL_BACKENDS) {
    for (const { kernelName, kernelFunc } of kernels) {
      if (tf.getKernel(kernelName, backendName) === undefined)
        tf.registerKernel({ kernelName, backendName, kernelFunc });
    }
  }
  for (const backendName of JS_KERNEL_BACKENDS) {
    for (const kernelName of [DENSE_MAT_MUL, DENSE_LINEAR]) {
      if (tf.getKernel(kernelName, backendName) === undefined)
        tf.registerKernel({ kernelName, backendName, kernelFunc: denseMatMulKernel });
    }
    if (tf.getKernel(GATHER_ROWS, backendName) === undefined)
      tf.registerKernel({ kernelName: GATHER_ROWS, backendName, kernelFunc: gatherRowsKernel });
  }
  registered = true;
}
