import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys, randomUniform, SeededRandom } from '@rnnkit/tensor-core';

import { cloneStateDict } from '../model/named_parameters.js';
import type { AttentionApplyOptions, AttentionResult } from './attention_types.js';
import { maskedSoftmax } from './masked_softmax.js';
import { sourceMask } from './source_mask.js';

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

let nextUid = 0;

const APPLY_OPTIONS = optionKeys<AttentionApplyOptions>({ keyLengths: true, mask: true });

/** A positive integer option, or an error naming it. */
export function positiveSize(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new Error(`${fn}: options.${name} must be a positive integer, got ${String(value)}`);
  return value;
}

/** A seed option (an integer), or a random one when not given. */
export function seedOption(fn: string, value: unknown): number {
  if (value === undefined) return Math.floor(Math.random() * 2 ** 31);
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new Error(`${fn}: options.seed must be an integer, got ${String(value)}`);
  return value;
}

/**
 * What Bahdanau and Luong attention share: PyTorch-named parameters, the state dict, and
 * `apply = projectKeys + applyProjected`, split so a decoder projects the keys once per batch and
 * scores each step against them.
 */
export abstract class AttentionModule {
  abstract readonly className: string;
  readonly querySize: number;
  readonly keySize: number;
  readonly seed: number;
  private readonly variables = new Map<string, tf.Variable>();
  private readonly uid = nextUid++;
  private disposed = false;

  protected constructor(querySize: number, keySize: number, seed: number) {
    this.querySize = querySize;
    this.keySize = keySize;
    this.seed = seed;
  }

  /**
   * Creates the parameters as nn.Linear initialises them, U(-1/sqrt(inFeatures), 1/sqrt(inFeatures))
   * for weight and bias, drawn on the host from the seed so every backend gets the same values.
   * shapes: [name, shape, inFeatures] in named_parameters() order.
   */
  protected createParameters(shapes: ReadonlyArray<[string, number[], number]>): void {
    const random = new SeededRandom(this.seed);
    for (const [name, shape, inFeatures] of shapes) {
      const k = 1 / Math.sqrt(inFeatures);
      const init = randomUniform(shape, -k, k, random);
      this.variables.set(name, tf.variable(init, true, `${this.constructor.name}_${this.uid}/${name}`));
      init.dispose();
    }
  }

  /** The variable named `name`; subclasses call it for the parameters they created. */
  protected parameter(name: string): tf.Variable {
    this.assertAlive(name);
    const v = this.variables.get(name);
    if (v === undefined) throw new Error(`${this.className}: no parameter "${name}"`);
    return v;
  }

  protected assertAlive(fn: string): void {
    if (this.disposed) throw new Error(`${this.className}.${fn}: the module was disposed`);
  }

  /** The trainable tf.Variables in PyTorch's named_parameters() order. */
  parameters(): tf.Variable[] {
    return [...this.variables.values()];
  }

  /** [PyTorch name, variable] pairs, in named_parameters() order. */
  namedParameters(): Array<[string, tf.Variable]> {
    return [...this.variables.entries()];
  }

  /** Copies of the parameters under PyTorch's state_dict names; the caller owns them. */
  stateDict(): Record<string, tf.Tensor> {
    this.assertAlive('stateDict');
    return cloneStateDict(this.variables);
  }

  /** Loads a state dict with exactly this module's keys and shapes; checked before anything is written. */
  loadStateDict(state: Record<string, tf.Tensor>): void {
    const fn = `${this.className}.loadStateDict`;
    this.assertAlive('loadStateDict');
    if (state === null || typeof state !== 'object')
      throw new Error(`${fn}: state must be a Record<string, Tensor>`);
    const names = [...this.variables.keys()];
    for (const key of Object.keys(state)) {
      if (!this.variables.has(key))
        throw new Error(
          `${fn}: unexpected key "${key}" (expected ${names.length ? names.join(', ') : 'no keys'})`,
        );
    }
    for (const [name, v] of this.variables) {
      const t = state[name];
      if (t === undefined) throw new Error(`${fn}: missing key "${name}"`);
      if (!(t instanceof tf.Tensor)) throw new Error(`${fn}: "${name}" must be a tf.Tensor`);
      if (t.rank !== v.rank || t.shape.some((d, i) => d !== v.shape[i]))
        throw new Error(`${fn}: "${name}" has shape ${fmt(t.shape)}, expected ${fmt(v.shape)}`);
    }
    for (const [name, v] of this.variables) {
      const t = state[name] as tf.Tensor;
      tf.tidy(() => v.assign(t.dtype === 'float32' ? t : tf.cast(t, 'float32')));
    }
  }

  /** Frees the parameters. The module cannot be used afterwards. */
  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
    this.disposed = true;
  }

  /**
   * The per-batch part of the score, computed once so a decoder reuses it at every step:
   * keys [batch, srcLen, keySize] → projected keys [batch, srcLen, *] (the keys themselves for 'dot').
   */
  abstract projectKeys(keys: tf.Tensor3D): tf.Tensor3D;

  /** Features per source position of `projectKeys`' result. */
  abstract readonly projectedKeySize: number;

  /** Scores [batch, tgtLen, srcLen] of query [batch, tgtLen, querySize] against projected keys. */
  protected abstract scores(query: tf.Tensor3D, projectedKeys: tf.Tensor3D): tf.Tensor3D;

  /**
   * Attention with keys projected beforehand (`projectKeys`): scores, the masked softmax over the source
   * and the weighted sum of `values` [batch, srcLen, keySize]. mask [batch, srcLen] (bool), or omitted.
   */
  applyProjected(
    query: tf.Tensor3D,
    projectedKeys: tf.Tensor3D,
    values: tf.Tensor3D,
    mask?: tf.Tensor2D | null,
  ): AttentionResult {
    const fn = `${this.className}.applyProjected`;
    this.assertAlive('applyProjected');
    this.checkQuery(fn, query, values);
    const [batch, srcLen] = values.shape;
    if (!(projectedKeys instanceof tf.Tensor) || projectedKeys.rank !== 3)
      throw new Error(`${fn}: projectedKeys must be a 3-D tensor from projectKeys`);
    if (
      projectedKeys.shape[0] !== batch ||
      projectedKeys.shape[1] !== srcLen ||
      projectedKeys.shape[2] !== this.projectedKeySize
    )
      throw new Error(
        `${fn}: projectedKeys has shape ${fmt(projectedKeys.shape)}, expected [${batch}, ${srcLen}, ${this.projectedKeySize}] (values are ${fmt(values.shape)})`,
      );
    if (mask != null && (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== srcLen))
      throw new Error(`${fn}: mask has shape ${fmt(mask.shape)}, expected [${batch}, ${srcLen}]`);
    return tf.tidy(() => {
      const valid =
        mask == null ? null : mask.dtype === 'bool' ? mask : (tf.notEqual(mask, 0) as tf.Tensor2D);
      const weights = maskedSoftmax(this.scores(query, projectedKeys), valid);
      const context = tf.matMul(weights, values) as tf.Tensor3D;
      return { context, weights };
    });
  }

  /**
   * query [batch, tgtLen, querySize] attends over keys [batch, srcLen, keySize] (also the values);
   * padding from options.keyLengths or options.mask.
   */
  apply(query: tf.Tensor3D, keys: tf.Tensor3D, options: AttentionApplyOptions = {}): AttentionResult {
    const fn = `${this.className}.apply`;
    this.assertAlive('apply');
    this.checkQuery(fn, query, keys, 'keys');
    checkOptions(fn, options, APPLY_OPTIONS);
    const [batch, srcLen] = keys.shape;
    const mask = sourceMask(fn, options, batch, srcLen);
    const projected = this.projectKeys(keys);
    try {
      return this.applyProjected(query, projected, keys, mask);
    } finally {
      projected.dispose();
      mask?.dispose();
    }
  }

  /** Checks query and keys (or values) against the module's sizes and each other's batch. */
  protected checkQuery(fn: string, query: tf.Tensor, keys: tf.Tensor, keysName = 'values'): void {
    if (!(query instanceof tf.Tensor) || query.rank !== 3)
      throw new Error(
        `${fn}: query must be a [batch, tgtLen, ${this.querySize}] tensor, got ${query instanceof tf.Tensor ? `shape ${fmt(query.shape)}` : String(query)}`,
      );
    if (!(keys instanceof tf.Tensor) || keys.rank !== 3)
      throw new Error(
        `${fn}: ${keysName} must be a [batch, srcLen, ${this.keySize}] tensor, got ${keys instanceof tf.Tensor ? `shape ${fmt(keys.shape)}` : String(keys)}`,
      );
    if (query.shape[2] !== this.querySize)
      throw new Error(`${fn}: query.shape[2] = ${query.shape[2]}, expected querySize = ${this.querySize}`);
    if (keys.shape[2] !== this.keySize)
      throw new Error(`${fn}: ${keysName}.shape[2] = ${keys.shape[2]}, expected keySize = ${this.keySize}`);
    if (query.shape[0] !== keys.shape[0])
      throw new Error(`${fn}: query has batch ${query.shape[0]} but ${keysName} has batch ${keys.shape[0]}`);
    if (keys.shape[1] === 0) throw new Error(`${fn}: ${keysName} has no source positions`);
  }

  /** Checks keys for projectKeys. */
  protected checkKeys(fn: string, keys: tf.Tensor): void {
    if (!(keys instanceof tf.Tensor) || keys.rank !== 3 || keys.shape[2] !== this.keySize)
      throw new Error(
        `${fn}: keys must be a [batch, srcLen, ${this.keySize}] tensor, got ${keys instanceof tf.Tensor ? `shape ${fmt(keys.shape)}` : String(keys)}`,
      );
  }
}
