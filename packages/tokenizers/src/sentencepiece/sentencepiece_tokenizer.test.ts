import { describe, expect, it } from 'vitest';

import {
  fixtureBytes,
  fixtureJson,
  fixturePath,
  type SentencePieceFixture,
} from '../__fixtures__/load_fixture.js';
import { SentencePieceTokenizer } from './sentencepiece_tokenizer.js';

// One case per HELD_OUT sentence of tools/fixtures/tokenizers.py.
const fixture = fixtureJson<SentencePieceFixture>('sentencepiece.json', {
  'unigram.cases': 11,
  'bpe.cases': 11,
});

describe('SentencePieceTokenizer (WASM) matches the C++ library (python3-sentencepiece 0.1.97)', () => {
  for (const kind of ['unigram', 'bpe'] as const) {
    it(`${kind}: ids, pieces and decoded text of ${fixture[kind].cases.length} held-out texts`, async () => {
      const tok = await SentencePieceTokenizer.fromBytes(fixtureBytes(`sp_${kind}.model`));
      for (const c of fixture[kind].cases) {
        expect(tok.encode(c.text), JSON.stringify(c.text)).toEqual(c.ids);
        expect(tok.encodePieces(c.text), JSON.stringify(c.text)).toEqual(c.pieces);
        expect(tok.decode(c.ids)).toBe(c.decoded);
      }
    });

    it(`${kind}: vocabSize, special ids and pieces`, async () => {
      const tok = await SentencePieceTokenizer.fromBytes(
        fixtureBytes(`sp_${kind}.model`).buffer as ArrayBuffer,
      );
      const info = fixture[kind].info;
      expect([tok.vocabSize, tok.unkId, tok.bosId, tok.eosId, tok.padId]).toEqual([
        info.vocab_size,
        info.unk_id,
        info.bos_id,
        info.eos_id,
        info.pad_id,
      ]);
      expect(Array.from({ length: tok.vocabSize }, (_, i) => tok.idToPiece(i))).toEqual(info.pieces);
      expect(tok.pieceToId(info.pieces[7]!)).toBe(7);
      expect(tok.pieceToId('no such piece')).toBe(info.unk_id);
      expect(tok.modelType).toBe(kind);
    });
  }

  it('unigram fixture has pad id 3 (trained with --pad_id=3); bpe has none', async () => {
    expect(fixture.unigram.info.pad_id).toBe(3);
    expect(fixture.bpe.info.pad_id).toBe(-1);
  });

  it('fromFile reads a .model from disk (Node)', async () => {
    const tok = await SentencePieceTokenizer.fromFile(fixturePath('sp_unigram.model'));
    expect(tok.encode(fixture.unigram.cases[0]!.text)).toEqual(fixture.unigram.cases[0]!.ids);
  });

  it('addBos / addEos wrap the ids with <s> = 1 and </s> = 2', async () => {
    const tok = await SentencePieceTokenizer.fromBytes(fixtureBytes('sp_unigram.model'));
    const c = fixture.unigram.cases[0]!;
    expect(tok.encode(c.text, { addBos: true, addEos: true })).toEqual([1, ...c.ids, 2]);
    expect(tok.decode([1, ...c.ids, 2])).toBe(c.decoded);
  });

  it('dispose frees the processor; later calls throw instead of touching freed memory', async () => {
    const tok = await SentencePieceTokenizer.fromBytes(fixtureBytes('sp_bpe.model'));
    tok.dispose();
    expect(() => tok.encode('a')).toThrow(/encode: the tokenizer was disposed/);
  });

  it('leaves no process-wide uncaughtException / unhandledRejection handlers behind', async () => {
    const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    const tok = await SentencePieceTokenizer.fromBytes(fixtureBytes('sp_bpe.model'));
    tok.encode('hello');
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual(
      before,
    );
  });
});

describe('SentencePieceTokenizer bad input', () => {
  it('empty text encodes to [] and [] decodes to ""', async () => {
    const tok = await SentencePieceTokenizer.fromBytes(fixtureBytes('sp_unigram.model'));
    expect(tok.encode('')).toEqual([]);
    expect(tok.encodePieces('')).toEqual([]);
    expect(tok.decode([])).toBe('');
  });

  it('lone surrogates throw instead of encoding garbage (the WASM wrapper turns them into a wrong code point)', async () => {
    const tok = await SentencePieceTokenizer.fromBytes(fixtureBytes('sp_unigram.model'));
    expect(() => tok.encode('ab\uD800c')).toThrow(/lone UTF-16 surrogate U\+D800 at index 2/);
    expect(() => tok.encodePieces('\uDC00')).toThrow(/lone UTF-16 surrogate U\+DC00 at index 0/);
    expect(() => tok.encode(42 as unknown as string)).toThrow(/text must be a string, got number/);
    expect(tok.encode('smile 😀').length).toBeGreaterThan(0); // a proper surrogate pair is fine
  });

  it('a very long input (200k words) encodes as the concatenation of its parts', async () => {
    const tok = await SentencePieceTokenizer.fromBytes(fixtureBytes('sp_bpe.model'));
    const one = tok.encode('You may obtain a copy of the License');
    const many = tok.encode(Array(25_000).fill('You may obtain a copy of the License').join(' '));
    expect(many.length).toBe(one.length * 25_000);
    expect(many.slice(-one.length)).toEqual(one);
  });

  it('out-of-range or non-integer ids in decode throw (the WASM wrapper would return "")', async () => {
    const tok = await SentencePieceTokenizer.fromBytes(fixtureBytes('sp_bpe.model'));
    expect(() => tok.decode([5, 300])).toThrow(/ids\[1\] = 300 is not an id in \[0, 300\)/);
    expect(() => tok.decode([-1])).toThrow(/ids\[0\] = -1/);
    expect(() => tok.decode([1.5])).toThrow(/ids\[0\] = 1.5/);
  });

  it('truncated, corrupt and empty .model files are rejected with a message', async () => {
    const good = fixtureBytes('sp_bpe.model');
    await expect(SentencePieceTokenizer.fromBytes(good.subarray(0, good.length - 7))).rejects.toThrow(
      /truncated|runs past the end/,
    );
    await expect(SentencePieceTokenizer.fromBytes(new Uint8Array(0))).rejects.toThrow(/file is empty/);
    await expect(
      SentencePieceTokenizer.fromBytes(new TextEncoder().encode('<html>not a model</html>')),
    ).rejects.toThrow(/SentencePiece model/);
    await expect(SentencePieceTokenizer.fromFile('/nonexistent/x.model')).rejects.toThrow(/ENOENT/);
    await expect(SentencePieceTokenizer.fromBytes('abc' as unknown as Uint8Array)).rejects.toThrow(
      /must be a Uint8Array or ArrayBuffer/,
    );
  });
});
