// Kernel names of the fused recurrences, registered per backend like tfjs-core's kernels.
// Forward inputs: xp [time*batch, gates*hidden] (input projection incl. biases that can be folded in),
// weightHh [gates*hidden, hidden], h0 [batch, hidden], c0 (LSTM), biasHh (GRU only: it sits inside r*(...)).
// Attrs: lengths (number[]; empty = every sequence is full length), reverse (boolean), and on the
// forward kernels workspace (boolean, default true): false when no gradient is being recorded, and a
// kernel may then return the BPTT workspace outputs with 0 rows (wasm's fused steps do). The webgpu
// kernels (forward and BPTT) also take an optional int32 input `lengths` [batch], lengths left on the device.
export const LSTM_RECURRENCE = 'RnnkitLSTMRecurrence';
export const GRU_RECURRENCE = 'RnnkitGRURecurrence';
export const RNN_RECURRENCE = 'RnnkitRNNRecurrence'; // attr activation: 'tanh' | 'relu'
// Backward (BPTT) kernels: they return the per-step gate gradients and the previous hidden states, so
// the weight gradients become a few large matmuls outside the kernel.
export const LSTM_RECURRENCE_GRAD = 'RnnkitLSTMRecurrenceGrad';
export const GRU_RECURRENCE_GRAD = 'RnnkitGRURecurrenceGrad';
export const RNN_RECURRENCE_GRAD = 'RnnkitRNNRecurrenceGrad';
// A plain 2-D matmul: inputs a, b; attrs transposeA, transposeB (as tf.matMul), for backends whose own
// is slow for these shapes (cpu, wasm).
export const DENSE_MAT_MUL = 'RnnkitDenseMatMul';
// DENSE_MAT_MUL plus inputs.bias [n] added to every row (the input projection): saves a broadcasting
// add and, in the gradient, a tf.sum that transposes first on cpu.
export const DENSE_LINEAR = 'RnnkitDenseLinear';
// One RMSprop step for one variable, fused (tfjs-core's rule, not centered): inputs value, gradient,
// meanSquare, moment; attrs learningRate, decay, momentum, epsilon; outputs the new value, meanSquare
// and moment. Where it is registered (webgpu) it replaces eleven small ops and their scalar uploads.
export const RMSPROP_UPDATE = 'RnnkitRMSPropUpdate';
// Keras's binary cross-entropy on probabilities, fused: inputs yTrue, yPred [rows, n] (float32), attr
// epsilon (the clip); output the loss per row [rows] (the mean over n). The gradient kernel takes the
// same inputs plus dy [rows] and returns dL/dyPred.
export const BINARY_CROSSENTROPY = 'RnnkitBinaryCrossentropy';
export const BINARY_CROSSENTROPY_GRAD = 'RnnkitBinaryCrossentropyGrad';
// One step of Keras's Adam for one variable, fused: inputs value, gradient, m, v; attrs beta1, beta2,
// alpha (the bias-corrected step size, computed on the host), epsilon; outputs value, m and v.
export const KERAS_ADAM_UPDATE = 'RnnkitKerasAdamUpdate';
// Inverted dropout with a mask drawn from a counter-based hash (dropout_hash.ts): input x; attrs
// rate and base (the hashed key). Its gradient is the same kernel applied to dy.
export const DROPOUT = 'RnnkitDropout';
// Column sums of a 2-D x [m, n] (a bias gradient): output [n]. Registered where the matmul with ones
// that stands in elsewhere is slow (wasm: XNNPACK repacks the whole matrix as weights at every call).
export const COLUMN_SUMS = 'RnnkitColumnSums';
// Rows of a 2-D float32 x [n, width] by int32 indices [m]: output [m, width]. A row copy where the
// backend's GatherV2 computes every element's source separately (cpu and wasm: ~30–60 ns per float).
export const GATHER_ROWS = 'RnnkitGatherRows';
