import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { fixtureBytes } from '../__fixtures__/load_fixture.js';
import { CharVocabulary } from '../char/char_vocabulary.js';
import { SentencePieceBpeEncoder } from '../sentencepiece/bpe_encoder.js';
import { SentencePieceTokenizer } from '../sentencepiece/sentencepiece_tokenizer.js';
import { Tokenizer } from '../word/tokenizer.js';
import { encodeBatch, padBatch, type EncodedBatch } from './encode_batch.js';

async function arrays(
  batch: EncodedBatch,
): Promise<{ ids: number[][]; mask: number[][]; lengths: number[] }> {
  const out = {
    ids: await batch.inputIds.array(),
    mask: await batch.attentionMask.array(),
    lengths: await batch.lengths.array(),
  };
  tf.dispose([batch.inputIds, batch.attentionMask, batch.lengths]);
  return out;
}

describe('padBatch', () => {
  it('hand-checked: post padding with pad id 0 and a mask of ones over real tokens', () => {
    expect(padBatch([[5, 6, 7], [8], []])).toEqual({
      ids: [
        [5, 6, 7],
        [8, 0, 0],
        [0, 0, 0],
      ],
      attentionMask: [
        [1, 1, 1],
        [1, 0, 0],
        [0, 0, 0],
      ],
      lengths: [3, 1, 0],
    });
  });

  it('pre padding, pre truncation, custom pad id', () => {
    expect(
      padBatch([[1, 2, 3, 4], [9]], { maxLength: 2, padding: 'pre', truncating: 'pre', padId: -1 }),
    ).toEqual({
      ids: [
        [3, 4],
        [-1, 9],
      ],
      attentionMask: [
        [1, 1],
        [0, 1],
      ],
      lengths: [2, 1],
    });
  });

  it('rejects bad ids and options with their position', () => {
    expect(() => padBatch([[1], [2, 3.5]])).toThrow(/sequences\[1\]\[1\] = 3.5 is not an int32 id/);
    expect(() => padBatch([[1]], { maxLength: 0 })).toThrow(/maxLength must be a positive integer, got 0/);
    expect(() => padBatch([[1]], { padding: 'middle' as 'pre' })).toThrow(/padding must be 'pre' or 'post'/);
  });
});

describeWithBackends('encodeBatch', () => {
  const vocab = new CharVocabulary({ alphabet: 'abc ', specials: ['pad', 'unk'] });

  it('returns int32 ids, mask and lengths tensors and leaks nothing else', async () => {
    const before = tf.memory().numTensors;
    const batch = encodeBatch(['abc', 'a', ''], vocab, { maxLength: 4 });
    expect(tf.memory().numTensors).toBe(before + 3);
    expect(batch.inputIds.shape).toEqual([3, 4]);
    expect(batch.inputIds.dtype).toBe('int32');
    expect(await batch.inputIds.array()).toEqual([
      [2, 3, 4, 0],
      [2, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(await batch.attentionMask.array()).toEqual([
      [1, 1, 1, 0],
      [1, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(await batch.lengths.array()).toEqual([3, 1, 0]);
    tf.dispose([batch.inputIds, batch.attentionMask, batch.lengths]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('accepts a plain function as encoder and an empty batch', async () => {
    const batch = encodeBatch(['ab', 'abc'], (t) => vocab.encode(t, {}), { padId: vocab.padId });
    expect(await batch.lengths.array()).toEqual([2, 3]);
    const empty = encodeBatch([], vocab);
    expect(empty.inputIds.shape).toEqual([0, 0]);
    tf.dispose([
      batch.inputIds,
      batch.attentionMask,
      batch.lengths,
      empty.inputIds,
      empty.attentionMask,
      empty.lengths,
    ]);
  });

  it('rejects a missing encoder', () => {
    expect(() => encodeBatch(['a'], {} as unknown as (t: string) => number[])).toThrow(
      /encoder must be a function, an object with an encode\(text\) method/,
    );
  });

  it('accepts the word-level Tokenizer (through textsToSequences)', async () => {
    const tok = new Tokenizer({ oovToken: '<OOV>' }).fitOnTexts(['the cat sat', 'the dog']);
    const texts = ['The cat sat.', 'a dog'];
    const expected = tok.textsToSequences(texts); // [[2, 3, 4], [1, 5]]
    const got = await arrays(encodeBatch(texts, tok));
    expect(got.ids).toEqual([expected[0], [...expected[1]!, 0]]);
    expect(got.mask).toEqual([
      [1, 1, 1],
      [1, 1, 0],
    ]);
    expect(got.lengths).toEqual([3, 2]);
  });

  it('accepts CharVocabulary, SentencePieceTokenizer and SentencePieceBpeEncoder (through encode)', async () => {
    const bytes = fixtureBytes('sp_bpe.model');
    const wasm = await SentencePieceTokenizer.fromBytes(bytes);
    const encoders: [string, { encode(text: string): number[] }][] = [
      ['CharVocabulary', vocab],
      ['SentencePieceTokenizer', wasm],
      ['SentencePieceBpeEncoder', SentencePieceBpeEncoder.fromBytes(bytes)],
    ];
    const texts = ['abc a', 'cab'];
    for (const [name, encoder] of encoders) {
      const expected = texts.map((t) => encoder.encode(t));
      const width = Math.max(...expected.map((e) => e.length));
      const got = await arrays(encodeBatch(texts, encoder));
      expect(got.lengths, name).toEqual(expected.map((e) => e.length));
      expect(got.ids, name).toEqual(
        expected.map((e) => [...e, ...new Array<number>(width - e.length).fill(0)]),
      );
    }
    wasm.dispose();
  });
});
