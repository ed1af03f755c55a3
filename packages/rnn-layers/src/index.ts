// Public API of @rnnkit/rnn-layers: Fused SimpleRNN, LSTM and GRU with PyTorch semantics, plus Embedding, Dense and a Keras-style Sequential.
// Recurrent layers with PyTorch torch.nn semantics (src/recurrent).
export { RecurrentLayer } from './recurrent/recurrent_layer.js';
export { SimpleRNN } from './recurrent/simple_rnn.js';
export { LSTM } from './recurrent/lstm.js';
export { GRU } from './recurrent/gru.js';
export { RecurrentStream } from './recurrent/recurrent_stream.js';
export { recurrentLayerFromConfig } from './recurrent/recurrent_layer_from_config.js';
export type {
  RecurrentLayerOptions,
  SimpleRNNOptions,
  RecurrentForwardOptions,
  RecurrentApplyOptions,
  RecurrentOutput,
  RecurrentLayerConfig,
  RecurrentClassName,
} from './recurrent/recurrent_options.js';

// Fused sequence ops (src/ops): one layer, one direction, whole sequence; tfjs-core style kernels.
export { lstmSequence } from './ops/lstm_sequence.js';
export { gruSequence } from './ops/gru_sequence.js';
export { rnnSequence } from './ops/rnn_sequence.js';
export type { RnnSequenceOptions } from './ops/rnn_sequence.js';
export { recurrentSequence } from './ops/recurrent_sequence.js';
export type { RecurrentSequenceOptions, RecurrenceImplementation } from './ops/recurrent_sequence.js';
export type {
  RecurrentWeights,
  SequenceLengths,
  SequenceOptions,
  SequenceResult,
} from './ops/sequence_types.js';
export type { CellKind } from './ops/cell_kind.js';
export { FusedRMSPropOptimizer, rmsprop } from './optimizers/fused_rmsprop.js';
// Threads of the wasm backend's fused recurrences and projections (Node.js).
export { setWasmThreads, wasmThreads } from './ops/wasm/wasm_helper_threads.js';

// Keras-style building blocks (src/keras): Embedding, Dense, Sequential, losses, metrics, clipping, save/load.
export { Sequential } from './keras/sequential.js';
export type {
  CompileOptions,
  FitOptions,
  FitCallbacks,
  EpochLogs,
  History,
  ModelData,
  SequentialOptions,
} from './keras/sequential.js';
export { EarlyStopping } from './keras/early_stopping.js';
export type { EarlyStoppingOptions, EarlyStoppingState } from './keras/early_stopping.js';
export { ModelCheckpoint } from './keras/model_checkpoint.js';
export type { ModelCheckpointOptions } from './keras/model_checkpoint.js';
export type { MonitorMode } from './keras/fit_callbacks.js';
export { Dense } from './keras/dense.js';
export { setMaxLayerParameters, getMaxLayerParameters } from './keras/parameter_budget.js';
export type { DenseOptions } from './keras/dense.js';
export { Dropout } from './keras/dropout.js';
export type { DropoutOptions } from './keras/dropout.js';
export { Embedding } from './keras/embedding.js';
export type { EmbeddingOptions } from './keras/embedding.js';
export { GlobalAveragePooling1D } from './keras/global_average_pooling_1d.js';
export type { Layer, LayerConfig, ApplyOptions, Shape } from './keras/layer.js';
export { realSteps } from './keras/real_steps.js';
export type { RealSteps } from './keras/real_steps.js';
export type { RecurrentLayerLike } from './keras/recurrent_adapter.js';
export { registerLayerClass } from './keras/layer_registry.js';
export type { LayerFactory } from './keras/layer_registry.js';
export type { ActivationName } from './keras/activations.js';
export {
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  meanSquaredError,
} from './keras/losses.js';
export type { LossFunction, LossName } from './keras/losses.js';
export { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy } from './keras/metrics.js';
export type { MetricFunction, MetricName } from './keras/metrics.js';
export { KerasAdam } from './optimizers/keras_adam.js';
export type { OptimizerName } from './optimizers/resolve_optimizer.js';
export { clipByGlobalNorm } from './keras/clip_by_global_norm.js';
export type { ClippedGradients } from './keras/clip_by_global_norm.js';
export type { ModelArtifacts, SequentialConfig } from './keras/model_artifacts.js';
