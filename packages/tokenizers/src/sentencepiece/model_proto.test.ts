import { describe, expect, it } from 'vitest';

import { fixtureBytes, fixtureJson, type SentencePieceFixture } from '../__fixtures__/load_fixture.js';
import { decodeModelProto, encodeModelProto, resolveSpecialIds } from './model_proto.js';
import { SentencePieceTokenizer } from './sentencepiece_tokenizer.js';

// One case per HELD_OUT sentence of tools/fixtures/tokenizers.py.
const fixture = fixtureJson<SentencePieceFixture>('sentencepiece.json', {
  'unigram.cases': 11,
  'bpe.cases': 11,
});

describe('decodeModelProto / encodeModelProto', () => {
  for (const kind of ['unigram', 'bpe'] as const) {
    it(`${kind}: pieces, float32 scores and special ids equal the C++ library's view of the file`, () => {
      const model = decodeModelProto(fixtureBytes(`sp_${kind}.model`));
      const info = fixture[kind].info;
      expect(model.pieces.map((p) => p.piece)).toEqual(info.pieces);
      expect(model.pieces.map((p) => p.score)).toEqual(info.scores);
      expect(resolveSpecialIds(model)).toEqual({
        unkId: info.unk_id,
        bosId: info.bos_id,
        eosId: info.eos_id,
        padId: info.pad_id,
      });
      expect(model.trainerSpec.modelType).toBe(kind);
    });

    it(`${kind}: decode(encode(decode(file))) is unchanged`, () => {
      const model = decodeModelProto(fixtureBytes(`sp_${kind}.model`));
      const again = decodeModelProto(encodeModelProto(model));
      expect(again).toEqual(model);
    });

    // The round trip above cannot see a field the first decode drops; the C++ library can.
    it(`${kind}: encode(decode(file)) is a model the C++ library reads as the original (same ids, pieces, text)`, async () => {
      const rewritten = await SentencePieceTokenizer.fromBytes(
        encodeModelProto(decodeModelProto(fixtureBytes(`sp_${kind}.model`))),
      );
      try {
        for (const c of fixture[kind].cases) {
          expect(rewritten.encode(c.text), JSON.stringify(c.text)).toEqual(c.ids);
          expect(rewritten.encodePieces(c.text), JSON.stringify(c.text)).toEqual(c.pieces);
          expect(rewritten.decode(c.ids)).toBe(c.decoded);
        }
      } finally {
        rewritten.dispose();
      }
    });
  }

  it('reads the nmt_nfkc character map and the unigram trainer settings, including pad_id = 3', () => {
    const model = decodeModelProto(fixtureBytes('sp_unigram.model'));
    expect(model.normalizerSpec.name).toBe('nmt_nfkc');
    expect(model.normalizerSpec.precompiledCharsmap!.length).toBeGreaterThan(1000);
    expect(model.trainerSpec.padId).toBe(3);
    expect(model.trainerSpec.vocabSize).toBe(400);
  });

  it('negative int32 fields (pad_id = -1) survive a round trip as 10-byte varints', () => {
    const model = decodeModelProto(fixtureBytes('sp_bpe.model'));
    expect(model.trainerSpec.padId).toBeUndefined(); // spm_train leaves the default (-1) unwritten
    const bytes = encodeModelProto({ ...model, trainerSpec: { ...model.trainerSpec, padId: -1, bosId: -1 } });
    const again = decodeModelProto(bytes);
    expect([again.trainerSpec.padId, again.trainerSpec.bosId]).toEqual([-1, -1]);
    expect(bytes.length - encodeModelProto(model).length).toBe(2 * (2 + 10)); // two fields: 2-byte key + 10-byte varint
  });
});

describe('decodeModelProto bad input', () => {
  it('every truncation of a .model file fails with a message (or only drops the empty trailing denormalizer_spec)', () => {
    const bytes = fixtureBytes('sp_bpe.model');
    const full = decodeModelProto(bytes);
    let accepted = 0;
    for (let n = 0; n < bytes.length; n++) {
      let model;
      try {
        model = decodeModelProto(bytes.subarray(0, n));
      } catch (error) {
        expect((error as Error).message).toMatch(/^SentencePiece model: /);
        continue;
      }
      accepted++;
      expect({ ...model, denormalizerSpec: undefined }).toEqual({ ...full, denormalizerSpec: undefined });
    }
    expect(accepted).toBeLessThanOrEqual(2);
  });

  it('corrupt bytes fail with a message naming the problem', () => {
    expect(() => decodeModelProto(new Uint8Array(0))).toThrow(/file is empty/);
    expect(() => decodeModelProto(new TextEncoder().encode('PK\u0003\u0004 zip file'))).toThrow(
      /not a valid ModelProto|has no/,
    );
    expect(() => decodeModelProto(Uint8Array.from([0x0a, 0x05, 0x0a, 0x03, 0xff, 0xfe, 0xfd]))).toThrow(
      /not valid UTF-8/,
    );
    expect(() => decodeModelProto(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]))).toThrow(
      /runs past the end/,
    );
    const bytes = fixtureBytes('sp_bpe.model').slice();
    bytes[1] = 0xff; // first piece's length now overruns its message
    expect(() => decodeModelProto(bytes)).toThrow(/SentencePiece model: /);
  });

  it('a model without <unk> or with a duplicated piece is rejected like the C++ loader does', () => {
    const model = decodeModelProto(fixtureBytes('sp_bpe.model'));
    expect(() => encodeModelProto({ ...model, pieces: model.pieces.slice(1) })).toThrow(
      /has no unknown piece/,
    );
    expect(() => encodeModelProto({ ...model, pieces: [...model.pieces, model.pieces[10]!] })).toThrow(
      /defined twice/,
    );
    expect(() => decodeModelProto('nope' as unknown as Uint8Array)).toThrow(
      /must be a Uint8Array or ArrayBuffer/,
    );
  });
});
