import type * as tf from '@tensorflow/tfjs-core';

import type { Seq2Seq } from '../model/seq2seq.js';
import {
  checkSource,
  countOption,
  type DecodedSequence,
  DecodingRows,
  tokenOption,
} from './decoding_rows.js';

export interface GreedyDecodeOptions {
  /** Most tokens generated per sentence (EOS included). */
  maxLength: number;
  /** The start token fed at the first step. */
  bos: number;
  /** The end token: a sentence stops when it is the most likely one. */
  eos: number;
}

/**
 * Greedy decoding: the most likely token at every step, fed back. The encoder runs and the keys are
 * projected once per batch; a sentence that produced EOS leaves the batch. One result per sentence.
 */
export async function greedyDecode(
  model: Seq2Seq,
  src: tf.Tensor2D,
  srcLengths: readonly number[] | Int32Array,
  options: GreedyDecodeOptions,
): Promise<DecodedSequence[]> {
  const fn = 'greedyDecode';
  if (options === undefined || options === null)
    throw new Error(`${fn}: options { maxLength, bos, eos } are required`);
  const lengths = checkSource(fn, src, srcLengths);
  const vocab = model.decoder.vocabSize;
  const maxLength = countOption(fn, 'maxLength', options.maxLength, 1);
  const bos = tokenOption(fn, 'bos', options.bos, vocab);
  const eos = tokenOption(fn, 'eos', options.eos, vocab);
  const srcLen = src.shape[1];
  const results: DecodedSequence[] = lengths.map(() => ({ tokens: [], score: 0, attention: [] }));
  const rows = DecodingRows.encode(model, src, lengths, 1);
  try {
    let active = lengths.map((_, b) => b); // sentence of each row
    let prev = active.map(() => bos);
    for (let t = 0; t < maxLength && active.length > 0; t++) {
      const { logProbs, attention } = await rows.step(model.decoder, prev);
      const keep: number[] = [];
      const next: number[] = [];
      active.forEach((b, r) => {
        // First maximum, as torch.argmax picks it.
        let best = 0;
        for (let w = 1; w < vocab; w++)
          if ((logProbs[r * vocab + w] as number) > (logProbs[r * vocab + best] as number)) best = w;
        const out = results[b] as DecodedSequence;
        out.score += logProbs[r * vocab + best] as number;
        out.attention.push(Array.from(attention.subarray(r * srcLen, r * srcLen + (lengths[b] as number))));
        if (best === eos) return;
        out.tokens.push(best);
        keep.push(r);
        next.push(best);
      });
      if (keep.length < active.length && keep.length > 0) rows.select(keep, true);
      active = keep.map((r) => active[r] as number);
      prev = next;
    }
  } finally {
    rows.dispose();
  }
  return results;
}
