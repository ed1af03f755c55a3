import type { TensorInfo } from '@tensorflow/tfjs-core';

// rnn-layers' kernels, tfjs-core style: a name, its typed inputs and attrs, and one KernelConfig per
// backend that has it (cpu/, wasm/, webgpu/), registered by register_rnn_layers_kernels.ts.

/** The webgpu recurrences also take the lengths as an int32 tensor [batch] left on the device. */
type DeviceLengths = { lengths?: TensorInfo };

/** Attrs of every recurrence, forward and BPTT. */
export type RecurrenceAttrs = {
  /** Per-sequence lengths; empty: every sequence is full length. */
  lengths: number[];
  reverse: boolean;
  /**
   * Forward kernels: false when no gradient is being recorded, and a kernel may then return the BPTT
   * workspace outputs with 0 rows (wasm's fused steps do). Default true.
   */
  workspace?: boolean;
};
export type RnnRecurrenceAttrs = RecurrenceAttrs & { activation: 'tanh' | 'relu' };

// Fused recurrences. Inputs: xp [time*batch, gates*hidden] (the input projection incl. the biases that
// can be folded in), weightHh [gates*hidden, hidden], h0 [batch, hidden], c0 (LSTM), biasHh (GRU only:
// it sits inside r*(...)). Outputs: y [time, batch, hidden], hN (, cN), then the BPTT workspace.
export const LSTM_RECURRENCE = 'RnnkitLSTMRecurrence';
export type LstmRecurrenceInputs = {
  xp: TensorInfo;
  weightHh: TensorInfo;
  h0: TensorInfo;
  c0: TensorInfo;
} & DeviceLengths;
export const GRU_RECURRENCE = 'RnnkitGRURecurrence';
export type GruRecurrenceInputs = {
  xp: TensorInfo;
  weightHh: TensorInfo;
  h0: TensorInfo;
  biasHh?: TensorInfo;
} & DeviceLengths;
export const RNN_RECURRENCE = 'RnnkitRNNRecurrence';
export type RnnRecurrenceInputs = { xp: TensorInfo; weightHh: TensorInfo; h0: TensorInfo } & DeviceLengths;

// Backward (BPTT) kernels: they return the per-step gate gradients and the previous hidden states, so
// the weight gradients become a few large matmuls outside the kernel.
export const LSTM_RECURRENCE_GRAD = 'RnnkitLSTMRecurrenceGrad';
export type LstmRecurrenceGradInputs = {
  dy: TensorInfo;
  dhN: TensorInfo;
  dcN: TensorInfo;
  weightHh: TensorInfo;
  y: TensorInfo;
  gates: TensorInfo;
  cells: TensorInfo;
  h0: TensorInfo;
  c0: TensorInfo;
} & DeviceLengths;
export const GRU_RECURRENCE_GRAD = 'RnnkitGRURecurrenceGrad';
export type GruRecurrenceGradInputs = {
  dy: TensorInfo;
  dhN: TensorInfo;
  weightHh: TensorInfo;
  y: TensorInfo;
  workspace: TensorInfo;
  h0: TensorInfo;
} & DeviceLengths;
export const RNN_RECURRENCE_GRAD = 'RnnkitRNNRecurrenceGrad';
export type RnnRecurrenceGradInputs = {
  dy: TensorInfo;
  dhN: TensorInfo;
  weightHh: TensorInfo;
  y: TensorInfo;
  h0: TensorInfo;
} & DeviceLengths;

// A plain 2-D matmul (as tf.matMul), for backends whose own is slow for these shapes (cpu, wasm).
export const DENSE_MAT_MUL = 'RnnkitDenseMatMul';
export type DenseMatMulInputs = { a: TensorInfo; b: TensorInfo };
export type DenseMatMulAttrs = { transposeA: boolean; transposeB: boolean };
// DENSE_MAT_MUL plus bias [n] added to every row (the input projection): saves a broadcasting add and,
// in the gradient, a tf.sum that transposes first on cpu.
export const DENSE_LINEAR = 'RnnkitDenseLinear';
export type DenseLinearInputs = DenseMatMulInputs & { bias: TensorInfo };

// One RMSprop step for one variable, fused (tfjs-core's rule, not centered); outputs the new value,
// meanSquare and moment. Where it is registered (webgpu) it replaces eleven small ops and their scalar uploads.
export const RMSPROP_UPDATE = 'RnnkitRMSPropUpdate';
export type RmspropUpdateInputs = {
  value: TensorInfo;
  gradient: TensorInfo;
  meanSquare: TensorInfo;
  moment: TensorInfo;
};
export type RmspropUpdateAttrs = { learningRate: number; decay: number; momentum: number; epsilon: number };
// One step of Keras's Adam for one variable, fused; outputs value, m and v.
export const KERAS_ADAM_UPDATE = 'RnnkitKerasAdamUpdate';
export type KerasAdamUpdateInputs = { value: TensorInfo; gradient: TensorInfo; m: TensorInfo; v: TensorInfo };
/** alpha: the bias-corrected step size, computed on the host. */
export type KerasAdamUpdateAttrs = { beta1: number; beta2: number; alpha: number; epsilon: number };

// Keras's binary cross-entropy on probabilities, fused: yTrue, yPred [rows, n] (float32), epsilon (the
// clip); output the loss per row [rows] (the mean over n). The gradient kernel takes the same inputs
// plus dy [rows] and returns dL/dyPred.
export const BINARY_CROSSENTROPY = 'RnnkitBinaryCrossentropy';
export type BinaryCrossentropyInputs = { yTrue: TensorInfo; yPred: TensorInfo };
export type BinaryCrossentropyAttrs = { epsilon: number };
export const BINARY_CROSSENTROPY_GRAD = 'RnnkitBinaryCrossentropyGrad';
export type BinaryCrossentropyGradInputs = BinaryCrossentropyInputs & { dy: TensorInfo };

// Inverted dropout with a mask drawn from a counter-based hash (dropout_hash.ts): base is the hashed
// key. Its gradient is the same kernel applied to dy.
export const DROPOUT = 'RnnkitDropout';
export type DropoutInputs = { x: TensorInfo };
export type DropoutAttrs = { rate: number; base: number };

// Column sums of a 2-D x [m, n] (a bias gradient): output [n]. Registered where the matmul with ones
// that stands in elsewhere is slow (wasm: XNNPACK repacks the whole matrix as weights at every call).
export const COLUMN_SUMS = 'RnnkitColumnSums';
export type ColumnSumsInputs = { x: TensorInfo };
// Rows of a 2-D float32 x [n, width] by int32 indices [m]: output [m, width]. A row copy where the
// backend's GatherV2 computes every element's source separately (cpu and wasm: ~30–60 ns per float).
export const GATHER_ROWS = 'RnnkitGatherRows';
export type GatherRowsInputs = { x: TensorInfo; indices: TensorInfo };

type NoAttrs = Record<string, never>;

/** Every rnn-layers kernel: its inputs, its attrs and whether it returns one tensor or several. */
export interface RnnLayersKernels {
  [LSTM_RECURRENCE]: { inputs: LstmRecurrenceInputs; attrs: RecurrenceAttrs; outputs: 'many' };
  [GRU_RECURRENCE]: { inputs: GruRecurrenceInputs; attrs: RecurrenceAttrs; outputs: 'many' };
  [RNN_RECURRENCE]: { inputs: RnnRecurrenceInputs; attrs: RnnRecurrenceAttrs; outputs: 'many' };
  [LSTM_RECURRENCE_GRAD]: { inputs: LstmRecurrenceGradInputs; attrs: RecurrenceAttrs; outputs: 'many' };
  [GRU_RECURRENCE_GRAD]: { inputs: GruRecurrenceGradInputs; attrs: RecurrenceAttrs; outputs: 'many' };
  [RNN_RECURRENCE_GRAD]: { inputs: RnnRecurrenceGradInputs; attrs: RnnRecurrenceAttrs; outputs: 'many' };
  [DENSE_MAT_MUL]: { inputs: DenseMatMulInputs; attrs: DenseMatMulAttrs; outputs: 'one' };
  [DENSE_LINEAR]: { inputs: DenseLinearInputs; attrs: DenseMatMulAttrs; outputs: 'one' };
  [RMSPROP_UPDATE]: { inputs: RmspropUpdateInputs; attrs: RmspropUpdateAttrs; outputs: 'many' };
  [KERAS_ADAM_UPDATE]: { inputs: KerasAdamUpdateInputs; attrs: KerasAdamUpdateAttrs; outputs: 'many' };
  [BINARY_CROSSENTROPY]: { inputs: BinaryCrossentropyInputs; attrs: BinaryCrossentropyAttrs; outputs: 'one' };
  [BINARY_CROSSENTROPY_GRAD]: {
    inputs: BinaryCrossentropyGradInputs;
    attrs: BinaryCrossentropyAttrs;
    outputs: 'one';
  };
  [DROPOUT]: { inputs: DropoutInputs; attrs: DropoutAttrs; outputs: 'one' };
  [COLUMN_SUMS]: { inputs: ColumnSumsInputs; attrs: NoAttrs; outputs: 'one' };
  [GATHER_ROWS]: { inputs: GatherRowsInputs; attrs: NoAttrs; outputs: 'one' };
}
