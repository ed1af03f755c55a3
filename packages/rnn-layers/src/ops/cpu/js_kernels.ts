import type * as tf from '@tensorflow/tfjs-core';

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
  type RecurrenceAttrs,
} from '../kernel_names.js';
import { kernelConfig, type TypedKernelFunc } from '../kernel_config.js';
import { denseMatMul } from './dense_matmul.js';
import { gatherRowsInto } from './gather_rows.js';
import { gruBackward, gruForward } from './gru_recurrence.js';
import { lstmBackward, lstmForward } from './lstm_recurrence.js';
import { rnnBackward, rnnForward } from './rnn_recurrence.js';

/**
 * The plain-JS recurrences as tfjs kernels. They only use KernelBackend.readSync/write, so they serve
 * every backend whose data is host-readable synchronously: cpu (zero-copy) and wasm (one copy in and
 * out per sequence, while the big matmuls around them run in wasm). webgpu cannot readSync.
 */
export const JS_KERNEL_BACKENDS = ['cpu', 'wasm'] as const;
export type JsKernelBackend = (typeof JS_KERNEL_BACKENDS)[number];

type Info = tf.TensorInfo;

function read(backend: unknown, t: Info): Float32Array {
  const values = (backend as tf.KernelBackend).readSync(t.dataId);
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

function write(backend: unknown, values: Float32Array, shape: number[]): Info {
  return { dataId: (backend as tf.KernelBackend).write(values, shape, 'float32'), shape, dtype: 'float32' };
}

interface StepDims {
  time: number;
  batch: number;
  hidden: number;
  lengths: number[];
  reverse: boolean;
}

/** Forward kernels: time from xp [time*batch, ·] and h0 [batch, hidden]. */
function forwardDims(xp: Info, h0: Info, attrs: RecurrenceAttrs): StepDims {
  const [batch, hidden] = h0.shape as [number, number];
  const time = batch === 0 ? 0 : xp.shape[0]! / batch;
  return { time, batch, hidden, lengths: attrs.lengths ?? [], reverse: Boolean(attrs.reverse) };
}

/** BPTT kernels: time from y [time, batch, hidden]. */
function backwardDims(y: Info, h0: Info, attrs: RecurrenceAttrs): StepDims {
  const [batch, hidden] = h0.shape as [number, number];
  return { time: y.shape[0]!, batch, hidden, lengths: attrs.lengths ?? [], reverse: Boolean(attrs.reverse) };
}

const lstmRecurrence: TypedKernelFunc<typeof LSTM_RECURRENCE> = ({ inputs, backend, attrs }) => {
  const { xp, weightHh, h0, c0 } = inputs;
  const d = forwardDims(xp, h0, attrs);
  const { time, batch, hidden } = d;
  const r = lstmForward(
    read(backend, xp),
    read(backend, weightHh),
    read(backend, h0),
    read(backend, c0),
    time,
    batch,
    hidden,
    d.lengths,
    d.reverse,
  );
  return [
    write(backend, r.y, [time, batch, hidden]),
    write(backend, r.hN, [batch, hidden]),
    write(backend, r.cN, [batch, hidden]),
    write(backend, r.gates, [time * batch, 4 * hidden]),
    write(backend, r.cells, [time * batch, hidden]),
  ];
};

const lstmRecurrenceGrad: TypedKernelFunc<typeof LSTM_RECURRENCE_GRAD> = ({ inputs, backend, attrs }) => {
  const { dy, dhN, dcN, weightHh, y, gates, cells, h0, c0 } = inputs;
  const d = backwardDims(y, h0, attrs);
  const { time, batch, hidden } = d;
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
    d.lengths,
    d.reverse,
  );
  return [
    write(backend, r.dGates, [time * batch, 4 * hidden]),
    write(backend, r.hPrev, [time * batch, hidden]),
    write(backend, r.dh0, [batch, hidden]),
    write(backend, r.dc0, [batch, hidden]),
  ];
};

const gruRecurrence: TypedKernelFunc<typeof GRU_RECURRENCE> = ({ inputs, backend, attrs }) => {
  const { xp, weightHh, biasHh, h0 } = inputs;
  const d = forwardDims(xp, h0, attrs);
  const { time, batch, hidden } = d;
  const r = gruForward(
    read(backend, xp),
    read(backend, weightHh),
    biasHh ? read(backend, biasHh) : null,
    read(backend, h0),
    time,
    batch,
    hidden,
    d.lengths,
    d.reverse,
  );
  return [
    write(backend, r.y, [time, batch, hidden]),
    write(backend, r.hN, [batch, hidden]),
    write(backend, r.workspace, [time * batch, 4 * hidden]),
  ];
};

const gruRecurrenceGrad: TypedKernelFunc<typeof GRU_RECURRENCE_GRAD> = ({ inputs, backend, attrs }) => {
  const { dy, dhN, weightHh, y, workspace, h0 } = inputs;
  const d = backwardDims(y, h0, attrs);
  const { time, batch, hidden } = d;
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
    d.lengths,
    d.reverse,
  );
  return [
    write(backend, r.dXp, [time * batch, 3 * hidden]),
    write(backend, r.dHp, [time * batch, 3 * hidden]),
    write(backend, r.hPrev, [time * batch, hidden]),
    write(backend, r.dh0, [batch, hidden]),
  ];
};

const rnnRecurrence: TypedKernelFunc<typeof RNN_RECURRENCE> = ({ inputs, backend, attrs }) => {
  const { xp, weightHh, h0 } = inputs;
  const d = forwardDims(xp, h0, attrs);
  const { time, batch, hidden } = d;
  const r = rnnForward(
    read(backend, xp),
    read(backend, weightHh),
    read(backend, h0),
    attrs.activation,
    time,
    batch,
    hidden,
    d.lengths,
    d.reverse,
  );
  return [write(backend, r.y, [time, batch, hidden]), write(backend, r.hN, [batch, hidden])];
};

const rnnRecurrenceGrad: TypedKernelFunc<typeof RNN_RECURRENCE_GRAD> = ({ inputs, backend, attrs }) => {
  const { dy, dhN, weightHh, y, h0 } = inputs;
  const d = backwardDims(y, h0, attrs);
  const { time, batch, hidden } = d;
  const r = rnnBackward(
    read(backend, dy),
    read(backend, dhN),
    read(backend, weightHh),
    read(backend, y),
    read(backend, h0),
    attrs.activation,
    time,
    batch,
    hidden,
    d.lengths,
    d.reverse,
  );
  return [
    write(backend, r.dPre, [time * batch, hidden]),
    write(backend, r.hPrev, [time * batch, hidden]),
    write(backend, r.dh0, [batch, hidden]),
  ];
};

/**
 * The JS matmul pays on cpu (tfjs-backend-cpu's is ~3x slower) and on wasm too for the transposed
 * products of the gradients (measured: dW_hh 3200x512^T x 3200x128 in ~140 ms vs ~490 ms of CPU time).
 */
const denseMatMulKernel: TypedKernelFunc<typeof DENSE_MAT_MUL | typeof DENSE_LINEAR> = ({
  inputs,
  backend,
  attrs,
}) => {
  const { a, b } = inputs;
  const bias = 'bias' in inputs ? inputs.bias : undefined;
  const [aRows, aCols] = a.shape as [number, number];
  const [bRows, bCols] = b.shape as [number, number];
  const r = denseMatMul(
    read(backend, a),
    aRows,
    aCols,
    read(backend, b),
    bRows,
    bCols,
    Boolean(attrs.transposeA),
    Boolean(attrs.transposeB),
    bias ? read(backend, bias) : null,
  );
  return write(backend, r.values, [r.m, r.n]);
};

const gatherRows: TypedKernelFunc<typeof GATHER_ROWS> = ({ inputs, backend }) => {
  const { x, indices } = inputs;
  const [rows, width] = x.shape as [number, number];
  const count = indices.shape[0] ?? 0;
  const ids = (backend as tf.KernelBackend).readSync(indices.dataId);
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

/**
 * The plain-JS kernels for one backend whose data is host-readable synchronously (JS_KERNEL_BACKENDS):
 * cpu's kernels, and on wasm the fallbacks for what its own kernels do not cover.
 */
export function jsKernelConfigs(backendName: JsKernelBackend): tf.KernelConfig[] {
  return [
    kernelConfig(LSTM_RECURRENCE, backendName, lstmRecurrence),
    kernelConfig(LSTM_RECURRENCE_GRAD, backendName, lstmRecurrenceGrad),
    kernelConfig(GRU_RECURRENCE, backendName, gruRecurrence),
    kernelConfig(GRU_RECURRENCE_GRAD, backendName, gruRecurrenceGrad),
    kernelConfig(RNN_RECURRENCE, backendName, rnnRecurrence),
    kernelConfig(RNN_RECURRENCE_GRAD, backendName, rnnRecurrenceGrad),
    kernelConfig(DENSE_MAT_MUL, backendName, denseMatMulKernel),
    kernelConfig(DENSE_LINEAR, backendName, denseMatMulKernel),
    kernelConfig(GATHER_ROWS, backendName, gatherRows),
  ];
}
