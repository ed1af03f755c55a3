import * as tf from '@tensorflow/tfjs-core';

import type { AttentionDecoderOptions } from './attention_decoder.js';
import { AttentionDecoder } from './attention_decoder.js';
import type { Seq2SeqEncoderOptions } from './seq2seq_encoder.js';
import { Seq2SeqEncoder } from './seq2seq_encoder.js';
import { cloneStateDict, NamedParameters } from './named_parameters.js';
import type { Seq2SeqArtifacts } from './seq2seq_artifacts.js';
import { loadSeq2Seq, saveSeq2Seq, seq2seqFromArtifacts, seq2seqToArtifacts } from './seq2seq_artifacts.js';
import type { SequenceCrossEntropyOptions } from './sequence_cross_entropy.js';
import { sequenceCrossEntropy } from './sequence_cross_entropy.js';

export interface Seq2SeqOptions {
  encoder: Seq2SeqEncoderOptions;
  /** `keySize` defaults to the encoder's output size (hiddenSize × directions). */
  decoder: Omit<AttentionDecoderOptions, 'keySize'> & { keySize?: number };
}

export interface Seq2SeqConfig {
  encoder: Required<Seq2SeqEncoderOptions>;
  decoder: Required<AttentionDecoderOptions>;
}

export interface Seq2SeqOutput {
  /** [batch, tgtLen, vocabSize]. */
  logits: tf.Tensor3D;
  /** [batch, tgtLen, srcLen]. */
  attention: tf.Tensor3D;
}

/**
 * The attention encoder-decoder: `Seq2SeqEncoder` + `AttentionDecoder`, with state-dict names of a
 * PyTorch module with children `encoder` and `decoder`.
 */
export class Seq2Seq {
  readonly encoder: Seq2SeqEncoder;
  readonly decoder: AttentionDecoder;

  constructor(options: Seq2SeqOptions) {
    const fn = 'Seq2Seq';
    if (options === undefined || options === null || typeof options !== 'object')
      throw new TypeError(`${fn}: options { encoder, decoder } are required`);
    if (options.encoder === undefined) throw new TypeError(`${fn}: options.encoder is required`);
    if (options.decoder === undefined) throw new TypeError(`${fn}: options.decoder is required`);
    this.encoder = new Seq2SeqEncoder(options.encoder);
    const keySize = options.decoder.keySize ?? this.encoder.outputSize;
    if (keySize !== this.encoder.outputSize) {
      this.encoder.dispose();
      throw new Error(
        `${fn}: options.decoder.keySize = ${keySize} but the encoder outputs ${this.encoder.outputSize} features`,
      );
    }
    const decoderHidden = this.encoder.getConfig().decoderHiddenSize;
    if (options.decoder.hiddenSize !== decoderHidden) {
      this.encoder.dispose();
      throw new Error(
        `${fn}: options.decoder.hiddenSize = ${String(options.decoder.hiddenSize)} but the encoder's bridge gives ${decoderHidden} (options.encoder.decoderHiddenSize)`,
      );
    }
    this.decoder = new AttentionDecoder({ ...options.decoder, keySize });
  }

  /** Teacher-forced logits and attention; src [batch, srcLen], tgtIn [batch, tgtLen] int32. */
  forward(
    src: tf.Tensor2D,
    srcLengths: readonly number[] | Int32Array,
    tgtIn: tf.Tensor2D,
    options: { training?: boolean } = {},
  ): Seq2SeqOutput {
    const fn = 'Seq2Seq.forward';
    if (src instanceof tf.Tensor && tgtIn instanceof tf.Tensor && src.shape[0] !== tgtIn.shape[0])
      throw new Error(
        `${fn}: src has batch ${src.shape[0]} but tgtIn has batch ${tgtIn.shape[0]} (source and target batches differ)`,
      );
    return tf.tidy(() => {
      const enc = this.encoder.forward(src, srcLengths, options);
      const out = this.decoder.forward(tgtIn, {
        outputs: enc.outputs,
        lengths: srcLengths,
        state: enc.decoderState,
      });
      return out as unknown as tf.TensorContainer;
    }) as unknown as Seq2SeqOutput;
  }

  /** The masked, optionally label-smoothed cross-entropy of `forward`'s logits against tgtOut. */
  loss(
    src: tf.Tensor2D,
    srcLengths: readonly number[] | Int32Array,
    tgtIn: tf.Tensor2D,
    tgtOut: tf.Tensor2D,
    options: SequenceCrossEntropyOptions & { training?: boolean } = {},
  ): tf.Scalar {
    const { training, ...ce } = options;
    return tf.tidy(() => {
      const { logits } = this.forward(src, srcLengths, tgtIn, { training: training === true });
      return sequenceCrossEntropy(logits, tgtOut, ce);
    });
  }

  namedParameters(): Array<[string, tf.Variable]> {
    return [
      ...this.encoder.namedParameters().map(([n, v]): [string, tf.Variable] => [`encoder.${n}`, v]),
      ...this.decoder.namedParameters().map(([n, v]): [string, tf.Variable] => [`decoder.${n}`, v]),
    ];
  }

  parameters(): tf.Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /** Copies of the parameters under their PyTorch names (`encoder.…`, `decoder.…`); the caller owns them. */
  stateDict(): Record<string, tf.Tensor> {
    return cloneStateDict(this.namedParameters());
  }

  /** Loads exactly this model's keys and shapes, all checked before anything is written. */
  loadStateDict(state: Record<string, tf.Tensor>): void {
    NamedParameters.check(
      'Seq2Seq.loadStateDict',
      state,
      this.namedParameters().map(([n, v]) => [n, v.shape]),
    );
    const part = (prefix: string) => {
      const out: Record<string, tf.Tensor> = {};
      for (const [n, t] of Object.entries(state)) if (n.startsWith(prefix)) out[n.slice(prefix.length)] = t;
      return out;
    };
    this.encoder.loadStateDict(part('encoder.'));
    this.decoder.loadStateDict(part('decoder.'));
  }

  /** JSON-safe options that rebuild this model. */
  getConfig(): Seq2SeqConfig {
    return { encoder: this.encoder.getConfig(), decoder: this.decoder.getConfig() };
  }

  /** The whole model as data: `getConfig()` with a format name/version, and safetensors under the state-dict names. */
  toArtifacts(): Promise<Seq2SeqArtifacts> {
    return seq2seqToArtifacts(this);
  }

  /** Rebuilds a model from `toArtifacts()`; the format, config and every tensor's name and shape are checked first. */
  static fromArtifacts(artifacts: Seq2SeqArtifacts): Seq2Seq {
    return seq2seqFromArtifacts(artifacts, (options) => new Seq2Seq(options));
  }

  /** Writes `dir/config.json` and `dir/weights.safetensors` atomically (Node only). */
  save(dir: string): Promise<void> {
    return saveSeq2Seq(this, dir);
  }

  /** Reads a model written by `save` (Node only). */
  static load(dir: string): Promise<Seq2Seq> {
    return loadSeq2Seq(dir, (artifacts) => Seq2Seq.fromArtifacts(artifacts));
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}
