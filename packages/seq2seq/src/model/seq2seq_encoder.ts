import * as tf from '@tensorflow/tfjs-core';
import { GRU, LSTM } from '@rnnkit/rnn-layers';
import { checkOptions, optionKeys, SeededRandom } from '@rnnkit/tensor-core';

import { linear } from '../attention/linear.js';
import { positiveSize, seedOption } from '../attention/attention_module.js';
import { checkTokenIds, embeddingLookup } from './embedding_lookup.js';
import { cloneStateDict, NamedParameters } from './named_parameters.js';

export type Seq2SeqCell = 'gru' | 'lstm';
/** How the encoder's final states become the decoder's initial state. */
export type EncoderBridge = 'concat' | 'sum';

export interface Seq2SeqEncoderOptions {
  vocabSize: number;
  embeddingSize: number;
  hiddenSize: number;
  /** Default 'gru'. */
  cell?: Seq2SeqCell;
  /** Default 1. */
  numLayers?: number;
  /** Default false. */
  bidirectional?: boolean;
  /** Dropout between recurrent layers while training; default 0. */
  dropout?: number;
  /** Token id of padding (zero embedding, no gradient), or null; default 0. */
  paddingId?: number | null;
  /**
   * 'concat' (default): the last layer's final states of both directions (of the one direction when
   * unidirectional), concatenated, through a linear layer (+ tanh for h; the LSTM cell state is
   * unbounded, so c gets no tanh). 'sum': the directions' states added (unidirectional: passed as they
   * are), no parameters; needs decoderHiddenSize = hiddenSize.
   */
  bridge?: EncoderBridge;
  /** Features of the decoder state the bridge produces; default hiddenSize. */
  decoderHiddenSize?: number;
  seed?: number;
}

const OPTIONS = optionKeys<Seq2SeqEncoderOptions>({
  vocabSize: true,
  embeddingSize: true,
  hiddenSize: true,
  cell: true,
  numLayers: true,
  bidirectional: true,
  dropout: true,
  paddingId: true,
  bridge: true,
  decoderHiddenSize: true,
  seed: true,
});

export interface DecoderState {
  /** [batch, decoderHiddenSize]. */
  h: tf.Tensor2D;
  /** LSTM only. */
  c?: tf.Tensor2D;
}

export interface Seq2SeqEncoderOutput {
  /** [batch, srcLen, hiddenSize * directions]; zero past each sequence's length (packed semantics). */
  outputs: tf.Tensor3D;
  /** [numLayers * directions, batch, hiddenSize], PyTorch's h_n. */
  hN: tf.Tensor3D;
  /** LSTM only, PyTorch's c_n. */
  cN?: tf.Tensor3D;
  /** The bridge's result: the decoder's initial state. */
  decoderState: DecoderState;
}

/** Checks `lengths` for a padded batch of `batch` sequences of length `srcLen`. */
export function checkLengths(fn: string, name: string, lengths: unknown, batch: number, srcLen: number) {
  if (!Array.isArray(lengths) && !(lengths instanceof Int32Array))
    throw new Error(`${fn}: ${name} must be an array of ${batch} lengths`);
  if (lengths.length !== batch)
    throw new Error(`${fn}: ${name} has ${lengths.length} entries, expected batch = ${batch}`);
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    const n: unknown = lengths[b];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > srcLen)
      throw new Error(`${fn}: ${name}[${b}] = ${String(n)} must be an integer in [1, ${srcLen}]`);
    out.push(n);
  }
  return out;
}

/**
 * Embedding + (bi)directional multi-layer GRU or LSTM (rnn-layers' fused, PyTorch-exact layers) over
 * padded batches with lengths, and the bridge to a decoder's initial state. State-dict names follow a
 * PyTorch module with children `embedding`, `rnn`, `bridge_h`, `bridge_c`.
 *
 * Why 'concat' is the default bridge: the two directions read the source from opposite ends, so a
 * learned mix keeps what each knows (a sum forces them into one space) and lets the decoder's size
 * differ from the encoder's.
 */
export class Seq2SeqEncoder {
  readonly vocabSize: number;
  readonly embeddingSize: number;
  readonly hiddenSize: number;
  readonly cell: Seq2SeqCell;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly dropout: number;
  readonly paddingId: number | null;
  readonly bridge: EncoderBridge;
  readonly decoderHiddenSize: number;
  readonly seed: number;
  private readonly own: NamedParameters;
  private readonly rnn: GRU | LSTM;
  private disposed = false;

  constructor(given: Seq2SeqEncoderOptions) {
    const fn = 'Seq2SeqEncoder';
    if (given === undefined)
      throw new TypeError(
        `${fn}: options are required, e.g. new Seq2SeqEncoder({ vocabSize: 8000, embeddingSize: 256, hiddenSize: 256 })`,
      );
    const o = checkOptions(fn, given, OPTIONS);
    this.vocabSize = positiveSize(fn, 'vocabSize', o.vocabSize);
    this.embeddingSize = positiveSize(fn, 'embeddingSize', o.embeddingSize);
    this.hiddenSize = positiveSize(fn, 'hiddenSize', o.hiddenSize);
    this.cell = o.cell ?? 'gru';
    if (this.cell !== 'gru' && this.cell !== 'lstm')
      throw new Error(`${fn}: options.cell must be 'gru' or 'lstm', got ${String(o.cell)}`);
    this.numLayers = o.numLayers === undefined ? 1 : positiveSize(fn, 'numLayers', o.numLayers);
    this.bidirectional = o.bidirectional ?? false;
    if (typeof this.bidirectional !== 'boolean')
      throw new Error(`${fn}: options.bidirectional must be a boolean, got ${String(o.bidirectional)}`);
    this.dropout = o.dropout ?? 0;
    this.paddingId = o.paddingId === undefined ? 0 : o.paddingId;
    if (
      this.paddingId !== null &&
      (!Number.isInteger(this.paddingId) || this.paddingId < 0 || this.paddingId >= this.vocabSize)
    )
      throw new Error(
        `${fn}: options.paddingId must be null or an integer in [0, ${this.vocabSize}), got ${String(this.paddingId)}`,
      );
    this.bridge = o.bridge ?? 'concat';
    if (this.bridge !== 'concat' && this.bridge !== 'sum')
      throw new Error(`${fn}: options.bridge must be 'concat' or 'sum', got ${String(o.bridge)}`);
    this.decoderHiddenSize =
      o.decoderHiddenSize === undefined
        ? this.hiddenSize
        : positiveSize(fn, 'decoderHiddenSize', o.decoderHiddenSize);
    if (this.bridge === 'sum' && this.decoderHiddenSize !== this.hiddenSize)
      throw new Error(
        `${fn}: bridge 'sum' needs decoderHiddenSize = hiddenSize, got ${this.decoderHiddenSize} and ${this.hiddenSize}`,
      );
    this.seed = seedOption(fn, o.seed);
    const random = new SeededRandom(this.seed);
    this.own = new NamedParameters(fn);
    this.own.addEmbedding('embedding.weight', [this.vocabSize, this.embeddingSize], this.paddingId, random);
    const Layer = this.cell === 'gru' ? GRU : LSTM;
    this.rnn = new Layer({
      inputSize: this.embeddingSize,
      hiddenSize: this.hiddenSize,
      numLayers: this.numLayers,
      bidirectional: this.bidirectional,
      dropout: this.dropout,
      batchFirst: true,
      seed: this.seed + 1,
    });
    if (this.bridge === 'concat') {
      const inFeatures = this.hiddenSize * this.numDirections;
      const bound = 1 / Math.sqrt(inFeatures);
      for (const s of this.cell === 'lstm' ? ['h', 'c'] : ['h']) {
        this.own.addUniform(`bridge_${s}.weight`, [this.decoderHiddenSize, inFeatures], bound, random);
        this.own.addUniform(`bridge_${s}.bias`, [this.decoderHiddenSize], bound, random);
      }
    }
  }

  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Features per source position of `outputs` (the attention keys). */
  get outputSize(): number {
    return this.hiddenSize * this.numDirections;
  }

  /** [PyTorch name, variable] pairs in named_parameters() order. */
  namedParameters(): Array<[string, tf.Variable]> {
    this.assertAlive('namedParameters');
    const own = this.own.entries();
    const rnn = this.rnn.namedParameters().map(([n, v]): [string, tf.Variable] => [`rnn.${n}`, v]);
    // PyTorch's order: embedding, rnn, bridge.
    return [...own.slice(0, 1), ...rnn, ...own.slice(1)];
  }

  parameters(): tf.Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /** Copies of the parameters under their PyTorch state_dict names; the caller owns them. */
  stateDict(): Record<string, tf.Tensor> {
    return cloneStateDict(this.namedParameters());
  }

  /** Loads exactly this encoder's keys and shapes, all checked before anything is written. */
  loadStateDict(state: Record<string, tf.Tensor>): void {
    const fn = 'Seq2SeqEncoder.loadStateDict';
    this.assertAlive('loadStateDict');
    NamedParameters.check(
      fn,
      state,
      this.namedParameters().map(([n, v]) => [n, v.shape]),
    );
    this.own.assign(state);
    const rnnState: Record<string, tf.Tensor> = {};
    for (const [n] of this.rnn.namedParameters()) rnnState[n] = state[`rnn.${n}`] as tf.Tensor;
    this.rnn.loadStateDict(rnnState);
  }

  /**
   * src [batch, srcLen] int32 token ids, padded; lengths: valid tokens per sequence, in [1, srcLen].
   * The caller owns every returned tensor.
   */
  forward(
    src: tf.Tensor2D,
    lengths: readonly number[] | Int32Array,
    options: { training?: boolean } = {},
  ): Seq2SeqEncoderOutput {
    const fn = 'Seq2SeqEncoder.forward';
    this.assertAlive('forward');
    checkTokenIds(fn, 'src', src, this.vocabSize);
    const [batch, srcLen] = src.shape;
    const checked = checkLengths(fn, 'lengths', lengths, batch, srcLen);
    return tf.tidy(() => {
      const table = this.own.get('embedding.weight') as tf.Tensor2D;
      const flat = embeddingLookup(table, tf.reshape(src, [-1]), this.paddingId);
      const embedded = tf.reshape(flat, [batch, srcLen, this.embeddingSize]);
      const r = this.rnn.forward(embedded, { lengths: checked, training: options.training === true });
      const hN = r.hN as tf.Tensor3D;
      const cN = (r as { cN?: tf.Tensor }).cN as tf.Tensor3D | undefined;
      const decoderState: DecoderState = { h: this.bridgeState('h', hN) };
      if (cN !== undefined) decoderState.c = this.bridgeState('c', cN);
      const out: Seq2SeqEncoderOutput = { outputs: r.output as tf.Tensor3D, hN, decoderState };
      if (cN !== undefined) out.cN = cN;
      return out as unknown as tf.TensorContainer;
    }) as unknown as Seq2SeqEncoderOutput;
  }

  /** The last layer's final states of every direction, bridged to [batch, decoderHiddenSize]. */
  private bridgeState(which: 'h' | 'c', states: tf.Tensor3D): tf.Tensor2D {
    const dirs = this.numDirections;
    const [, batch, hidden] = states.shape;
    const last = tf.slice(states, [(this.numLayers - 1) * dirs, 0, 0], [dirs, batch, hidden]);
    if (this.bridge === 'sum') return tf.sum(last, 0);
    // [dirs, batch, H] → [batch, dirs * H], forward direction first as PyTorch's cat would give.
    const joined = tf.reshape(tf.transpose(last, [1, 0, 2]), [batch, dirs * hidden]);
    const y = linear(joined, this.own.get(`bridge_${which}.weight`), this.own.get(`bridge_${which}.bias`));
    return (which === 'h' ? tf.tanh(y) : y) as tf.Tensor2D;
  }

  /** JSON-safe options that rebuild this encoder. */
  getConfig(): Required<Seq2SeqEncoderOptions> {
    return {
      vocabSize: this.vocabSize,
      embeddingSize: this.embeddingSize,
      hiddenSize: this.hiddenSize,
      cell: this.cell,
      numLayers: this.numLayers,
      bidirectional: this.bidirectional,
      dropout: this.dropout,
      paddingId: this.paddingId,
      bridge: this.bridge,
      decoderHiddenSize: this.decoderHiddenSize,
      seed: this.seed,
    };
  }

  dispose(): void {
    this.own.dispose();
    this.rnn.dispose();
    this.disposed = true;
  }

  private assertAlive(method: string): void {
    if (this.disposed) throw new Error(`Seq2SeqEncoder.${method}: the encoder was disposed`);
  }
}
