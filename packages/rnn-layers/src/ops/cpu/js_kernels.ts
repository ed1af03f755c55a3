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
import { recurrenceSteps, type RecurrenceSteps } from '../recurrence_steps.js';
import { denseMatMul } from './dense_matmul.js';
import { gatherRowsInto } from './gather_rows.js';
import { readHostInputs } from './host_inputs.js';
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

function read(backend: object, t: Info): Float32Array {
  const values = (backend as tf.KernelBackend).readSync(t.dataId);
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

function write(backend: object, values: Float32Array, shape: number[]): Info {
  return { dataId: (backend as tf.KernelBackend).write(values, shape, 'float32'), shape, dtype: 'float32' };
}

/** The steps of a recurrence whose h0 is [batch, hidden] and whose rows span `time` positions. */
function stepsOf(h0: Info, time: (batch: number) => number, attrs: RecurrenceAttrs): RecurrenceSteps {
  const [batch, hidden] = h0.shape as [number, number];
  return recurrenceSteps(time(batch), batch, hidden, attrs.lengths ?? [], Boolean(attrs.reverse));
}
/** Forward kernels: time from xp [time*batch, ·]. */
const forwardSteps = (xp: Info, h0: Info, attrs: RecurrenceAttrs): RecurrenceSteps =>
  stepsOf(h0, (batch) => (batch === 0 ? 0 : xp.shape[0]! / batch), attrs);
/** BPTT kernels: time from y [time, batch, hidden]. */
const backwardSteps = (y: Info, h0: Info, attrs: RecurrenceAttrs): RecurrenceSteps =>
  stepsOf(h0, () => y.shape[0]!, attrs);

const lstmRecurrence: TypedKernelFunc<typeof LSTM_RECURRENCE> = ({ inputs, backend, attrs }) => {
  const d = forwardSteps(inputs.xp, inputs.h0, attrs);
  const { time: T, batch: B, hidden: H } = d;
  const r = lstmForward(readHostInputs(backend, inputs), d);
  return [
    write(backend, r.y, [T, B, H]),
    write(backend, r.hN, [B, H]),
    write(backend, r.cN, [B, H]),
    write(backend, r.gates, [T * B, 4 * H]),
    write(backend, r.cells, [T * B, H]),
  ];
};

const lstmRecurrenceGrad: TypedKernelFunc<typeof LSTM_RECURRENCE_GRAD> = ({ inputs, backend, attrs }) => {
  const d = backwardSteps(inputs.y, inputs.h0, attrs);
  const { time: T, batch: B, hidden: H } = d;
  const r = lstmBackward(readHostInputs(backend, inputs), d);
  return [
    write(backend, r.dGates, [T * B, 4 * H]),
    write(backend, r.hPrev, [T * B, H]),
    write(backend, r.dh0, [B, H]),
    write(backend, r.dc0, [B, H]),
  ];
};

const gruRecurrence: TypedKernelFunc<typeof GRU_RECURRENCE> = ({ inputs, backend, attrs }) => {
  const d = forwardSteps(inputs.xp, inputs.h0, attrs);
  const { time: T, batch: B, hidden: H } = d;
  const r = gruForward(readHostInputs(backend, inputs), d);
  return [
    write(backend, r.y, [T, B, H]),
    write(backend, r.hN, [B, H]),
    write(backend, r.workspace, [T * B, 4 * H]),
  ];
};

const gruRecurrenceGrad: TypedKernelFunc<typeof GRU_RECURRENCE_GRAD> = ({ inputs, backend, attrs }) => {
  const d = backwardSteps(inputs.y, inputs.h0, attrs);
  const { time: T, batch: B, hidden: H } = d;
  const r = gruBackward(readHostInputs(backend, inputs), d);
  return [
    write(backend, r.dXp, [T * B, 3 * H]),
    write(backend, r.dHp, [T * B, 3 * H]),
    write(backend, r.hPrev, [T * B, H]),
    write(backend, r.dh0, [B, H]),
  ];
};

const rnnRecurrence: TypedKernelFunc<typeof RNN_RECURRENCE> = ({ inputs, backend, attrs }) => {
  const d = forwardSteps(inputs.xp, inputs.h0, attrs);
  const { time: T, batch: B, hidden: H } = d;
  const r = rnnForward(readHostInputs(backend, inputs), attrs.activation, d);
  return [write(backend, r.y, [T, B, H]), write(backend, r.hN, [B, H])];
};

const rnnRecurrenceGrad: TypedKernelFunc<typeof RNN_RECURRENCE_GRAD> = ({ inputs, backend, attrs }) => {
  const d = backwardSteps(inputs.y, inputs.h0, attrs);
  const { time: T, batch: B, hidden: H } = d;
  const r = rnnBackward(readHostInputs(backend, inputs), attrs.activation, d);
  return [
    write(backend, r.dPre, [T * B, H]),
    write(backend, r.hPrev, [T * B, H]),
    write(backend, r.dh0, [B, H]),
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
