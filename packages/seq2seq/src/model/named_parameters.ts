import * as tf from '@tensorflow/tfjs-core';
import { randomNormal, randomUniform, type SeededRandom } from '@rnnkit/tensor-core';

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;
let nextUid = 0;

/** Copies of [PyTorch name, variable] pairs as a state dict; the caller owns the copies. */
export function cloneStateDict(named: Iterable<[string, tf.Variable]>): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, v] of named) out[name] = tf.clone(v);
  return out;
}

/**
 * PyTorch-named variables of a model part, in named_parameters() order, with the state dict both
 * the encoder and the decoder use. A loaded state dict is checked in full before anything is written.
 */
export class NamedParameters {
  private readonly variables = new Map<string, tf.Variable>();
  private readonly uid = nextUid++;

  constructor(private readonly owner: string) {}

  /** nn.Linear's (and the RNN cells') initialiser: U(-bound, bound). */
  addUniform(name: string, shape: number[], bound: number, random: SeededRandom): tf.Variable {
    return this.add(name, randomUniform(shape, -bound, bound, random));
  }

  /** nn.Embedding's initialiser, N(0, 1), with the padding row zeroed as padding_idx does. */
  addEmbedding(name: string, shape: [number, number], paddingId: number | null, random: SeededRandom) {
    const init = randomNormal(shape, 0, 1, random);
    if (paddingId === null) return this.add(name, init);
    // The float mask is made inside the tidy too, so no intermediate outlives this call.
    const rowMask = tf.tidy(() =>
      tf.cast(
        tf.reshape(tf.notEqual(tf.range(0, shape[0], 1, 'int32'), paddingId), [shape[0], 1]),
        'float32',
      ),
    );
    const zeroed = tf.mul(init, rowMask);
    tf.dispose([init, rowMask]);
    return this.add(name, zeroed);
  }

  private add(name: string, init: tf.Tensor): tf.Variable {
    const v = tf.variable(init, true, `${this.owner}_${this.uid}/${name}`);
    init.dispose();
    this.variables.set(name, v);
    return v;
  }

  get(name: string): tf.Variable {
    const v = this.variables.get(name);
    if (v === undefined) throw new Error(`${this.owner}: no parameter "${name}"`);
    return v;
  }

  has(name: string): boolean {
    return this.variables.has(name);
  }

  entries(): Array<[string, tf.Variable]> {
    return [...this.variables.entries()];
  }

  /** Checks `state` against `expected` ([name, shape] pairs); throws naming the first bad key. */
  static check(fn: string, state: Record<string, tf.Tensor>, expected: Array<[string, number[]]>): void {
    if (state === null || typeof state !== 'object')
      throw new Error(`${fn}: state must be a Record<string, Tensor>`);
    const names = new Set(expected.map(([n]) => n));
    for (const key of Object.keys(state))
      if (!names.has(key)) throw new Error(`${fn}: unexpected key "${key}"`);
    for (const [name, shape] of expected) {
      const t = state[name];
      if (t === undefined) throw new Error(`${fn}: missing key "${name}"`);
      if (!(t instanceof tf.Tensor)) throw new Error(`${fn}: "${name}" must be a tf.Tensor`);
      if (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i]))
        throw new Error(`${fn}: "${name}" has shape ${fmt(t.shape)}, expected ${fmt(shape)}`);
    }
  }

  /** Shapes of the own variables, for `check`. */
  shapes(prefix = ''): Array<[string, number[]]> {
    return this.entries().map(([n, v]) => [prefix + n, v.shape]);
  }

  /** Assigns already-checked values. */
  assign(state: Record<string, tf.Tensor>, prefix = ''): void {
    for (const [name, v] of this.variables) {
      const t = state[prefix + name] as tf.Tensor;
      tf.tidy(() => v.assign(t.dtype === 'float32' ? t : tf.cast(t, 'float32')));
    }
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}
