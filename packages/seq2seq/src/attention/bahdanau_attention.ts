import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { AttentionModule, positiveSize, seedOption } from './attention_module.js';
import { linear } from './linear.js';

export interface BahdanauAttentionOptions {
  /** Features of the query (the decoder state). */
  querySize: number;
  /** Features of the keys (the encoder outputs); default querySize. */
  keySize?: number;
  /** Width of the hidden layer inside the score; default querySize. */
  attentionSize?: number;
  /** Seed of the initial weights; default random. */
  seed?: number;
}

const OPTIONS = optionKeys<BahdanauAttentionOptions>({
  querySize: true,
  keySize: true,
  attentionSize: true,
  seed: true,
});

/**
 * Additive attention (Bahdanau et al., 2015): score = vᵀ tanh(W_q q + b + W_k k). Parameters
 * `query_proj.weight` [A, Dq], `query_proj.bias` [A], `key_proj.weight` [A, Dk], `v.weight` [1, A]:
 * the one bias sits on the query side as in OpenNMT-py's "mlp" attention, so the key projection, done
 * once per batch by `projectKeys`, is a plain matmul.
 */
export class BahdanauAttention extends AttentionModule {
  readonly className = 'BahdanauAttention';
  readonly attentionSize: number;

  constructor(given: BahdanauAttentionOptions) {
    const fn = 'BahdanauAttention';
    if (given === undefined)
      throw new TypeError(`${fn}: options are required, e.g. new BahdanauAttention({ querySize: 256 })`);
    const options = checkOptions(fn, given, OPTIONS);
    const querySize = positiveSize(fn, 'querySize', options.querySize);
    const keySize = options.keySize === undefined ? querySize : positiveSize(fn, 'keySize', options.keySize);
    super(querySize, keySize, seedOption(fn, options.seed));
    this.attentionSize =
      options.attentionSize === undefined
        ? querySize
        : positiveSize(fn, 'attentionSize', options.attentionSize);
    const a = this.attentionSize;
    this.createParameters([
      ['query_proj.weight', [a, querySize], querySize],
      ['query_proj.bias', [a], querySize],
      ['key_proj.weight', [a, keySize], keySize],
      ['v.weight', [1, a], a],
    ]);
  }

  get projectedKeySize(): number {
    return this.attentionSize;
  }

  /** W_k k: [batch, srcLen, keySize] → [batch, srcLen, attentionSize]. */
  projectKeys(keys: tf.Tensor3D): tf.Tensor3D {
    this.assertAlive('projectKeys');
    this.checkKeys('BahdanauAttention.projectKeys', keys);
    return linear(keys, this.parameter('key_proj.weight')) as tf.Tensor3D;
  }

  protected scores(query: tf.Tensor3D, projectedKeys: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const [batch, tgtLen] = query.shape;
      const srcLen = projectedKeys.shape[1];
      const q = linear(query, this.parameter('query_proj.weight'), this.parameter('query_proj.bias'));
      // [batch, tgtLen, 1, A] + [batch, 1, srcLen, A]
      const hidden = tf.tanh(tf.add(tf.expandDims(q, 2), tf.expandDims(projectedKeys, 1)));
      return tf.reshape(linear(hidden, this.parameter('v.weight')), [batch, tgtLen, srcLen]);
    });
  }

  /** JSON-safe options that rebuild this module. */
  getConfig(): Required<BahdanauAttentionOptions> {
    return {
      querySize: this.querySize,
      keySize: this.keySize,
      attentionSize: this.attentionSize,
      seed: this.seed,
    };
  }
}
