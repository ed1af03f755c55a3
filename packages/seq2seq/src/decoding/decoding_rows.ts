import * as tf from '@tensorflow/tfjs-core';

import { AttentionDecoder, type DecoderKeys, type DecoderStepState } from '../model/attention_decoder.js';
import type { Seq2Seq } from '../model/seq2seq.js';

/** One decoded sequence: token ids (without BOS and EOS), its score and its attention. */
export interface DecodedSequence {
  tokens: number[];
  /** The sum of the token log-probabilities (beam search: with its length and coverage penalties). */
  score: number;
  /**
   * One row per decoding step over the sentence's valid source positions: tokens.length rows, plus one
   * for the step that produced EOS when the sequence ended with it.
   */
  attention: number[][];
}

/** Shared checks of the decoding functions: ids in the target vocabulary, positive integers. */
export function tokenOption(fn: string, name: string, value: unknown, vocabSize: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= vocabSize)
    throw new Error(`${fn}: options.${name} must be a token id in [0, ${vocabSize}), got ${String(value)}`);
  return value;
}

export function countOption(fn: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new Error(`${fn}: options.${name} must be an integer ≥ ${min}, got ${String(value)}`);
  return value;
}

/**
 * The device side of a search: the decoder state and the encoder keys, one row per live hypothesis.
 * Every tensor here is owned by the search; `select` replaces them by the given rows.
 */
export class DecodingRows {
  state: DecoderStepState;
  keys: DecoderKeys;

  private constructor(state: DecoderStepState, keys: DecoderKeys) {
    this.state = state;
    this.keys = keys;
  }

  /** Encodes the batch once (keys projected once) and repeats each sentence's rows `repeat` times. */
  static encode(
    model: Seq2Seq,
    src: tf.Tensor2D,
    srcLengths: readonly number[] | Int32Array,
    repeat: number,
  ): DecodingRows {
    const enc = model.encoder.forward(src, srcLengths);
    tf.dispose([enc.hN, enc.cN].filter((t): t is tf.Tensor3D => t !== undefined));
    const rows = new DecodingRows(enc.decoderState, model.decoder.prepareKeys(enc.outputs, srcLengths));
    if (repeat > 1) {
      const batch = src.shape[0];
      rows.select(
        Array.from({ length: batch * repeat }, (_, i) => Math.floor(i / repeat)),
        true,
      );
    }
    return rows;
  }

  /** Keeps rows `indices` (in that order); `keys` too unless only the state changed rows. */
  select(indices: readonly number[], keys: boolean): void {
    const idx = tf.tensor1d(Array.from(indices), 'int32');
    const take = <T extends tf.Tensor>(t: T): T => {
      const out = tf.gather(t, idx) as T;
      t.dispose();
      return out;
    };
    const s = this.state;
    const next: DecoderStepState = { h: take(s.h) };
    if (s.c !== undefined) next.c = take(s.c);
    if (s.feed !== undefined) next.feed = take(s.feed);
    this.state = next;
    if (keys) {
      const k = this.keys;
      this.keys = {
        values: take(k.values),
        projected: take(k.projected),
        mask: k.mask === null ? null : take(k.mask),
      };
    }
    idx.dispose();
  }

  /** One decoder step for every row; the new state replaces the old one. */
  async step(
    decoder: AttentionDecoder,
    prevTokens: readonly number[],
  ): Promise<{ logProbs: Float32Array; attention: Float32Array }> {
    const prev = tf.tensor1d(Array.from(prevTokens), 'int32');
    const out = decoder.step(prev, this.state, this.keys);
    prev.dispose();
    this.disposeState();
    this.state = out.state;
    const [logProbs, attention] = await Promise.all([out.logProbs.data(), out.attention.data()]);
    tf.dispose([out.logProbs, out.attention]);
    return { logProbs: logProbs as Float32Array, attention: attention as Float32Array };
  }

  private disposeState(): void {
    const s = this.state;
    tf.dispose([s.h, s.c, s.feed].filter((t): t is tf.Tensor2D => t !== undefined));
  }

  dispose(): void {
    this.disposeState();
    this.keys.values.dispose();
    AttentionDecoder.disposeKeys(this.keys);
  }
}

/** Checks src and srcLengths against each other before any work. */
export function checkSource(fn: string, src: unknown, srcLengths: unknown): number[] {
  if (!(src instanceof tf.Tensor) || src.rank !== 2 || src.dtype !== 'int32')
    throw new Error(`${fn}: src must be a [batch, srcLen] int32 tensor`);
  if (!Array.isArray(srcLengths) && !(srcLengths instanceof Int32Array))
    throw new Error(`${fn}: srcLengths must be a number[] or Int32Array`);
  const [batch, srcLen] = src.shape as [number, number];
  if (srcLengths.length !== batch)
    throw new Error(
      `${fn}: srcLengths has ${srcLengths.length} entries but src has batch ${batch} (batch mismatch)`,
    );
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    const n: unknown = srcLengths[b];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > srcLen)
      throw new Error(`${fn}: srcLengths[${b}] = ${String(n)} must be an integer in [1, ${srcLen}]`);
    out.push(n);
  }
  return out;
}
