import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { AttentionModule, positiveSize, seedOption } from './attention_module.js';
import { linear } from './linear.js';

/** Luong et al. (2015)'s score functions. */
export type LuongScore = 'dot' | 'general' | 'concat';
const SCORES: readonly LuongScore[] = ['dot', 'general', 'concat'];

export interface LuongAttentionOptions {
  /** Default 'general'. */
  score?: LuongScore;
  /** Features of the query (the decoder state). */
  querySize: number;
  /** Features of the keys (the encoder outputs); default querySize; 'dot' needs them equal. */
  keySize?: number;
  /** 'concat' only: width of the hidden layer inside the score; default querySize. */
  attentionSize?: number;
  /** Seed of the initial weights; default random. */
  seed?: number;
}

const OPTIONS = optionKeys<LuongAttentionOptions>({
  score: true,
  querySize: true,
  keySize: true,
  attentionSize: true,
  seed: true,
});

/**
 * Multiplicative attention (Luong et al., 2015), no biases, as in the paper:
 * - 'dot': qᵀk, no parameters;
 * - 'general': qᵀ W k, `key_proj.weight` [Dq, Dk] (W k is what `projectKeys` computes);
 * - 'concat': vᵀ tanh(W [q; k]), `proj.weight` [A, Dq + Dk] and `v.weight` [1, A]; W's key columns are
 *   applied once per batch by `projectKeys`, its query columns per step.
 */
export class LuongAttention extends AttentionModule {
  readonly className = 'LuongAttention';
  readonly score: LuongScore;
  readonly attentionSize: number;

  constructor(given: LuongAttentionOptions) {
    const fn = 'LuongAttention';
    if (given === undefined)
      throw new TypeError(`${fn}: options are required, e.g. new LuongAttention({ querySize: 256 })`);
    const options = checkOptions(fn, given, OPTIONS);
    const score = options.score ?? 'general';
    if (!SCORES.includes(score))
      throw new Error(`${fn}: options.score must be one of ${SCORES.join(', ')}, got ${String(score)}`);
    const querySize = positiveSize(fn, 'querySize', options.querySize);
    const keySize = options.keySize === undefined ? querySize : positiveSize(fn, 'keySize', options.keySize);
    if (score === 'dot' && keySize !== querySize)
      throw new Error(
        `${fn}: score 'dot' needs keySize = querySize, got keySize ${keySize} and querySize ${querySize}`,
      );
    super(querySize, keySize, seedOption(fn, options.seed));
    this.score = score;
    this.attentionSize =
      options.attentionSize === undefined
        ? querySize
        : positiveSize(fn, 'attentionSize', options.attentionSize);
    if (score === 'general') this.createParameters([['key_proj.weight', [querySize, keySize], keySize]]);
    if (score === 'concat') {
      const a = this.attentionSize;
      this.createParameters([
        ['proj.weight', [a, querySize + keySize], querySize + keySize],
        ['v.weight', [1, a], a],
      ]);
    }
  }

  get projectedKeySize(): number {
    return this.score === 'dot'
      ? this.keySize
      : this.score === 'general'
        ? this.querySize
        : this.attentionSize;
  }

  /** 'dot': the keys (a copy); 'general': W k [.., querySize]; 'concat': W_k k [.., attentionSize]. */
  projectKeys(keys: tf.Tensor3D): tf.Tensor3D {
    this.assertAlive('projectKeys');
    this.checkKeys('LuongAttention.projectKeys', keys);
    if (this.score === 'dot') return tf.clone(keys);
    if (this.score === 'general') return linear(keys, this.parameter('key_proj.weight')) as tf.Tensor3D;
    return tf.tidy(() => {
      const w = this.parameter('proj.weight');
      const keyColumns = tf.slice(w, [0, this.querySize], [this.attentionSize, this.keySize]);
      return linear(keys, keyColumns) as tf.Tensor3D;
    });
  }

  protected scores(query: tf.Tensor3D, projectedKeys: tf.Tensor3D): tf.Tensor3D {
    if (this.score !== 'concat') return tf.matMul(query, projectedKeys, false, true);
    return tf.tidy(() => {
      const [batch, tgtLen] = query.shape;
      const srcLen = projectedKeys.shape[1];
      const w = this.parameter('proj.weight');
      const queryColumns = tf.slice(w, [0, 0], [this.attentionSize, this.querySize]);
      const q = linear(query, queryColumns);
      // W [q; k] = W_q q + W_k k, broadcast over [batch, tgtLen, srcLen, A].
      const hidden = tf.tanh(tf.add(tf.expandDims(q, 2), tf.expandDims(projectedKeys, 1)));
      return tf.reshape(linear(hidden, this.parameter('v.weight')), [batch, tgtLen, srcLen]);
    });
  }

  /** JSON-safe options that rebuild this module. */
  getConfig(): Required<LuongAttentionOptions> {
    return {
      score: this.score,
      querySize: this.querySize,
      keySize: this.keySize,
      attentionSize: this.attentionSize,
      seed: this.seed,
    };
  }
}
