import { rnnGradRow, rnnRow } from '../cell_rows.js';
import type { TypedKernelFunc } from '../kernel_config.js';
import type { RNN_RECURRENCE, RNN_RECURRENCE_GRAD } from '../kernel_names.js';
import { fusedStepKernels, simdGates } from './simd_gates.js';
import { bpttBuffer, runBptt, type BpttSequence } from './wasm_bptt_steps.js';
import { runFusedSteps } from './wasm_fused_steps.js';
import { inputIndices, wasmInternals, withWorkspace } from './wasm_backend_access.js';
import {
  recurrenceDims,
  runXnnpackSteps,
  stepBuffer,
  stepWeights,
  type Info,
} from './wasm_recurrence_common.js';

// Elman RNN recurrence on the wasm heap (h' = act(xp + W_hh h)), same outputs as the JS kernel
// (cpu/rnn_recurrence.ts): y [T, B, H], hN [B, H]. With SIMD and H a multiple of 16, each step is one
// call of the fused `rnn_tanh_step` / `rnn_relu_step`. Otherwise per step one XNNPACK matmul, then
// the activation in place on the heap (tanh in SIMD where available, relu in JS). The backward
// pass runs on wasm_bptt_steps.ts where hidden is a multiple of 16, else its rows in SIMD for both
// activations and the step product in XNNPACK.

export const rnnRecurrenceWasm: TypedKernelFunc<typeof RNN_RECURRENCE> = ({ inputs, backend, attrs }) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const { xp, h0 } = inputs;
  const d = recurrenceDims(h0!, xp!.shape[0]! / Math.max(1, h0!.shape[0]!), attrs);
  const { time: T, batch: B, hidden: H } = d;
  const relu = attrs?.['activation'] === 'relu';
  return withWorkspace(be, (ws) => {
    const y = ws.output([T, B, H]);
    const hN = ws.output([B, H]);
    const h = ws.floats(B * H);
    const finish = (): Info[] => {
      be.wasm.HEAPF32.copyWithin(hN.at, h, h + B * H);
      return [y.info, hN.info];
    };
    // The buffers of a step's rows, as the SIMD kernels and the JS rows take them.
    const o = {
      xp: stepBuffer(at.xp!, H, 'step'),
      h: stepBuffer(h, H, 'batch'),
      y: stepBuffer(y.at, H, 'step'),
    };
    const fused = fusedStepKernels(be);
    const f = be.wasm.HEAPF32; // the states' initial values, and zeros where rows end early
    f.copyWithin(h, at.h0!, at.h0! + B * H);
    if (d.lengths.length > 0) f.fill(0, y.at, y.at + T * B * H);
    if (fused && H % 16 === 0) {
      const w = stepWeights(be, inputs['weightHh']!, at.weightHh!, 1, H, 4);
      runFusedSteps(be, ws, fused, d, {
        kernel: relu ? 'rnn_relu_step' : 'rnn_tanh_step',
        args: [{ at: w, size: H * H }, H / 16, H, 4 * H],
        h0: at.h0!,
        xp: at.xp!,
        xpWidth: H,
        y: y.at,
        fields: [o.h, o.y],
      });
      return finish();
    }
    // Relu rows run in JS.
    runXnnpackSteps(be, ws, d, { gates: 1, weightHh: at.weightHh!, h }, relu ? null : simdGates(be), {
      kernel: 'rnn_tanh_row',
      args: (rec, n4) => [o.xp, rec, o.h, o.y, 4 * H, n4],
      buffers: o,
      row: (rows, b, row, from) => rnnRow(rows, relu, H, b, row, from),
    });
    return finish();
  });
};

export const rnnRecurrenceGradWasm: TypedKernelFunc<typeof RNN_RECURRENCE_GRAD> = ({
  inputs,
  backend,
  attrs,
}) => {
  const be = wasmInternals(backend);
  const at = inputIndices(be, inputs);
  const { y, h0 } = inputs;
  const d = recurrenceDims(h0!, y!.shape[0]!, attrs);
  const { time: T, batch: B, hidden: H } = d;
  const relu = attrs?.['activation'] === 'relu';
  return withWorkspace(be, (ws) => {
    const dPre = ws.output([T * B, H]);
    const hPrev = ws.output([T * B, H]);
    const dh0 = ws.output([B, H]);
    const dh = ws.floats(B * H);
    const dStep = ws.floats(B * H);
    const f = be.wasm.HEAPF32;
    f.copyWithin(dh, at.dhN!, at.dhN! + B * H);
    f.fill(0, dStep, dStep + B * H); // rows of sequences not started yet (backwards) stay zero
    if (d.lengths.length > 0) {
      f.fill(0, dPre.at, dPre.at + T * B * H);
      f.fill(0, hPrev.at, hPrev.at + T * B * H);
    }
    const finish = (): Info[] => {
      be.wasm.HEAPF32.copyWithin(dh0.at, dh, dh + B * H);
      return [dPre.info, hPrev.info, dh0.info];
    };
    // The buffers of a step's rows, as the SIMD row kernels (rnn_*_grad_row) and the JS rows take them.
    const o = {
      h0: bpttBuffer(at.h0!, H, 'batch', 'read'),
      y: bpttBuffer(at.y!, H, 'step', 'read'),
      hPrev: bpttBuffer(hPrev.at, H, 'step', 'written'),
      dh: bpttBuffer(dh, H, 'batch', 'both'),
      dy: bpttBuffer(at.dy!, H, 'step', 'read'),
      dPre: bpttBuffer(dPre.at, H, 'step', 'written'),
      ds: bpttBuffer(dStep, H, 'batch', 'read'),
    };
    const seq: BpttSequence = {
      rowKernel: relu ? 'rnn_relu_grad_row' : 'rnn_tanh_grad_row',
      args: [
        o.y,
        { previous: o.y, initial: o.h0 },
        o.hPrev,
        o.dh,
        o.dy,
        o.dPre,
        o.ds,
        4 * H,
        H & ~3, // the SIMD kernel's share of each row (all of it for runBpttSteps: hidden % 16 = 0)
      ],
      product: { dg: o.ds, dh: o.dh, weightHh: at.weightHh!, k: H, accumulate: false },
    };
    runBptt(be, ws, d, seq, o, (rows, b, row, previous, from) =>
      rnnGradRow(rows, relu, H, b, row, previous, from),
    );
    return finish();
  });
};
