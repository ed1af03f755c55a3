import * as tf from '@tensorflow/tfjs-core';
import { bucketByLength, checkOptions, optionKeys, SeededRandom } from '@rnnkit/tensor-core';
import { previewValue } from '@rnnkit/tensor-core/internal';

import { clipByGlobalNorm } from './clip_by_global_norm.js';
import { Embedding } from './embedding.js';
import { arrayToTensor, HostSamples } from './model_data.js';
import { snakeCase, type Layer, type Shape } from './layer.js';
import { resolveLoss, type LossFunction, type LossName } from './losses.js';
import { resolveMetric, type MetricFunction, type MetricName } from './metrics.js';
import { isOptimizer, resolveOptimizer, type OptimizerName } from '../optimizers/resolve_optimizer.js';
import { modelFromArtifacts, modelToArtifacts, type ModelArtifacts } from './model_artifacts.js';
import { isRecurrentLayerLike, RecurrentAdapter, type RecurrentLayerLike } from './recurrent_adapter.js';
import { meanLoss } from './mean_loss.js';
import { realSteps, realStepsProblem, type RealSteps } from './real_steps.js';
import { loadModel, saveModel } from './save_model.js';
import type { FitCallbacks } from './fit_callbacks.js';
import { createFitProgress, type EpochLogs } from './fit_progress.js';

export type { FitCallbacks } from './fit_callbacks.js';
export type { EpochLogs } from './fit_progress.js';

/** Model inputs and targets: a tensor or nested arrays of numbers (first axis = samples). */
export type ModelData = tf.Tensor | number[] | number[][] | number[][][] | Int32Array | Float32Array;

export interface CompileOptions {
  optimizer: OptimizerName | tf.Optimizer;
  loss: LossName | LossFunction;
  metrics?: MetricName[];
  /** Clip gradients to this global L2 norm before each update (Keras's `global_clipnorm`). */
  clipNorm?: number;
}

export interface FitOptions {
  /** Default 1. Like Keras, the index of the last epoch: with `initialEpoch` it is not a count of epochs to run. */
  epochs?: number;
  /**
   * Epoch to start at (Keras's `initial_epoch`, default 0), to resume an interrupted run: the shuffle
   * generator is advanced through the skipped epochs, so with the same `seed` the remaining epochs see
   * the same batches as in an uninterrupted run. Restore the weights and optimizer state first.
   */
  initialEpoch?: number;
  /** Default 32. */
  batchSize?: number;
  /** Fraction of the samples held out for validation: the LAST ones, taken before shuffling (as Keras). */
  validationSplit?: number;
  validationData?: [ModelData, ModelData];
  /** Shuffle the training samples every epoch (default true). */
  shuffle?: boolean;
  /** Seed for the shuffles (default random). */
  seed?: number;
  /**
   * Batches of sequences of similar length (default false), for token ids padded with 0 into a first
   * `Embedding({maskZero: true})`: each epoch the shuffled samples are sorted by length in pools of
   * `BUCKET_POOL_BATCHES` batches, cut into batches, and the batches shuffled (OpenNMT's and
   * torchtext's bucketing). Every batch is cut to its longest sequence, so far fewer padding steps are run.
   */
  bucketByLength?: boolean;
  callbacks?: FitCallbacks | FitCallbacks[];
  /** Shorthand for `callbacks: {onEpochEnd}`. */
  onEpochEnd?: FitCallbacks['onEpochEnd'];
  /**
   * 0 silent; 1 (default) a Keras-style progress bar per epoch (on stderr when it is a terminal, else plain
   * lines every ~10 s) and a line per epoch; 2 one line per epoch.
   */
  verbose?: 0 | 1 | 2;
  /** Where lines go when verbose (default stderr in Node, the console in browsers); given, no bar is drawn. */
  log?: (line: string) => void;
  /**
   * Stop with an error once the training loss is NaN or infinite (Keras's `TerminateOnNaN`); default true.
   * The loss is read when the progress display redraws and at each epoch's end, not after every batch.
   */
  terminateOnNaN?: boolean;
}

const FIT_OPTIONS = optionKeys<FitOptions>({
  epochs: true,
  initialEpoch: true,
  batchSize: true,
  validationSplit: true,
  validationData: true,
  shuffle: true,
  seed: true,
  bucketByLength: true,
  callbacks: true,
  onEpochEnd: true,
  verbose: true,
  log: true,
  terminateOnNaN: true,
});
const COMPILE_OPTIONS = optionKeys<CompileOptions>({
  optimizer: true,
  loss: true,
  metrics: true,
  clipNorm: true,
});
const BATCH_SIZE_OPTIONS = optionKeys<{ batchSize?: number }>({ batchSize: true });
const SEQUENTIAL_OPTIONS = optionKeys<SequentialOptions>({ name: true });
const MODEL_APPLY_OPTIONS = optionKeys<{ training?: boolean; realSteps?: RealSteps }>({
  training: true,
  realSteps: true,
});

/** What `fit` returns, shaped like Keras's History: `history.history.loss[epoch]`. */
export interface History {
  epoch: number[];
  history: Record<string, number[]>;
  params: { epochs: number; batchSize: number; samples: number; validationSamples: number };
}

export interface SequentialOptions {
  name?: string;
}

interface Compiled {
  optimizer: tf.Optimizer;
  ownsOptimizer: boolean;
  loss: LossFunction;
  lossName: LossName | 'custom';
  metricNames: MetricName[];
  metrics: MetricFunction[];
  clipNorm?: number;
  optimizerName: OptimizerName | 'custom';
}

/** With `bucketByLength`, how many batches' worth of shuffled samples are sorted by length together. */
export const BUCKET_POOL_BATCHES = 100;

/**
 * The batches of one epoch, as sample indices: shuffled (or in order), cut every `batchSize`; with
 * `lengths`, batched by length (tensor-core's bucketByLength). Draws the same random numbers for the
 * same arguments, so that a resumed fit can replay the epochs it skips.
 */
function epochBatches(
  rng: SeededRandom,
  count: number,
  batchSize: number,
  shuffle: boolean,
  lengths: Int32Array | null,
): number[][] {
  if (lengths !== null)
    return bucketByLength(lengths, { batchSize, poolSize: BUCKET_POOL_BATCHES, shuffle, seed: rng });
  const order = Array.from({ length: count }, (_, i) => i);
  if (shuffle) rng.shuffle(order);
  const batches: number[][] = [];
  for (let start = 0; start < count; start += batchSize) batches.push(order.slice(start, start + batchSize));
  return batches;
}

function checkCount(what: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`${what} must be an integer >= ${min}, got ${previewValue(value)}`);
  }
  return value;
}

/** Gives `y` the prediction's rank: Keras accepts labels `[n]` for outputs `[n, 1]`. */
function alignTarget(y: tf.Tensor, pred: tf.Tensor, sparse: boolean): tf.Tensor {
  if (!sparse && y.rank === pred.rank - 1) return tf.expandDims(y, -1);
  return y;
}

/** The number in a scalar's `data()`; `what` names it in the error. */
function scalarValue(data: ArrayLike<number> | undefined, what: string): number {
  const value = data?.[0];
  if (value === undefined) throw new Error(`Sequential: no value was read back for '${what}'`);
  return value;
}

/** Running sums of [loss, metrics…] plus one batch's: both lists hold one scalar per key. */
function addEach(sums: tf.Tensor[], parts: tf.Tensor[]): tf.Tensor[] {
  if (parts.length !== sums.length)
    throw new Error(`Sequential: a batch gave ${parts.length} sums for ${sums.length} loss and metric keys`);
  return sums.map((sum, k) => {
    const part = parts[k];
    if (part === undefined) throw new Error(`Sequential: a batch gave no sum for key ${k}`);
    return tf.add(sum, part);
  });
}

/**
 * A stack of layers with Keras's `compile`/`fit`/`evaluate`/`predict`:
 *
 *     const model = new Sequential([new Embedding({inputDim: 10000, outputDim: 32}),
 *       new SimpleRNN({hiddenSize: 32}), new Dense({units: 1, activation: 'sigmoid'})]);
 *     model.compile({optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['acc']});
 *     const history = await model.fit(x, y, {epochs: 10, batchSize: 128, validationSplit: 0.2});
 */
export class Sequential {
  readonly name: string;
  /** Set to true (from a callback) to stop `fit` after the current epoch, like Keras's `stop_training`. */
  stopTraining = false;
  private readonly layerList: Layer[] = [];
  private compiled: Compiled | null = null;
  private builtInputShape: Shape | null = null;
  private disposed = false;

  constructor(layers: Array<Layer | RecurrentLayerLike> = [], given?: SequentialOptions) {
    if (!Array.isArray(layers)) throw new Error('Sequential: layers must be an array of layers');
    const options = checkOptions('Sequential', given, SEQUENTIAL_OPTIONS);
    this.name = options.name ?? 'sequential';
    layers.forEach((layer, i) => this.addAt(layer, `Sequential: layers[${i}]`));
  }

  /** Appends a layer (Keras's `model.add`). */
  add(layer: Layer | RecurrentLayerLike): void {
    this.addAt(layer, 'Sequential.add: layer');
  }

  private addAt(layer: Layer | RecurrentLayerLike, where: string): void {
    this.checkAlive('add');
    let wrapped: Layer;
    if (
      layer instanceof Object &&
      'setWeights' in layer &&
      'namedWeights' in layer &&
      'computeOutputShape' in layer
    ) {
      wrapped = layer as Layer;
    } else if (isRecurrentLayerLike(layer)) {
      wrapped = new RecurrentAdapter(layer);
    } else {
      throw new Error(
        `${where} is not a layer (expected Dense, Embedding, SimpleRNN, LSTM, GRU, … ), got ${Object.prototype.toString.call(layer)}`,
      );
    }
    if (
      this.layerList.some(
        (l) =>
          l === wrapped ||
          (wrapped instanceof RecurrentAdapter && l instanceof RecurrentAdapter && l.layer === wrapped.layer),
      )
    ) {
      throw new Error(`${where} is already in this model`);
    }
    if (wrapped.name === '') {
      const base = snakeCase(wrapped.className);
      let name = base;
      for (let k = 1; this.layerList.some((l) => l.name === name); k++) name = `${base}_${k}`;
      wrapped.name = name;
    } else if (this.layerList.some((l) => l.name === wrapped.name)) {
      throw new Error(`${where}.name '${wrapped.name}' is already used by another layer of this model`);
    }
    this.layerList.push(wrapped);
    this.builtInputShape = null;
  }

  /** The layers, in order (recurrent layers wrapped in their adapter). */
  get layers(): readonly Layer[] {
    return this.layerList;
  }

  get built(): boolean {
    return this.builtInputShape !== null;
  }

  /** Builds every layer for inputs of this shape (batch dimension may be null), like Keras's `build`. */
  build(inputShape: Shape): void {
    this.checkAlive('build');
    if (this.layerList.length === 0) throw new Error('Sequential.build: the model has no layers');
    if (!Array.isArray(inputShape) || inputShape.length < 1) {
      throw new Error(
        `Sequential.build: inputShape must be an array like [null, 500], got ${previewValue(inputShape)}`,
      );
    }
    let shape: Shape = [null, ...inputShape.slice(1)];
    for (const layer of this.layerList) {
      layer.build(shape);
      shape = layer.computeOutputShape(shape);
    }
    this.builtInputShape = [null, ...inputShape.slice(1)];
  }

  /** Trainable variables of all layers, in layer order. */
  trainableWeights(): tf.Variable[] {
    return this.layerList.flatMap((l) => l.namedWeights().map(([, v]) => v)).filter((v) => v.trainable);
  }

  /** Weights named `${layer.name}.${weight}` (e.g. `dense.kernel`, `simple_rnn.weight_ih_l0`). */
  namedWeights(): Array<[string, tf.Variable]> {
    return this.layerList.flatMap((l) =>
      l.namedWeights().map(([n, v]) => [`${l.name}.${n}`, v] as [string, tf.Variable]),
    );
  }

  /**
   * Where each layer's training-time random stream stands (Dropout masks, between-layer recurrent
   * dropout), by layer name: saved by checkpoints so that a resumed `fit` draws the masks an
   * uninterrupted one would (fit replays its own shuffles from the seed).
   */
  randomState(): Record<string, number[]> {
    this.checkAlive('randomState');
    const state: Record<string, number[]> = {};
    for (const layer of this.layerList) {
      const s = layer.randomState?.() ?? [];
      if (s.length > 0) state[layer.name] = s;
    }
    return state;
  }

  setRandomState(state: Record<string, readonly number[]>): void {
    this.checkAlive('setRandomState');
    if (typeof state !== 'object' || state === null || Array.isArray(state))
      throw new Error(
        `Sequential.setRandomState: state must be an object of layer name → randomState(), got ${previewValue(state)}`,
      );
    const own = this.randomState();
    const unknown = Object.keys(state).filter((name) => !(name in own));
    const missing = Object.keys(own).filter((name) => !(name in state));
    if (unknown.length > 0 || missing.length > 0) {
      throw new Error(
        `Sequential.setRandomState: the state's layers (${Object.keys(state).join(', ') || 'none'}) are not this model's random layers (${Object.keys(own).join(', ') || 'none'})`,
      );
    }
    for (const layer of this.layerList) {
      const layerState = state[layer.name];
      if (layerState) layer.setRandomState?.(layerState);
    }
  }

  /** Runs the layers (Keras's `model(x, training)`): differentiable, no lasting tensors besides the result. */
  apply(x: tf.Tensor, given?: { training?: boolean; realSteps?: RealSteps }): tf.Tensor {
    this.checkAlive('apply');
    const options = checkOptions('Sequential.apply', given, MODEL_APPLY_OPTIONS);
    if (!(x instanceof tf.Tensor)) throw new Error('Sequential.apply: x must be a Tensor');
    if (!this.built) this.build(x.shape);
    return tf.tidy(() => {
      let h = x;
      let mask: tf.Tensor | null = null;
      for (const layer of this.layerList) {
        const padding = options.realSteps ? { realSteps: options.realSteps } : {};
        const out = layer.apply(h, {
          training: options.training ?? false,
          ...(mask ? { mask, ...padding } : {}),
        });
        mask = layer.computeMask ? layer.computeMask(h, mask) : null;
        h = out;
      }
      return h;
    });
  }

  compile(given: CompileOptions): void {
    this.checkAlive('compile');
    if (given === undefined)
      throw new TypeError(
        "compile: options are required, e.g. {optimizer: 'rmsprop', loss: 'binary_crossentropy'}",
      );
    const options = checkOptions('compile', given, COMPILE_OPTIONS);
    const loss = resolveLoss(options.loss);
    const metricNames = options.metrics ?? [];
    if (!Array.isArray(metricNames))
      throw new Error(`compile: metrics must be an array like ['acc'], got ${previewValue(metricNames)}`);
    const metrics = metricNames.map((m, i) => resolveMetric(m, options.loss, i));
    if (
      options.clipNorm !== undefined &&
      !(typeof options.clipNorm === 'number' && options.clipNorm > 0 && Number.isFinite(options.clipNorm))
    ) {
      throw new Error(`compile: clipNorm must be a positive number, got ${previewValue(options.clipNorm)}`);
    }
    const optimizer = resolveOptimizer(options.optimizer);
    if (this.compiled?.ownsOptimizer && this.compiled.optimizer !== optimizer)
      this.compiled.optimizer.dispose();
    this.compiled = {
      optimizer,
      ownsOptimizer: !isOptimizer(options.optimizer),
      optimizerName: typeof options.optimizer === 'string' ? options.optimizer : 'custom',
      loss,
      lossName: typeof options.loss === 'string' ? options.loss : 'custom',
      metricNames,
      metrics,
      ...(options.clipNorm !== undefined ? { clipNorm: options.clipNorm } : {}),
    };
  }

  /** The compile options as JSON (named optimizer and loss only), or null. */
  compileConfig(): {
    optimizer: OptimizerName;
    loss: LossName;
    metrics: MetricName[];
    clipNorm?: number;
  } | null {
    const c = this.compiled;
    if (!c || c.optimizerName === 'custom' || c.lossName === 'custom') return null;
    return {
      optimizer: c.optimizerName,
      loss: c.lossName,
      metrics: [...c.metricNames],
      ...(c.clipNorm !== undefined ? { clipNorm: c.clipNorm } : {}),
    };
  }

  private requireCompiled(fn: string): Compiled {
    if (!this.compiled) throw new Error(`${fn}: call compile({optimizer, loss}) first`);
    return this.compiled;
  }

  private checkAlive(fn: string): void {
    if (this.disposed) throw new Error(`Sequential.${fn}: the model has been disposed`);
  }

  /** Reads user data to the host (where batches are cut), checking what the first layer needs. */
  private async prepareInput(x: ModelData, fn: string, arg: string): Promise<HostSamples> {
    const first = this.layerList[0];
    if (!first) throw new Error(`${fn}: the model has no layers`);
    const tensor = x instanceof tf.Tensor ? x : arrayToTensor(x, first.inputDtype, `${fn}: ${arg}`);
    try {
      if (tensor.rank < 1 || tensor.shape[0] === 0) {
        throw new Error(
          `${fn}: ${arg} must hold at least one sample, got shape [${tensor.shape.join(', ')}]`,
        );
      }
      const samples = await HostSamples.from(tensor, first.inputDtype);
      if (first instanceof Embedding) {
        const problem = this.checkIndices(first, await tensor.data(), tensor.shape, arg);
        if (problem) throw new Error(`${fn}: ${problem}`);
      }
      return samples;
    } finally {
      if (tensor !== x) tensor.dispose();
    }
  }

  /** Whether `x` is token ids into a first Embedding that masks padding (0). */
  private masksPadding(x: HostSamples): boolean {
    const first = this.layerList[0];
    return first instanceof Embedding && first.maskZero && x.shape.length === 2;
  }

  /**
   * Whether a batch of `x` can be cut to the steps that hold tokens without changing its outputs: masked
   * padding (masked steps are skipped, carrying the state, and pooled over as absent) and a model output
   * whose shape does not depend on the number of steps.
   */
  private cutsPadding(x: HostSamples): boolean {
    if (!this.masksPadding(x)) return false;
    const outputShape = (time: number) =>
      this.layerList.reduce<Shape>((shape, layer) => layer.computeOutputShape(shape), [null, time]);
    return outputShape(2).join() === outputShape(3).join();
  }

  /**
   * The model input of the samples `indices`, cut to the steps that hold tokens when `cut`, and, where
   * the first layer masks padding, their real steps (ApplyOptions.realSteps), from one copy of the rows.
   */
  private inputBatch(
    x: HostSamples,
    indices: readonly number[],
    cut: boolean,
  ): { xb: tf.Tensor; extra: { realSteps?: RealSteps } } {
    const { values, shape } = x.pickRows(indices, cut ? x.tokenSteps(indices) : undefined);
    const extra = this.masksPadding(x) ? { realSteps: realSteps(values, shape as [number, number]) } : {};
    return { xb: tf.tensor(values, shape, x.dtype), extra };
  }

  /**
   * Batches for evaluate and predict: in order, or, where padding is cut (`cut`), sorted by length so
   * that each batch runs few padding steps (the same outputs, computed faster).
   */
  private inferenceBatches(x: HostSamples, batchSize: number, cut: boolean): number[][] {
    const order = Array.from({ length: x.count }, (_, i) => i);
    if (cut) {
      const lengths = x.tokenLengths();
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- order holds row indices of x, lengths one entry per row
      order.sort((a, b) => lengths[a]! - lengths[b]!);
    }
    const batches: number[][] = [];
    for (let start = 0; start < x.count; start += batchSize)
      batches.push(order.slice(start, start + batchSize));
    return batches;
  }

  private checkIndices(
    first: Embedding,
    values: ArrayLike<number>,
    shape: number[],
    arg: string,
  ): string | null {
    const where = (i: number) => {
      const idx: number[] = [];
      let rest = i;
      for (const size of [...shape].reverse()) {
        idx.unshift(rest % size);
        rest = Math.floor(rest / size);
      }
      return `${arg}[${idx.join('][')}]`;
    };
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === undefined || !Number.isInteger(v) || v < 0 || v >= first.inputDim) {
        return `${where(i)} = ${v} is not a token index in [0, ${first.inputDim}) (Embedding '${first.name}' inputDim)`;
      }
    }
    // A mask reaching a recurrent layer becomes each row's real steps; a row needs at least one.
    if (first.maskZero && shape.length === 2 && this.layerList.some((l) => l instanceof RecurrentAdapter)) {
      const problem = realStepsProblem(values, shape as [number, number]);
      if (problem) return `${arg}${problem}`;
    }
    return null;
  }

  private async prepareTarget(y: ModelData, fn: string, samples: number): Promise<HostSamples> {
    const tensor = y instanceof tf.Tensor ? y : arrayToTensor(y, 'float32', `${fn}: y`);
    try {
      if (tensor.rank < 1 || tensor.shape[0] !== samples) {
        throw new Error(
          `${fn}: x has ${samples} samples but y has ${tensor.rank < 1 ? 'none (a scalar)' : tensor.shape[0]} (shape [${tensor.shape.join(', ')}])`,
        );
      }
      const samplesOf = await HostSamples.from(tensor, 'float32');
      const bad = samplesOf.firstNonFinite();
      if (bad >= 0) {
        const row = Math.floor(bad / (tensor.size / samples));
        throw new Error(
          `${fn}: y has a value that is not a finite number in sample ${row} (flat index ${bad}); targets must be finite`,
        );
      }
      return samplesOf;
    } finally {
      if (tensor !== y) tensor.dispose();
    }
  }

  /**
   * Trains for `epochs` epochs and returns the per-epoch losses and metrics (and `val_` ones with
   * validation data). Loss is the batch-size-weighted mean of the batch losses, as Keras reports it.
   */
  async fit(x: ModelData, y: ModelData, given?: FitOptions): Promise<History> {
    this.checkAlive('fit');
    const options = checkOptions('fit', given, FIT_OPTIONS);
    const compiled = this.requireCompiled('fit');
    const epochs = checkCount('fit: options.epochs', options.epochs ?? 1, 0);
    const initialEpoch = checkCount('fit: options.initialEpoch', options.initialEpoch ?? 0, 0);
    const batchSize = checkCount('fit: options.batchSize', options.batchSize ?? 32, 1);
    const split = options.validationSplit ?? 0;
    if (typeof split !== 'number' || !(split >= 0 && split < 1))
      throw new Error(`fit: options.validationSplit must be in [0, 1), got ${previewValue(split)}`);
    if (split > 0 && options.validationData)
      throw new Error('fit: give options.validationSplit or options.validationData, not both');
    const verbose = options.verbose ?? 1;
    if (verbose !== 0 && verbose !== 1 && verbose !== 2)
      throw new Error(`fit: options.verbose must be 0, 1 or 2, got ${previewValue(verbose)}`);
    if (options.log !== undefined && typeof options.log !== 'function')
      throw new Error('fit: options.log must be a function (line: string) => void');
    const terminateOnNaN = options.terminateOnNaN ?? true;
    if (typeof terminateOnNaN !== 'boolean')
      throw new Error(`fit: options.terminateOnNaN must be a boolean, got ${previewValue(terminateOnNaN)}`);
    const callbacks = [
      ...(Array.isArray(options.callbacks)
        ? options.callbacks
        : options.callbacks
          ? [options.callbacks]
          : []),
    ];
    if (options.onEpochEnd) callbacks.push({ onEpochEnd: options.onEpochEnd });
    const rng = new SeededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 31));

    const xAll = await this.prepareInput(x, 'fit', 'x');
    const yAll = await this.prepareTarget(y, 'fit', xAll.count);
    const total = xAll.count;
    // Keras: validation data are the last samples, cut before any shuffling.
    const trainCount = split > 0 ? Math.floor(total * (1 - split)) : total;
    if (trainCount === 0)
      throw new Error(`fit: options.validationSplit = ${split} leaves no training samples out of ${total}`);
    let val: [HostSamples, HostSamples] | null = null;
    if (split > 0 && trainCount < total) {
      val = [xAll.split(trainCount, total - trainCount), yAll.split(trainCount, total - trainCount)];
    } else if (options.validationData) {
      if (!Array.isArray(options.validationData) || options.validationData.length !== 2)
        throw new Error('fit: options.validationData must be [x, y]');
      const vx = await this.prepareInput(options.validationData[0], 'fit', 'validationData[0]');
      val = [vx, await this.prepareTarget(options.validationData[1], 'fit', vx.count)];
    }
    if (!this.built) this.build(xAll.shape);
    const bucketed = options.bucketByLength ?? false;
    if (typeof bucketed !== 'boolean')
      throw new Error(`fit: options.bucketByLength must be a boolean, got ${previewValue(bucketed)}`);
    const cut = this.cutsPadding(xAll);
    if (bucketed && !cut) {
      throw new Error(
        'fit: options.bucketByLength needs token ids [samples, time] into a first Embedding with maskZero: true, and a model output without a time axis (padding is cut only where the mask makes it inert)',
      );
    }
    const lengths = bucketed ? xAll.tokenLengths() : null;

    const history: History = {
      epoch: [],
      history: {},
      params: { epochs, batchSize, samples: trainCount, validationSamples: val ? val[0].count : 0 },
    };
    const keys = ['loss', ...compiled.metricNames];
    for (const k of keys) history.history[k] = [];
    if (val) for (const k of keys) history.history[`val_${k}`] = [];

    this.stopTraining = false;
    const progress = await createFitProgress({ verbose, ...(options.log ? { log: options.log } : {}) });
    const means = async (sums: tf.Tensor[], seen: number, epoch: number): Promise<EpochLogs> => {
      const values = await Promise.all(sums.map((sum) => sum.data()));
      const logs: EpochLogs = Object.fromEntries(keys.map((k, i) => [k, scalarValue(values[i], k) / seen]));
      if (terminateOnNaN && !Number.isFinite(logs.loss)) {
        throw new Error(
          `fit: the training loss became ${logs.loss} in epoch ${epoch + 1} (within its first ${seen} samples); lower the learning rate or set compile's clipNorm, check the inputs, or pass terminateOnNaN: false`,
        );
      }
      return logs;
    };
    for (const cb of callbacks) cb.setModel?.(this);
    let lastLogs: EpochLogs = {};
    try {
      for (const cb of callbacks) await cb.onTrainBegin?.();
      const shuffle = options.shuffle ?? true;
      // Replays the skipped epochs' shuffles so that a resumed run draws the same orders.
      for (let epoch = 0; epoch < Math.min(initialEpoch, epochs); epoch++)
        epochBatches(rng, trainCount, batchSize, shuffle, lengths);
      for (let epoch = initialEpoch; epoch < epochs && !this.stopTraining; epoch++) {
        for (const cb of callbacks) await cb.onEpochBegin?.(epoch);
        // Batched by length, pools may end in a short batch each: more batches than samples / batchSize.
        const epochOrder = epochBatches(rng, trainCount, batchSize, shuffle, lengths);
        progress?.epochBegin(epoch, epochs, epochOrder.length);
        const started = Date.now();
        // Sums stay on the device and are read only when the progress display redraws (at most a few
        // times a second) and at the epoch's end: no GPU sync per batch. Constants are filled there too:
        // a host number or tf.scalar is an upload, on webgpu a new staging buffer each.
        let sums: tf.Tensor[] = keys.map(() => tf.fill([], 0));
        try {
          let seen = 0;
          for (const [batch, idx] of epochOrder.entries()) {
            for (const cb of callbacks) await cb.onBatchBegin?.(batch);
            const { xb, extra } = this.inputBatch(xAll, idx, cut);
            const yb = yAll.rows(idx);
            const batchSums = this.trainBatch(compiled, xb, yb, extra);
            const next = addEach(sums, batchSums);
            tf.dispose([xb, yb, ...sums, ...batchSums]);
            sums = next;
            for (const cb of callbacks) await cb.onBatchEnd?.(batch, { size: idx.length });
            seen += idx.length;
            if (progress)
              progress.batchEnd(batch + 1, progress.wantsLogs() ? await means(sums, seen, epoch) : null);
          }
          lastLogs = await means(sums, trainCount, epoch);
        } finally {
          tf.dispose(sums);
        }
        const logs = lastLogs;
        if (val) {
          const v = await this.evaluateSamples(compiled, val[0], val[1], batchSize);
          keys.forEach((k) => {
            const value = v[k];
            if (value === undefined) throw new Error(`fit: the validation logs have no '${k}'`);
            logs[`val_${k}`] = value;
          });
        }
        history.epoch.push(epoch);
        for (const [k, v] of Object.entries(logs)) {
          const series = history.history[k];
          if (series === undefined)
            throw new Error(`fit: the epoch logs have '${k}', which history does not track`);
          series.push(v);
        }
        progress?.epochEnd(epoch, logs, (Date.now() - started) / 1000);
        for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs);
      }
      for (const cb of callbacks) await cb.onTrainEnd?.(lastLogs);
    } finally {
      progress?.close();
    }
    return history;
  }

  /** One optimizer step on a batch; returns [loss·n, metric sums…] as scalars. */
  private trainBatch(
    compiled: Compiled,
    xb: tf.Tensor,
    yb: tf.Tensor,
    extra: { realSteps?: RealSteps },
  ): tf.Tensor[] {
    const variables = this.trainableWeights();
    const sparse = compiled.lossName === 'sparse_categorical_crossentropy';
    return tf.tidy(() => {
      const held: { pred?: tf.Tensor } = {};
      const { value, grads } = tf.variableGrads(() => {
        const out = this.apply(xb, { training: true, ...extra });
        held.pred = tf.keep(out);
        return meanLoss(compiled.loss(alignTarget(yb, out, sparse), out));
      }, variables);
      // A fixed order with a gradient for every variable: tfjs optimizers keep their slots by position.
      let ordered: tf.NamedTensorMap = {};
      for (const v of variables) ordered[v.name] = grads[v.name] ?? tf.zerosLike(v);
      if (compiled.clipNorm !== undefined) ordered = clipByGlobalNorm(ordered, compiled.clipNorm).grads;
      compiled.optimizer.applyGradients(ordered);
      const p = held.pred;
      const rows = xb.shape[0];
      if (p === undefined || rows === undefined)
        throw new Error('fit: a training batch gave no prediction, or has no batch axis');
      const out = [
        tf.mul(value, tf.fill([], rows)),
        ...compiled.metrics.map((m) => tf.sum(m(alignTarget(yb, p, sparse), p))),
      ];
      tf.dispose(p);
      return out;
    });
  }

  private async evaluateSamples(
    compiled: Compiled,
    x: HostSamples,
    y: HostSamples,
    batchSize: number,
  ): Promise<EpochLogs> {
    const sparse = compiled.lossName === 'sparse_categorical_crossentropy';
    const n = x.count;
    let sums: tf.Tensor[] = [tf.fill([], 0), ...compiled.metrics.map(() => tf.fill([], 0))];
    const cut = this.cutsPadding(x);
    for (const idx of this.inferenceBatches(x, batchSize, cut)) {
      const { xb, extra } = this.inputBatch(x, idx, cut);
      const yb = y.rows(idx);
      const next = tf.tidy(() => {
        const pred = this.apply(xb, { training: false, ...extra });
        const target = alignTarget(yb, pred, sparse);
        const parts = [
          tf.sum(compiled.loss(target, pred)),
          ...compiled.metrics.map((m) => tf.sum(m(target, pred))),
        ];
        return addEach(sums, parts);
      });
      tf.dispose([xb, yb, ...sums]);
      sums = next;
    }
    const values = await Promise.all(sums.map((s) => s.data()));
    tf.dispose(sums);
    const logs: EpochLogs = { loss: scalarValue(values[0], 'loss') / n };
    compiled.metricNames.forEach((name, i) => {
      logs[name] = scalarValue(values[i + 1], name) / n;
    });
    return logs;
  }

  /** Loss and metrics on (x, y), e.g. `{loss: 0.31, acc: 0.88}`. */
  async evaluate(x: ModelData, y: ModelData, given?: { batchSize?: number }): Promise<EpochLogs> {
    this.checkAlive('evaluate');
    const options = checkOptions('evaluate', given, BATCH_SIZE_OPTIONS);
    const compiled = this.requireCompiled('evaluate');
    const batchSize = checkCount('evaluate: options.batchSize', options.batchSize ?? 32, 1);
    const xs = await this.prepareInput(x, 'evaluate', 'x');
    const ys = await this.prepareTarget(y, 'evaluate', xs.count);
    if (!this.built) this.build(xs.shape);
    return this.evaluateSamples(compiled, xs, ys, batchSize);
  }

  /** Outputs for `x` in inference mode, computed `batchSize` samples at a time. Checks Embedding indices. */
  async predict(x: ModelData, given?: { batchSize?: number }): Promise<tf.Tensor> {
    this.checkAlive('predict');
    const options = checkOptions('predict', given, BATCH_SIZE_OPTIONS);
    const batchSize = checkCount('predict: options.batchSize', options.batchSize ?? 32, 1);
    const xs = await this.prepareInput(x, 'predict', 'x');
    const cut = this.cutsPadding(xs);
    const batches = this.inferenceBatches(xs, batchSize, cut);
    const parts: tf.Tensor[] = [];
    for (const idx of batches) {
      const { xb, extra } = this.inputBatch(xs, idx, cut);
      parts.push(this.apply(xb, extra));
      xb.dispose();
    }
    const [only] = parts;
    const joined = parts.length === 1 && only !== undefined ? only : tf.concat(parts, 0);
    if (parts.length > 1) tf.dispose(parts);
    const order = batches.flat();
    if (order.every((sample, i) => sample === i)) return joined;
    // Batched by length: put the outputs back in the samples' order.
    const place = new Int32Array(xs.count);
    order.forEach((sample, i) => {
      place[sample] = i;
    });
    const out = tf.tidy(() => tf.gather(joined, tf.tensor1d(place, 'int32')));
    joined.dispose();
    return out;
  }

  /** Keras-style table of layers, output shapes and parameter counts; printed with `print` and returned. */
  summary(print: ((line: string) => void) | null = (line) => console.log(line)): string {
    const rows: Array<[string, string, string]> = [];
    let shape: Shape | null = this.builtInputShape;
    let totalParams = 0;
    let trainable = 0;
    for (const layer of this.layerList) {
      let outShape = '?';
      if (shape) {
        shape = layer.computeOutputShape(shape);
        outShape = `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
      }
      const weights = layer.namedWeights();
      const count = weights.reduce((a, [, v]) => a + v.size, 0);
      totalParams += count;
      trainable += weights.filter(([, v]) => v.trainable).reduce((a, [, v]) => a + v.size, 0);
      rows.push([
        `${layer.name} (${layer.className})`,
        outShape,
        layer.built ? String(count) : '0 (unbuilt)',
      ]);
    }
    const widths = [30, 22, 12] as const;
    const line = ([layerCell, shapeCell, paramsCell]: readonly [string, string, string]) =>
      [layerCell.padEnd(widths[0]), shapeCell.padEnd(widths[1]), paramsCell.padEnd(widths[2])]
        .join(' ')
        .trimEnd();
    const rule = '_'.repeat(widths.reduce((a, b) => a + b + 1, -1));
    const out = [
      `Model: "${this.name}"`,
      rule,
      line(['Layer (type)', 'Output Shape', 'Param #']),
      '='.repeat(rule.length),
      ...rows.map((r) => line(r)),
      '='.repeat(rule.length),
      `Total params: ${totalParams}`,
      `Trainable params: ${trainable}`,
      `Non-trainable params: ${totalParams - trainable}`,
      rule,
    ].join('\n');
    if (print) print(out);
    return out;
  }

  /** The model as `{config, weights}` (JSON + safetensors bytes), with no file system involved. */
  toArtifacts(): Promise<ModelArtifacts> {
    this.checkAlive('toArtifacts');
    return modelToArtifacts(this);
  }

  /** Rebuilds a model from `toArtifacts()` output. */
  static fromArtifacts(artifacts: ModelArtifacts): Sequential {
    return modelFromArtifacts(artifacts, (layers, options) => new Sequential(layers, options));
  }

  /** Node: writes `dir/config.json` and `dir/model.safetensors` atomically (temp file, then rename). */
  save(dir: string): Promise<void> {
    this.checkAlive('save');
    return saveModel(this, dir);
  }

  /** Node: reads a model written by `save`. */
  static load(dir: string): Promise<Sequential> {
    return loadModel(dir, (artifacts) => Sequential.fromArtifacts(artifacts));
  }

  /** Frees every layer's variables and the optimizer compile created. */
  dispose(): void {
    if (this.disposed) return;
    for (const layer of this.layerList) layer.dispose();
    if (this.compiled?.ownsOptimizer) this.compiled.optimizer.dispose();
    this.compiled = null;
    this.disposed = true;
  }

  /** @internal for artifacts: the input shape the model was built with. */
  get inputShape(): Shape | null {
    return this.builtInputShape;
  }
}
