import { describe, expect, it } from 'vitest';

import { fixtureBytes, fixtureJson, type SentencePieceFixture } from '../__fixtures__/load_fixture.js';
import { SentencePieceBpeEncoder } from './bpe_encoder.js';

// One case per HELD_OUT sentence of tools/fixtures/tokenizers.py.
const fixture = fixtureJson<SentencePieceFixture>('sentencepiece.json', { 'bpe.cases': 11 });

describe('SentencePieceBpeEncoder (TypeScript) on a spm_train BPE model', () => {
  const enc = SentencePieceBpeEncoder.fromBytes(fixtureBytes('sp_bpe.model'));

  it('ids, pieces and decoded text equal the C++ library on held-out texts (unknown runs merged, <sep> kept whole)', () => {
    for (const c of fixture.bpe.cases) {
      expect(enc.encode(c.text), JSON.stringify(c.text)).toEqual(c.ids);
      expect(enc.encodePieces(c.text), JSON.stringify(c.text)).toEqual(c.pieces);
      expect(enc.decode(c.ids)).toBe(c.decoded);
    }
  });

  it('hand-checked: "contributors<sep>" keeps the user-defined symbol <sep> as one piece', () => {
    expect(enc.encodePieces('contributors<sep>')).toEqual(['▁con', 'tributor', 's', '<sep>']);
  });

  it('special ids equal the C++ library', () => {
    const info = fixture.bpe.info;
    expect([enc.vocabSize, enc.unkId, enc.bosId, enc.eosId, enc.padId]).toEqual([
      info.vocab_size,
      info.unk_id,
      info.bos_id,
      info.eos_id,
      info.pad_id,
    ]);
  });

  it('gives the C++ ids from a cold and from a warm word cache, which callers cannot alter', () => {
    const cold = SentencePieceBpeEncoder.fromBytes(fixtureBytes('sp_bpe.model'));
    const texts = fixture.bpe.cases.map((c) => c.text);
    const expected = fixture.bpe.cases.map((c) => c.ids);
    const first = texts.map((t) => cold.encode(t)); // every word encoded, then cached
    expect(first).toEqual(expected);
    for (const ids of first) ids.fill(-1); // a cache handing out its own arrays would now be corrupt
    expect(texts.map((t) => cold.encode(t))).toEqual(expected);
    expect(texts.map((t) => cold.encodePieces(t))).toEqual(fixture.bpe.cases.map((c) => c.pieces));
  });

  it('refuses models it cannot reproduce exactly (NFKC character map) with a pointer to SentencePieceTokenizer', () => {
    expect(() => SentencePieceBpeEncoder.fromBytes(fixtureBytes('sp_unigram.model'))).toThrow(
      /model_type is 'unigram', not 'bpe'.*SentencePieceTokenizer/,
    );
  });

  it('lone surrogates and non-strings throw', () => {
    expect(() => enc.encode('x\uDBFF')).toThrow(/lone UTF-16 surrogate U\+DBFF at index 1/);
    expect(() => enc.decode([9999])).toThrow(/ids\[0\] = 9999 is not an id in \[0, 300\)/);
  });
});
