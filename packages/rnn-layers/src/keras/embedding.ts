import * as tf from '@tensorflow/tfjs-core';
import { randomUniform, SeededRandom, checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { booleanOption } from '@rnnkit/tensor-core/internal';

import { gatherRows } from '../ops/gather_rows.js';
import {
  checkNoExtraWeights,
  checkPositiveInteger,
  checkSeed,
  checkWeightShape,
  randomSeed,
  uniqueVariableName,
  APPLY_OPTIONS,
  type ApplyOptions,
  type Layer,
  type LayerConfig,
  type Shape,
} from './layer.js';
import { checkParameterBudget } from './parameter_budget.js';

export interface EmbeddingOptions {
  /** Vocabulary size: indices run over [0, inputDim). */
  inputDim: number;
  outputDim: number;
  /** Index 0 is padding: the layer emits a mask that recurrent and pooling layers honour. */
  maskZero?: boolean;
  /** Seed for the U(-0.05, 0.05) initialiser (Keras's default); default random. */
  seed?: number;
  name?: string;
}

/**
 * A row gather (gatherRows: a row copy on cpu and wasm) with a scatter-add gradient: tfjs's own gather
 * gradient needs UnsortedSegmentSum, which the wasm backend lacks; ScatterNd (which sums repeated
 * indices) exists on cpu, wasm and webgpu.
 */
const embeddingLookup = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [table, indices, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([indices]);
  return {
    value: gatherRows(table, indices),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [ids] = saved;
      if (ids === undefined) throw new Error('Embedding gradient: the forward pass saved no indices');
      const grad = tf.scatterND(tf.expandDims(ids, 1), dy, table.shape);
      return [grad, tf.zerosLike(ids)];
    },
  };
}) as (table: tf.Tensor, indices: tf.Tensor1D) => tf.Tensor;

/**
 * Keras's Embedding: integer indices `[batch, time]` → vectors `[batch, time, outputDim]`.
 * Indices are not range-checked here (that needs a host read); `Sequential` checks its inputs, the
 * cpu and wasm backends throw on an out-of-range index, and webgpu returns zeros for it.
 */
const EMBEDDING_OPTIONS = optionKeys<EmbeddingOptions>({
  inputDim: true,
  outputDim: true,
  maskZero: true,
  seed: true,
  name: true,
});

export class Embedding implements Layer {
  readonly className = 'Embedding';
  readonly inputDtype = 'int32';
  name: string;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly seed: number;
  private embeddings: tf.Variable | null = null;

  constructor(given: EmbeddingOptions) {
    if (given === undefined)
      throw new TypeError(
        'Embedding: options are required, e.g. new Embedding({ inputDim: 10000, outputDim: 32 })',
      );
    const options = checkOptions('Embedding', given, EMBEDDING_OPTIONS);
    this.inputDim = checkPositiveInteger('Embedding: options.inputDim', options.inputDim);
    this.outputDim = checkPositiveInteger('Embedding: options.outputDim', options.outputDim);
    this.maskZero = booleanOption('Embedding', 'options.maskZero', options.maskZero, false);
    this.seed = checkSeed('Embedding: options.seed', options.seed) ?? randomSeed();
    this.name = options.name ?? '';
    checkParameterBudget(`Embedding '${this.name}'`, this.inputDim * this.outputDim);
  }

  get built(): boolean {
    return this.embeddings !== null;
  }

  build(_inputShape: Shape): void {
    if (this.embeddings) return;
    const init = randomUniform([this.inputDim, this.outputDim], -0.05, 0.05, new SeededRandom(this.seed));
    this.embeddings = tf.variable(init, true, uniqueVariableName(this.name, 'embeddings'));
    init.dispose();
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }

  /** The table `build` made; throws before it. */
  private builtTable(fn: string): tf.Variable {
    if (this.embeddings === null)
      throw new Error(`Embedding '${this.name}'.${fn}: the layer is not built yet`);
    return this.embeddings;
  }

  apply(x: tf.Tensor, options?: ApplyOptions): tf.Tensor {
    checkOptions('Embedding.apply', options, APPLY_OPTIONS);
    if (!(x instanceof tf.Tensor)) throw new Error(`Embedding '${this.name}': x must be a Tensor of indices`);
    this.build(x.shape);
    const table = this.builtTable('apply');
    return tf.tidy(() => {
      const indices = x.dtype === 'int32' ? x : tf.cast(x, 'int32');
      const flat = embeddingLookup(table, tf.reshape(indices, [-1]) as tf.Tensor1D);
      return tf.reshape(flat, [...x.shape, this.outputDim]);
    });
  }

  computeMask(x: tf.Tensor, _mask: tf.Tensor | null): tf.Tensor | null {
    if (!this.maskZero) return null;
    return tf.tidy(() => tf.notEqual(x, tf.fill([], 0, x.dtype)));
  }

  namedWeights(): Array<[string, tf.Variable]> {
    return this.embeddings ? [['embeddings', this.embeddings]] : [];
  }

  setWeights(weights: Record<string, tf.Tensor>): void {
    const owner = `Embedding '${this.name}'`;
    checkNoExtraWeights(owner, weights, ['embeddings']);
    const value = checkWeightShape(owner, 'embeddings', [this.inputDim, this.outputDim], weights.embeddings);
    this.build([null, null]);
    const table = this.builtTable('setWeights');
    tf.tidy(() => table.assign(tf.cast(value, 'float32')));
  }

  getConfig(): LayerConfig {
    return {
      className: this.className,
      config: {
        name: this.name,
        inputDim: this.inputDim,
        outputDim: this.outputDim,
        maskZero: this.maskZero,
        seed: this.seed,
      },
    };
  }

  dispose(): void {
    this.embeddings?.dispose();
    this.embeddings = null;
  }
}
