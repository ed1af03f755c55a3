import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, optionKeys, SeededRandom } from '@rnnkit/tensor-core';

import type { AttentionModule } from '../attention/attention_module.js';
import { positiveSize, seedOption } from '../attention/attention_module.js';
import { BahdanauAttention } from '../attention/bahdanau_attention.js';
import { linear } from '../attention/linear.js';
import { LuongAttention } from '../attention/luong_attention.js';
import { sourceMask } from '../attention/source_mask.js';
import { checkTokenIds, embeddingLookup } from './embedding_lookup.js';
import { cloneStateDict, NamedParameters } from './named_parameters.js';
import type { DecoderState, Seq2SeqCell } from './seq2seq_encoder.js';

/** 'bahdanau': additive, queried with the previous state; the others: Luong's scores on the new state. */
export type DecoderAttention = 'bahdanau' | 'dot' | 'general' | 'concat';
const ATTENTIONS: readonly DecoderAttention[] = ['bahdanau', 'dot', 'general', 'concat'];

export interface AttentionDecoderOptions {
  vocabSize: number;
  embeddingSize: number;
  hiddenSize: number;
  /** Features per source position of the encoder outputs (the attention keys and values). */
  keySize: number;
  /** Default 'gru'. */
  cell?: Seq2SeqCell;
  /** Default 'general'. */
  attention?: DecoderAttention;
  /** Hidden width of the 'bahdanau' and 'concat' scores; default hiddenSize. */
  attentionSize?: number;
  /** Luong attention only: feed the previous attentional vector into the cell with the embedding. */
  inputFeeding?: boolean;
  /** Share the output projection's weight with the target embedding; needs embeddingSize = hiddenSize. */
  tieWeights?: boolean;
  /** Token id of padding (zero embedding, no gradient), or null; default 0. */
  paddingId?: number | null;
  seed?: number;
}

const OPTIONS = optionKeys<AttentionDecoderOptions>({
  vocabSize: true,
  embeddingSize: true,
  hiddenSize: true,
  keySize: true,
  cell: true,
  attention: true,
  attentionSize: true,
  inputFeeding: true,
  tieWeights: true,
  paddingId: true,
  seed: true,
});

/** What the decoder attends over: the encoder outputs and the source lengths. */
export interface DecoderMemory {
  /** [batch, srcLen, keySize]. */
  outputs: tf.Tensor3D;
  /** Valid source positions per sequence. */
  lengths: readonly number[] | Int32Array;
  /** The initial decoder state (the encoder's bridge). */
  state: DecoderState;
}

/** The decoder state between `step` calls. */
export interface DecoderStepState {
  /** [batch, hiddenSize]. */
  h: tf.Tensor2D;
  /** LSTM only. */
  c?: tf.Tensor2D;
  /** Input feeding only: the previous attentional vector [batch, hiddenSize]; zeros when absent. */
  feed?: tf.Tensor2D;
}

/** Encoder outputs prepared once per batch for `step` (`AttentionDecoder.prepareKeys`). */
export interface DecoderKeys {
  /** [batch, srcLen, keySize]: the encoder outputs (attention values). */
  values: tf.Tensor3D;
  /** The attention's projection of the keys, from `projectKeys`. */
  projected: tf.Tensor3D;
  /** [batch, srcLen] bool, true on valid positions, or null. */
  mask: tf.Tensor2D | null;
}

export interface DecoderStepOutput {
  /** [batch, vocabSize]: log-softmax of the step's logits. */
  logProbs: tf.Tensor2D;
  state: DecoderStepState;
  /** [batch, srcLen]: the step's attention weights. */
  attention: tf.Tensor2D;
}

export interface AttentionDecoderOutput {
  /** [batch, tgtLen, vocabSize]. */
  logits: tf.Tensor3D;
  /** [batch, tgtLen, srcLen]: each step's attention weights, exactly 0 on source padding. */
  attention: tf.Tensor3D;
}

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Embedding + GRU/LSTM cell + attention + output projection, run over a whole target at once with
 * teacher forcing. Per step t, with õ the attentional vector tanh(W_c [h_t; context_t] + b_c):
 * - 'bahdanau': context_t from h_{t-1}; cell input [embedding_t; context_t];
 * - Luong scores: h_t from the cell on embedding_t (plus õ_{t-1} with input feeding), then context_t
 *   from h_t;
 * logits_t = W_out õ_t + b_out. The encoder keys are projected once per batch. State-dict names follow
 * a PyTorch module with children `embedding`, `cell` (nn.GRUCell/LSTMCell), `attention`, `combine`, `out`.
 */
export class AttentionDecoder {
  readonly vocabSize: number;
  readonly embeddingSize: number;
  readonly hiddenSize: number;
  readonly keySize: number;
  readonly cell: Seq2SeqCell;
  readonly attentionKind: DecoderAttention;
  readonly attentionSize: number;
  readonly inputFeeding: boolean;
  readonly tieWeights: boolean;
  readonly paddingId: number | null;
  readonly seed: number;
  readonly attention: AttentionModule;
  private readonly own: NamedParameters;
  private disposed = false;

  constructor(given: AttentionDecoderOptions) {
    const fn = 'AttentionDecoder';
    if (given === undefined)
      throw new TypeError(
        `${fn}: options are required, e.g. new AttentionDecoder({ vocabSize: 8000, embeddingSize: 256, hiddenSize: 256, keySize: 512 })`,
      );
    const o = checkOptions(fn, given, OPTIONS);
    this.vocabSize = positiveSize(fn, 'vocabSize', o.vocabSize);
    this.embeddingSize = positiveSize(fn, 'embeddingSize', o.embeddingSize);
    this.hiddenSize = positiveSize(fn, 'hiddenSize', o.hiddenSize);
    this.keySize = positiveSize(fn, 'keySize', o.keySize);
    this.cell = o.cell ?? 'gru';
    if (this.cell !== 'gru' && this.cell !== 'lstm')
      throw new Error(`${fn}: options.cell must be 'gru' or 'lstm', got ${String(o.cell)}`);
    this.attentionKind = o.attention ?? 'general';
    if (!ATTENTIONS.includes(this.attentionKind))
      throw new Error(
        `${fn}: options.attention must be one of ${ATTENTIONS.join(', ')}, got ${String(o.attention)}`,
      );
    this.attentionSize =
      o.attentionSize === undefined ? this.hiddenSize : positiveSize(fn, 'attentionSize', o.attentionSize);
    this.inputFeeding = o.inputFeeding ?? false;
    if (this.inputFeeding && this.attentionKind === 'bahdanau')
      throw new Error(
        `${fn}: options.inputFeeding is for Luong attention; 'bahdanau' already feeds the context to the cell`,
      );
    this.tieWeights = o.tieWeights ?? false;
    if (this.tieWeights && this.embeddingSize !== this.hiddenSize)
      throw new Error(
        `${fn}: options.tieWeights needs embeddingSize = hiddenSize, got ${this.embeddingSize} and ${this.hiddenSize}`,
      );
    this.paddingId = o.paddingId === undefined ? 0 : o.paddingId;
    if (
      this.paddingId !== null &&
      (!Number.isInteger(this.paddingId) || this.paddingId < 0 || this.paddingId >= this.vocabSize)
    )
      throw new Error(
        `${fn}: options.paddingId must be null or an integer in [0, ${this.vocabSize}), got ${String(this.paddingId)}`,
      );
    this.seed = seedOption(fn, o.seed);

    const random = new SeededRandom(this.seed);
    const [E, H, V] = [this.embeddingSize, this.hiddenSize, this.vocabSize];
    this.own = new NamedParameters(fn);
    this.own.addEmbedding('embedding.weight', [V, E], this.paddingId, random);
    const gates = (this.cell === 'gru' ? 3 : 4) * H;
    const k = 1 / Math.sqrt(H);
    this.own.addUniform('cell.weight_ih', [gates, this.cellInputSize], k, random);
    this.own.addUniform('cell.weight_hh', [gates, H], k, random);
    this.own.addUniform('cell.bias_ih', [gates], k, random);
    this.own.addUniform('cell.bias_hh', [gates], k, random);
    const sizes = { querySize: H, keySize: this.keySize, attentionSize: this.attentionSize };
    const attentionSeed = this.seed + 1;
    this.attention =
      this.attentionKind === 'bahdanau'
        ? new BahdanauAttention({ ...sizes, seed: attentionSeed })
        : new LuongAttention({ ...sizes, score: this.attentionKind, seed: attentionSeed });
    const kc = 1 / Math.sqrt(H + this.keySize);
    this.own.addUniform('combine.weight', [H, H + this.keySize], kc, random);
    this.own.addUniform('combine.bias', [H], kc, random);
    if (!this.tieWeights) this.own.addUniform('out.weight', [V, H], k, random);
    this.own.addUniform('out.bias', [V], k, random);
  }

  /** Features the cell reads per step. */
  get cellInputSize(): number {
    if (this.attentionKind === 'bahdanau') return this.embeddingSize + this.keySize;
    return this.embeddingSize + (this.inputFeeding ? this.hiddenSize : 0);
  }

  /**
   * [PyTorch name, variable] pairs in named_parameters() order. With tieWeights there is no
   * `out.weight`: the projection uses `embedding.weight` (named_parameters lists a shared tensor once).
   */
  namedParameters(): Array<[string, tf.Variable]> {
    this.assertAlive('namedParameters');
    const entries = this.own.entries();
    const beforeAttention = entries.filter(([n]) => n.startsWith('embedding.') || n.startsWith('cell.'));
    const after = entries.filter(([n]) => !n.startsWith('embedding.') && !n.startsWith('cell.'));
    const attention = this.attention
      .namedParameters()
      .map(([n, v]): [string, tf.Variable] => [`attention.${n}`, v]);
    return [...beforeAttention, ...attention, ...after];
  }

  parameters(): tf.Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /** Copies of the parameters under their PyTorch names; the caller owns them. */
  stateDict(): Record<string, tf.Tensor> {
    return cloneStateDict(this.namedParameters());
  }

  /** Loads exactly this decoder's keys and shapes, all checked before anything is written. */
  loadStateDict(state: Record<string, tf.Tensor>): void {
    const fn = 'AttentionDecoder.loadStateDict';
    this.assertAlive('loadStateDict');
    NamedParameters.check(
      fn,
      state,
      this.namedParameters().map(([n, v]) => [n, v.shape]),
    );
    this.own.assign(state);
    const attentionState: Record<string, tf.Tensor> = {};
    for (const [n] of this.attention.namedParameters())
      attentionState[n] = state[`attention.${n}`] as tf.Tensor;
    this.attention.loadStateDict(attentionState);
  }

  /**
   * Teacher-forced decoding: tgtIn [batch, tgtLen] int32 (the target shifted right, starting with BOS)
   * attends over `memory`. The caller owns the returned tensors.
   */
  forward(tgtIn: tf.Tensor2D, memory: DecoderMemory): AttentionDecoderOutput {
    const fn = 'AttentionDecoder.forward';
    this.assertAlive('forward');
    checkTokenIds(fn, 'tgtIn', tgtIn, this.vocabSize);
    const batch = tgtIn.shape[0];
    const { outputs, lengths, state } = memory ?? ({} as DecoderMemory);
    if (!(outputs instanceof tf.Tensor) || outputs.rank !== 3 || outputs.shape[2] !== this.keySize)
      throw new Error(
        `${fn}: memory.outputs must be a [batch, srcLen, ${this.keySize}] tensor, got ${outputs instanceof tf.Tensor ? fmt(outputs.shape) : String(outputs)}`,
      );
    if (outputs.shape[0] !== batch)
      throw new Error(
        `${fn}: tgtIn has batch ${batch} but memory.outputs has batch ${outputs.shape[0]} (source and target batches differ)`,
      );
    this.checkState(fn, state, batch);
    const srcLen = outputs.shape[1];
    const mask = sourceMask(`${fn} (memory.lengths)`, { keyLengths: lengths }, batch, srcLen);
    try {
      return tf.tidy(
        () => this.run(tgtIn, outputs, mask, state) as unknown as tf.TensorContainer,
      ) as unknown as AttentionDecoderOutput;
    } finally {
      mask?.dispose();
    }
  }

  private run(
    tgtIn: tf.Tensor2D,
    values: tf.Tensor3D,
    mask: tf.Tensor2D | null,
    initial: DecoderState,
  ): AttentionDecoderOutput {
    const [batch, tgtLen] = tgtIn.shape;
    const E = this.embeddingSize;
    const table = this.own.get('embedding.weight') as tf.Tensor2D;
    const embedded = tf.reshape(embeddingLookup(table, tf.reshape(tgtIn, [-1]), this.paddingId), [
      batch,
      tgtLen,
      E,
    ]);
    const wIh = this.own.get('cell.weight_ih');
    const gates = wIh.shape[0];
    // The embedding's share of the input gates for every step in one matmul; the rest per step.
    const wEmb = tf.slice(wIh, [0, 0], [gates, E]);
    const wExtra = this.cellInputSize > E ? tf.slice(wIh, [0, E], [gates, this.cellInputSize - E]) : null;
    const inputGates = linear(embedded, wEmb, this.own.get('cell.bias_ih')) as tf.Tensor3D;
    const keys: DecoderKeys = { values, projected: this.attention.projectKeys(values), mask };

    let h = initial.h;
    let c = initial.c;
    const hs: tf.Tensor2D[] = [];
    const attended: tf.Tensor2D[] = [];
    const weights: tf.Tensor2D[] = [];
    const stepOf = (t: tf.Tensor3D, i: number, width: number) =>
      tf.reshape(tf.slice(t, [0, i, 0], [batch, 1, width]), [batch, width]) as tf.Tensor2D;
    // Without input feeding a Luong decoder's cell does not depend on attention: the attention and the
    // combine layer then run once over all steps.
    const perStepAttention = this.attentionKind === 'bahdanau' || this.inputFeeding;
    let feed: tf.Tensor2D | undefined;
    for (let t = 0; t < tgtLen; t++) {
      const gi = stepOf(inputGates, t, gates);
      if (!perStepAttention) {
        const next = this.cellStep(gi, h, c);
        h = next.h;
        c = next.c;
        hs.push(h);
        continue;
      }
      const s = this.advance(gi, wExtra, { h, c, feed }, keys);
      h = s.h;
      c = s.c;
      feed = s.attentional;
      attended.push(s.attentional);
      weights.push(s.weights);
    }
    let attentional: tf.Tensor3D;
    let attention: tf.Tensor3D;
    if (perStepAttention) {
      attentional = tf.stack(attended, 1) as tf.Tensor3D;
      attention = tf.stack(weights, 1) as tf.Tensor3D;
    } else {
      const queries = tf.stack(hs, 1) as tf.Tensor3D;
      const r = this.attention.applyProjected(queries, keys.projected, values, mask);
      attentional = this.combine(queries, r.context);
      attention = r.weights;
    }
    const outWeight = this.tieWeights ? table : this.own.get('out.weight');
    const logits = linear(attentional, outWeight, this.own.get('out.bias')) as tf.Tensor3D;
    return { logits, attention };
  }

  /**
   * The encoder outputs prepared for `step`: the keys projected once (`W_k k`) and the source mask. The
   * caller owns `projected` and `mask` (dispose them with `disposeKeys`); `values` is `outputs` itself.
   */
  prepareKeys(outputs: tf.Tensor3D, lengths: readonly number[] | Int32Array): DecoderKeys {
    const fn = 'AttentionDecoder.prepareKeys';
    this.assertAlive('prepareKeys');
    if (!(outputs instanceof tf.Tensor) || outputs.rank !== 3 || outputs.shape[2] !== this.keySize)
      throw new Error(
        `${fn}: outputs must be a [batch, srcLen, ${this.keySize}] tensor, got ${outputs instanceof tf.Tensor ? fmt(outputs.shape) : String(outputs)}`,
      );
    const [batch, srcLen] = outputs.shape;
    const mask = sourceMask(`${fn} (lengths)`, { keyLengths: lengths }, batch, srcLen);
    return { values: outputs, projected: this.attention.projectKeys(outputs), mask };
  }

  /** Disposes what `prepareKeys` created (not the encoder outputs). */
  static disposeKeys(keys: DecoderKeys): void {
    keys.projected.dispose();
    keys.mask?.dispose();
  }

  /**
   * One decoding step for every row: prevTokens [batch] int32 (BOS first), the state of the previous
   * step (the encoder's bridge at first; `feed`, the previous attentional vector, is zeros when absent)
   * and the keys of `prepareKeys` (one row per state row). Runs the same step as the teacher-forced
   * `forward`. The caller owns the returned tensors.
   */
  step(prevTokens: tf.Tensor1D, state: DecoderStepState, keys: DecoderKeys): DecoderStepOutput {
    const fn = 'AttentionDecoder.step';
    this.assertAlive('step');
    if (!(prevTokens instanceof tf.Tensor) || prevTokens.rank !== 1)
      throw new Error(`${fn}: prevTokens must be a [batch] int32 tensor`);
    const batch = prevTokens.shape[0];
    if (keys.values.shape[0] !== batch)
      throw new Error(
        `${fn}: prevTokens has batch ${batch} but keys.values has batch ${keys.values.shape[0]}`,
      );
    tf.tidy(() => checkTokenIds(fn, 'prevTokens', tf.reshape(prevTokens, [batch, 1]), this.vocabSize));
    this.checkState(fn, state, batch);
    return tf.tidy(() => {
      const E = this.embeddingSize;
      const table = this.own.get('embedding.weight') as tf.Tensor2D;
      const embedded = embeddingLookup(table, prevTokens, this.paddingId);
      const wIh = this.own.get('cell.weight_ih');
      const gates = wIh.shape[0];
      const wEmb = tf.slice(wIh, [0, 0], [gates, E]);
      const wExtra = this.cellInputSize > E ? tf.slice(wIh, [0, E], [gates, this.cellInputSize - E]) : null;
      const gi = linear(embedded, wEmb, this.own.get('cell.bias_ih')) as tf.Tensor2D;
      const s = this.advance(gi, wExtra, state, keys);
      const outWeight = this.tieWeights ? table : this.own.get('out.weight');
      const logits = linear(s.attentional, outWeight, this.own.get('out.bias')) as tf.Tensor2D;
      const next: DecoderStepState = { h: s.h };
      if (s.c !== undefined) next.c = s.c;
      if (this.inputFeeding) next.feed = s.attentional;
      const out: DecoderStepOutput = { logProbs: tf.logSoftmax(logits), state: next, attention: s.weights };
      return out as unknown as tf.TensorContainer;
    }) as unknown as DecoderStepOutput;
  }

  /**
   * One step from the embedding's share of the input gates `gi` (W_ih,emb e + b_ih): attention before
   * (Bahdanau) or after (Luong) the cell, then the attentional vector. `forward` and `step` both use it.
   */
  private advance(gi: tf.Tensor2D, wExtra: tf.Tensor | null, state: DecoderStepState, keys: DecoderKeys) {
    const batch = gi.shape[0];
    const attend = (query: tf.Tensor2D) => {
      const r = this.attention.applyProjected(
        tf.expandDims(query, 1) as tf.Tensor3D,
        keys.projected,
        keys.values,
        keys.mask,
      );
      return {
        context: tf.reshape(r.context, [batch, this.keySize]) as tf.Tensor2D,
        weights: tf.reshape(r.weights, [batch, keys.values.shape[1]]) as tf.Tensor2D,
      };
    };
    let a: { context: tf.Tensor2D; weights: tf.Tensor2D } | undefined;
    if (this.attentionKind === 'bahdanau') a = attend(state.h);
    // The rest of the cell input: the context (Bahdanau) or the previous attentional vector.
    const extra =
      a?.context ??
      (this.inputFeeding ? (state.feed ?? (tf.zeros([batch, this.hiddenSize]) as tf.Tensor2D)) : null);
    const input = extra !== null && wExtra !== null ? (tf.add(gi, linear(extra, wExtra)) as tf.Tensor2D) : gi;
    const next = this.cellStep(input, state.h, state.c);
    a ??= attend(next.h);
    return { h: next.h, c: next.c, attentional: this.combine(next.h, a.context), weights: a.weights };
  }

  /** õ = tanh(W_c [h; context] + b_c), over the last axis. */
  private combine<T extends tf.Tensor>(h: T, context: T): T {
    const joined = tf.concat([h, context], -1);
    return tf.tanh(linear(joined, this.own.get('combine.weight'), this.own.get('combine.bias'))) as T;
  }

  /** One nn.GRUCell / nn.LSTMCell step; gi already holds W_ih x + b_ih. */
  private cellStep(gi: tf.Tensor2D, h: tf.Tensor2D, c: tf.Tensor2D | undefined) {
    const gh = linear(h, this.own.get('cell.weight_hh'), this.own.get('cell.bias_hh')) as tf.Tensor2D;
    if (this.cell === 'gru') {
      const [ir, iz, inn] = tf.split(gi, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const [hr, hz, hn] = tf.split(gh, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const r = tf.sigmoid(tf.add(ir, hr));
      const z = tf.sigmoid(tf.add(iz, hz));
      const n = tf.tanh(tf.add(inn, tf.mul(r, hn)));
      // (1 - z) n + z h
      return { h: tf.add(n, tf.mul(z, tf.sub(h, n))) as tf.Tensor2D, c: undefined };
    }
    if (c === undefined) throw new Error('AttentionDecoder: an LSTM step needs the cell state');
    const [i, f, g, o] = tf.split(tf.add(gi, gh), 4, 1) as [
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
    ];
    const cNext = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
    return { h: tf.mul(tf.sigmoid(o), tf.tanh(cNext)) as tf.Tensor2D, c: cNext };
  }

  private checkState(fn: string, state: DecoderState | undefined, batch: number): void {
    const want = `[${batch}, ${this.hiddenSize}]`;
    const bad = (t: unknown) =>
      !(t instanceof tf.Tensor) || t.rank !== 2 || t.shape[0] !== batch || t.shape[1] !== this.hiddenSize;
    if (state === undefined || bad(state.h))
      throw new Error(
        `${fn}: memory.state.h must be a ${want} tensor, got ${state?.h instanceof tf.Tensor ? fmt(state.h.shape) : String(state?.h)}`,
      );
    if (this.cell === 'lstm' && bad(state.c))
      throw new Error(
        `${fn}: memory.state.c must be a ${want} tensor for an LSTM decoder, got ${state.c instanceof tf.Tensor ? fmt(state.c.shape) : String(state.c)}`,
      );
  }

  /** JSON-safe options that rebuild this decoder. */
  getConfig(): Required<AttentionDecoderOptions> {
    return {
      vocabSize: this.vocabSize,
      embeddingSize: this.embeddingSize,
      hiddenSize: this.hiddenSize,
      keySize: this.keySize,
      cell: this.cell,
      attention: this.attentionKind,
      attentionSize: this.attentionSize,
      inputFeeding: this.inputFeeding,
      tieWeights: this.tieWeights,
      paddingId: this.paddingId,
      seed: this.seed,
    };
  }

  dispose(): void {
    this.own.dispose();
    this.attention.dispose();
    this.disposed = true;
  }

  private assertAlive(method: string): void {
    if (this.disposed) throw new Error(`AttentionDecoder.${method}: the decoder was disposed`);
  }
}
