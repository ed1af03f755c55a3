import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  fixtureBytes,
  fixtureJson,
  fixturePath,
  type SentencePieceFixture,
  type SpModelFixture,
} from '../__fixtures__/load_fixture.js';
import { SentencePieceBpeEncoder } from './bpe_encoder.js';
import { decodeModelProto } from './model_proto.js';
import { SentencePieceTokenizer } from './sentencepiece_tokenizer.js';
import { trainSentencePiece } from './train_sentencepiece.js';

const options = fixtureJson<{
  corpus: string;
  vocabSize: number;
  characterCoverage: number;
  userDefinedSymbols: string[];
  maxPieceLength: number;
}>('rnnkit_bpe_options.json');
const corpus = readFileSync(fixturePath(options.corpus), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);
// The 11 HELD_OUT sentences of tools/fixtures/tokenizers.py, and one C++ case for each.
const cpp = fixtureJson<SpModelFixture & { held_out: string[] }>('rnnkit_bpe_cpp.json', {
  held_out: 11,
  cases: 11,
});
const heldOut = fixtureJson<SentencePieceFixture>('sentencepiece.json', { held_out: 11 }).held_out;

describe('trainSentencePiece (BPE) against the C++ library', () => {
  const { corpus: _ignored, ...trainOptions } = options;
  const model = trainSentencePiece({ texts: corpus, ...trainOptions });

  it('retraining gives the committed rnnkit_bpe.model byte for byte (the file the C++ library was run on)', () => {
    expect(Buffer.from(model).equals(Buffer.from(fixtureBytes('rnnkit_bpe.model')))).toBe(true);
  });

  it('the C++ library (fixture) and SentencePieceBpeEncoder give the same ids, pieces and text on held-out sentences', () => {
    const enc = SentencePieceBpeEncoder.fromBytes(model);
    expect(cpp.cases.map((c) => c.text)).toEqual(heldOut);
    for (const c of cpp.cases) {
      expect(enc.encode(c.text), JSON.stringify(c.text)).toEqual(c.ids);
      expect(enc.encodePieces(c.text), JSON.stringify(c.text)).toEqual(c.pieces);
      expect(enc.decode(c.ids)).toBe(c.decoded);
    }
    expect([enc.vocabSize, enc.unkId, enc.bosId, enc.eosId, enc.padId]).toEqual([
      cpp.info.vocab_size,
      cpp.info.unk_id,
      cpp.info.bos_id,
      cpp.info.eos_id,
      cpp.info.pad_id,
    ]);
  });

  it('the C++ library as WebAssembly loads the freshly trained bytes and agrees with the fixture', async () => {
    const tok = await SentencePieceTokenizer.fromBytes(model);
    for (const c of cpp.cases) expect(tok.encode(c.text)).toEqual(c.ids);
  });

  it('the model holds vocabSize unique pieces: <unk> <s> </s>, the user symbol, merges, then characters', () => {
    const proto = decodeModelProto(model);
    expect(proto.pieces.length).toBe(options.vocabSize);
    expect(new Set(proto.pieces.map((p) => p.piece)).size).toBe(options.vocabSize);
    expect(proto.pieces.slice(0, 4).map((p) => [p.piece, p.type])).toEqual([
      ['<unk>', 'unknown'],
      ['<s>', 'control'],
      ['</s>', 'control'],
      ['<sep>', 'user_defined'],
    ]);
    expect(proto.trainerSpec.modelType).toBe('bpe');
    expect(proto.normalizerSpec.name).toBe('identity');
  });
});

describe('trainSentencePiece cross-checked live against the WASM C++ library', () => {
  const texts = [
    ...corpus.slice(0, 120),
    'Übergrößenträger äußern Ärger über Öl.',
    "Ça coûte très cher à Noël, n'est-ce pas ?",
    'Ελληνικά γράμματα και λέξεις.',
    '数字 12345 と記号 #@! を含む文。',
    'mixed   spacing\tand tabs  ',
    '😀 emoji 😀😀 runs',
  ];
  // Random strings over a small alphabet with spaces, U+2581, tabs, user symbols and unseen characters.
  let seed = 12345;
  const rand = (n: number): number =>
    Math.floor(((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * n);
  const atoms = [
    'a',
    'e',
    'i',
    'o',
    'n',
    's',
    't',
    'r',
    'l',
    'th',
    'the',
    'ion',
    ' ',
    ' ',
    '  ',
    '\u2581',
    '\t',
    '<sep>',
    '[MASK]',
    '<cls>',
    '日',
    '😀',
    'É',
    '.',
    ',',
  ];
  const randomTexts = Array.from({ length: 1000 }, () =>
    Array.from({ length: 1 + rand(30) }, () => atoms[rand(atoms.length)]).join(''),
  );
  for (const [label, opts] of [
    ['vocab 200, pad id 3, no user symbols', { vocabSize: 200, padId: 3 }],
    [
      'vocab 260, coverage 0.98 (rare characters become <unk>), maxPieceLength 4, no <s>/</s>',
      { vocabSize: 260, characterCoverage: 0.98, maxPieceLength: 4, bosId: -1, eosId: -1 },
    ],
    [
      'vocab 240, user symbols <sep> and [MASK], control <cls>, no dummy prefix',
      {
        vocabSize: 240,
        userDefinedSymbols: ['<sep>', '[MASK]'],
        controlSymbols: ['<cls>'],
        addDummyPrefix: false,
      },
    ],
  ] as const) {
    it(`${label}: TypeScript and C++ encoders agree on training, held-out and 1000 random texts`, async () => {
      const bytes = trainSentencePiece({ texts, ...opts });
      const enc = SentencePieceBpeEncoder.fromBytes(bytes);
      const wasm = await SentencePieceTokenizer.fromBytes(bytes);
      for (const t of [...texts, ...heldOut, ...randomTexts, 'x [MASK] y<sep>z <cls>', '   ']) {
        expect(enc.encode(t), JSON.stringify(t)).toEqual(wasm.encode(t));
        expect(enc.encodePieces(t), JSON.stringify(t)).toEqual(wasm.encodePieces(t));
        const ids = wasm.encode(t);
        expect(enc.decode(ids), JSON.stringify(t)).toBe(wasm.decode(ids));
      }
      expect([enc.unkId, enc.bosId, enc.eosId, enc.padId]).toEqual([
        wasm.unkId,
        wasm.bosId,
        wasm.eosId,
        wasm.padId,
      ]);
    });
  }

  it('is deterministic and reports progress', () => {
    const seen: { merges: number; targetMerges: number }[] = [];
    const a = trainSentencePiece({ texts: corpus, vocabSize: 250, onProgress: (p) => seen.push(p) });
    const b = trainSentencePiece({
      texts: (function* () {
        yield* corpus;
      })(),
      vocabSize: 250,
    }); // any iterable
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(seen.map((p) => p.merges)).toEqual([100, seen.at(-1)!.targetMerges]);
    expect(
      decodeModelProto(a).pieces.filter((p) => p.type === 'normal' && [...p.piece].length > 1).length,
    ).toBe(seen.at(-1)!.targetMerges);
  });
});

describe('trainSentencePiece bad input', () => {
  it('rejects unigram (not implemented), bad sizes and ids with messages that name the option', () => {
    expect(() => trainSentencePiece({ texts: corpus, vocabSize: 300, modelType: 'unigram' })).toThrow(
      /modelType 'unigram' is not implemented/,
    );
    expect(() => trainSentencePiece({ texts: corpus, vocabSize: 10 })).toThrow(
      /vocabSize = 10 is too small: 3 special\/user pieces and \d+ characters/,
    );
    expect(() => trainSentencePiece({ texts: ['ab ab'], vocabSize: 50 })).toThrow(
      /vocabSize = 50 is too large for these texts: only \d+ pieces/,
    );
    expect(() => trainSentencePiece({ texts: corpus, vocabSize: 300, padId: 5 })).toThrow(
      /special ids must be 0..3 without gaps/,
    );
    expect(() => trainSentencePiece({ texts: corpus, vocabSize: 0 })).toThrow(
      /vocabSize must be a positive integer, got 0/,
    );
    expect(() => trainSentencePiece({ texts: corpus, vocabSize: 300, characterCoverage: 1.5 })).toThrow(
      /characterCoverage must be in \(0, 1\], got 1.5/,
    );
    expect(() => trainSentencePiece({ texts: corpus, vocabSize: 300, userDefinedSymbols: ['a b'] })).toThrow(
      /userDefinedSymbols\[0\] = "a b" must be non-empty without spaces/,
    );
  });

  it('rejects empty corpora, non-strings and lone surrogates', () => {
    expect(() => trainSentencePiece({ texts: ['', '   '], vocabSize: 10 })).toThrow(
      /texts hold no characters/,
    );
    expect(() => trainSentencePiece({ texts: ['ok', 7 as unknown as string], vocabSize: 10 })).toThrow(
      /texts\[1\] must be a string, got number/,
    );
    expect(() => trainSentencePiece({ texts: ['ok', 'bad\uD800'], vocabSize: 10 })).toThrow(
      /texts\[1\] holds a lone UTF-16 surrogate/,
    );
    expect(() => trainSentencePiece({ texts: null as unknown as string[], vocabSize: 10 })).toThrow(
      /texts must be an iterable of strings/,
    );
  });
});
