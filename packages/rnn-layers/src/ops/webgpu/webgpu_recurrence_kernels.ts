/// <reference types="@webgpu/types" />
import type * as tf from '@tensorflow/tfjs-core';

import type { TypedKernelFunc } from '../kernel_config.js';
import type {
  GRU_RECURRENCE,
  GRU_RECURRENCE_GRAD,
  GruRecurrenceGradInputs,
  GruRecurrenceInputs,
  LSTM_RECURRENCE,
  LSTM_RECURRENCE_GRAD,
  LstmRecurrenceGradInputs,
  LstmRecurrenceInputs,
  RecurrenceAttrs,
  RNN_RECURRENCE,
  RNN_RECURRENCE_GRAD,
  RnnRecurrenceGradInputs,
  RnnRecurrenceInputs,
} from '../kernel_names.js';
import { passTiming } from './recurrence_pass_timing.js';
import { backwardShader, forwardShader, type WebGpuCell } from './recurrence_shaders.js';
import {
  allocate,
  bufferOf,
  commandEncoder,
  hostStorage,
  lengthsArray,
  stepPipeline,
  stepUniforms,
  type WebGpuBackendInternals,
} from './webgpu_backend_access.js';

const F32 = 4;
const TILE = 16;
type Info = tf.TensorInfo;

interface Dims {
  batch: number;
  hidden: number;
  time: number;
  lengths: number[];
  reverse: boolean;
}

/** One kernel function serves the three cells: their inputs, each present where its cell has it. */
type ForwardInputs = Partial<LstmRecurrenceInputs & GruRecurrenceInputs> & RnnRecurrenceInputs;
type BackwardInputs = Partial<LstmRecurrenceGradInputs & GruRecurrenceGradInputs> & RnnRecurrenceGradInputs;
type CellAttrs = RecurrenceAttrs & { activation?: 'tanh' | 'relu' };

function dimsOf(h0: Info, time: number, attrs: CellAttrs): Dims {
  const [batch, hidden] = h0.shape as [number, number];
  return { batch, hidden, time, lengths: attrs.lengths ?? [], reverse: Boolean(attrs.reverse) };
}

function cellOf(kind: 'lstm' | 'gru' | 'rnn', attrs: CellAttrs): WebGpuCell {
  if (kind !== 'rnn') return kind;
  return attrs.activation === 'relu' ? 'rnn_relu' : 'rnn_tanh';
}

/**
 * Records one compute pass with a dispatch per step, each with its own uniform block, on tfjs's
 * command encoder (after the copies already recorded there).
 */
function encodeSteps(
  be: WebGpuBackendInternals,
  encoder: GPUCommandEncoder,
  key: string,
  code: string,
  buffers: GPUBuffer[],
  writable: number,
  steps: number[],
  d: Dims,
): void {
  const access = buffers.map(
    (_, i) => (i < buffers.length - writable ? 'read' : 'read_write') as 'read' | 'read_write',
  );
  const { pipeline, layout } = stepPipeline(be.device, key, code, access);
  const uniforms = stepUniforms(
    be,
    steps.map((s) => Int32Array.of(s, d.batch, d.hidden, d.time, d.reverse ? 1 : 0, 0, 0, 0)),
  );
  const bindGroup = be.device.createBindGroup({
    layout,
    entries: [
      { binding: 0, resource: { buffer: uniforms.buffer, size: 32 } },
      ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
    ],
  });
  const timing = passTiming(be.device, key, steps.length);
  const pass = encoder.beginComputePass(timing ? { timestampWrites: timing.timestampWrites } : undefined);
  pass.setPipeline(pipeline);
  const x = Math.ceil(d.hidden / TILE);
  const y = Math.ceil(d.batch / TILE);
  steps.forEach((_, i) => {
    pass.setBindGroup(0, bindGroup, [i * uniforms.stride]);
    pass.dispatchWorkgroups(x, y);
  });
  pass.end();
  timing?.resolve(encoder);
}

/** The per-row lengths as an i32 buffer: the optional int32 input `lengths` (on the device), else attrs.lengths. */
function lengthsBuffer(be: WebGpuBackendInternals, lengths: Info | undefined, d: Dims): GPUBuffer {
  if (lengths) {
    if (lengths.dtype !== 'int32' || lengths.shape.length !== 1 || lengths.shape[0] !== d.batch) {
      throw new Error(
        `rnn-layers webgpu: lengths must be an int32 tensor of shape [${d.batch}], got ${lengths.dtype} [${lengths.shape.join(', ')}]`,
      );
    }
    return bufferOf(be, lengths);
  }
  return hostStorage(be, lengthsArray(d.lengths, d.batch, d.time));
}

/** Forward kernels. Outputs as the JS kernels, except the BPTT workspace layouts (see the shaders). */
function forwardKernel(
  kind: 'lstm' | 'gru' | 'rnn',
): TypedKernelFunc<typeof LSTM_RECURRENCE | typeof GRU_RECURRENCE | typeof RNN_RECURRENCE> {
  return ({ inputs, backend, attrs }) => {
    const be = backend as unknown as WebGpuBackendInternals;
    const { xp, weightHh, h0, c0, biasHh, lengths } = inputs as ForwardInputs;
    const d = dimsOf(h0, h0.shape[0] ? xp.shape[0]! / h0.shape[0] : 0, attrs);
    const cell = cellOf(kind, attrs);
    const { batch: B, hidden: H, time: T } = d;
    const bh = B * H * F32;

    const inputsUsed = [bufferOf(be, xp), bufferOf(be, weightHh)];
    if (kind === 'gru') {
      // A bias-free GRU still reads a bias vector: zeros.
      inputsUsed.push(biasHh ? bufferOf(be, biasHh) : hostStorage(be, new Float32Array(3 * H)));
    }
    inputsUsed.push(lengthsBuffer(be, lengths, d));
    const h0Buffer = bufferOf(be, h0);
    const c0Buffer = c0 ? bufferOf(be, c0) : undefined;
    const y = allocate(be, [T, B, H]);
    const hN = allocate(be, [B, H]);
    const outputs: Info[] = [y.info, hN.info];
    const buffers = [...inputsUsed, y.buffer];
    let state: { info: Info; buffer: GPUBuffer };
    let cN: { info: Info; buffer: GPUBuffer } | undefined;
    if (kind === 'lstm') {
      cN = allocate(be, [B, H]);
      const gates = allocate(be, [T * B, 4 * H]);
      const cells = allocate(be, [2 * T * B, H]);
      state = allocate(be, [4 * B * H]);
      buffers.push(gates.buffer, cells.buffer, state.buffer);
      outputs.push(cN.info, gates.info, cells.info);
    } else if (kind === 'gru') {
      const ws = allocate(be, [5 * T * B * H]);
      state = allocate(be, [2 * B * H]);
      buffers.push(ws.buffer, state.buffer);
      outputs.push(ws.info);
    } else {
      state = allocate(be, [2 * B * H]);
      buffers.push(state.buffer);
    }

    const encoder = commandEncoder(be);
    encoder.copyBufferToBuffer(h0Buffer, 0, state.buffer, 0, bh);
    if (cN) encoder.copyBufferToBuffer(c0Buffer!, 0, state.buffer, 2 * bh, bh);
    const writable = buffers.length - inputsUsed.length;
    encodeSteps(
      be,
      encoder,
      `rnnkit-${cell}-forward`,
      forwardShader(cell),
      buffers,
      writable,
      Array.from({ length: T }, (_, s) => s),
      d,
    );
    // Step T-1 wrote parity T & 1 of the ping-pong state.
    const last = (T & 1) * bh;
    encoder.copyBufferToBuffer(state.buffer, last, hN.buffer, 0, bh);
    if (cN) encoder.copyBufferToBuffer(state.buffer, 2 * bh + last, cN.buffer, 0, bh);
    be.disposeData(state.info.dataId); // released once the command buffer is submitted
    be.submitQueue();
    return outputs;
  };
}

/** BPTT kernels: the same outputs as the JS kernels (pre-activation gate gradients, h_{t-1}, dh0[, dc0]). */
function backwardKernel(
  kind: 'lstm' | 'gru' | 'rnn',
): TypedKernelFunc<typeof LSTM_RECURRENCE_GRAD | typeof GRU_RECURRENCE_GRAD | typeof RNN_RECURRENCE_GRAD> {
  return ({ inputs, backend, attrs }) => {
    const be = backend as unknown as WebGpuBackendInternals;
    const { dy, dhN, dcN, weightHh, y, gates, cells, workspace, h0, lengths } = inputs as BackwardInputs;
    const d = dimsOf(h0, dy.shape[0]!, attrs);
    const cell = cellOf(kind, attrs);
    const { batch: B, hidden: H, time: T } = d;
    const G = (kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1) * H;
    const bh = B * H * F32;
    const carry = 2 * B * G * F32;
    const tbh = T * bh;

    const buffers = [bufferOf(be, dy), bufferOf(be, weightHh), lengthsBuffer(be, lengths, d)];
    const dhNBuffer = bufferOf(be, dhN);
    const dh0 = allocate(be, [B, H]);
    const outputs: Info[] = [];
    let copyHPrevFrom: GPUBuffer | undefined;
    let hPrev: { info: Info; buffer: GPUBuffer };
    let dc0: { info: Info; buffer: GPUBuffer } | undefined;
    if (kind === 'lstm') {
      const dGates = allocate(be, [T * B, G]);
      hPrev = allocate(be, [T * B, H]);
      dc0 = allocate(be, [B, H]);
      const cellsBuffer = bufferOf(be, cells!);
      buffers.push(bufferOf(be, gates!), cellsBuffer, dGates.buffer);
      copyHPrevFrom = cellsBuffer;
      outputs.push(dGates.info, hPrev.info, dh0.info, dc0.info);
    } else if (kind === 'gru') {
      const dXp = allocate(be, [T * B, G]);
      const dHp = allocate(be, [T * B, G]);
      hPrev = allocate(be, [T * B, H]);
      const wsBuffer = bufferOf(be, workspace!);
      buffers.push(wsBuffer, dXp.buffer, dHp.buffer);
      copyHPrevFrom = wsBuffer;
      outputs.push(dXp.info, dHp.info, hPrev.info, dh0.info);
    } else {
      const dPre = allocate(be, [T * B, H]);
      hPrev = allocate(be, [T * B, H]);
      buffers.push(bufferOf(be, y), bufferOf(be, h0), dPre.buffer, hPrev.buffer);
      outputs.push(dPre.info, hPrev.info, dh0.info);
    }
    const work = allocate(be, [2 * B * G + 2 * B * H]);
    buffers.push(work.buffer);
    const writable = kind === 'lstm' ? 2 : 3;

    const encoder = commandEncoder(be);
    encoder.copyBufferToBuffer(dhNBuffer, 0, work.buffer, carry, bh);
    if (dc0) encoder.copyBufferToBuffer(bufferOf(be, dcN!), 0, work.buffer, carry + bh, bh);
    // LSTM and GRU forwards stored h_{t-1} per position after their other workspace.
    if (copyHPrevFrom)
      encoder.copyBufferToBuffer(copyHPrevFrom, kind === 'lstm' ? tbh : 4 * tbh, hPrev.buffer, 0, tbh);
    encodeSteps(
      be,
      encoder,
      `rnnkit-${cell}-backward`,
      backwardShader(cell),
      buffers,
      writable,
      Array.from({ length: T + 1 }, (_, i) => T - 1 - i),
      d,
    );
    encoder.copyBufferToBuffer(work.buffer, carry, dh0.buffer, 0, bh);
    if (dc0) encoder.copyBufferToBuffer(work.buffer, carry + bh, dc0.buffer, 0, bh);
    be.disposeData(work.info.dataId);
    be.submitQueue();
    return outputs;
  };
}

export const lstmRecurrenceWebGpu: TypedKernelFunc<typeof LSTM_RECURRENCE> = forwardKernel('lstm');
export const lstmRecurrenceGradWebGpu: TypedKernelFunc<typeof LSTM_RECURRENCE_GRAD> = backwardKernel('lstm');
export const gruRecurrenceWebGpu: TypedKernelFunc<typeof GRU_RECURRENCE> = forwardKernel('gru');
export const gruRecurrenceGradWebGpu: TypedKernelFunc<typeof GRU_RECURRENCE_GRAD> = backwardKernel('gru');
export const rnnRecurrenceWebGpu: TypedKernelFunc<typeof RNN_RECURRENCE> = forwardKernel('rnn');
export const rnnRecurrenceGradWebGpu: TypedKernelFunc<typeof RNN_RECURRENCE_GRAD> = backwardKernel('rnn');
