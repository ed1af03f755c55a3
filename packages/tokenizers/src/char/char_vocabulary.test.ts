import { describe, expect, it } from 'vitest';

import { CharVocabulary } from './char_vocabulary.js';

describe('CharVocabulary', () => {
  const ctc = new CharVocabulary({
    alphabet: " abcdefghijklmnopqrstuvwxyz'",
    specials: ['blank', 'unk'],
    lowercase: true,
  });

  it('hand-checked ids: blank = 0, unk = 1, " " = 2, "a" = 3; "Hi!" -> h, i, unk', () => {
    expect([ctc.blankId, ctc.unkId, ctc.padId, ctc.size]).toEqual([0, 1, -1, 30]);
    expect(ctc.encode('A b')).toEqual([3, 2, 4]);
    expect(ctc.encode('Hi!')).toEqual([10, 11, 1]);
  });

  it('encode/decode round-trips text inside the alphabet (after lower-casing)', () => {
    const text = "It's a small world";
    expect(ctc.decode(ctc.encode(text))).toBe(text.toLowerCase());
  });

  it('CTC greedy decoding merges repeats and drops blanks: "aa_ab__bb" -> "aabb"', () => {
    const [a, b] = ctc.encode('ab');
    expect(ctc.decode([a!, a!, 0, a!, b!, 0, 0, b!, b!], { ctc: true })).toBe('aabb');
  });

  it('specials print only when asked; bos/eos wrap the ids', () => {
    const v = new CharVocabulary({ alphabet: 'ab', specials: ['pad', 'unk', 'bos', 'eos'] });
    expect(v.encode('ab', { addBos: true, addEos: true })).toEqual([2, 4, 5, 3]);
    expect(v.decode([2, 4, 5, 3, 0, 1])).toBe('ab');
    expect(v.decode([2, 4, 5, 3, 0, 1], { skipSpecials: false })).toBe('<s>ab</s><pad><unk>');
  });

  it('NFKC normalisation maps the "ﬁ" ligature and full-width letters into the alphabet; it also composes e + U+0301 into é', () => {
    const v = new CharVocabulary({
      alphabet: 'abcdefghijklmnopqrstuvwxyzé ',
      normalization: 'NFKC',
      lowercase: true,
    });
    expect(v.decode(v.encode('ﬁＮＥ'))).toBe('fine');
    expect(v.encode('e\u0301')).toEqual(v.encode('é'));
    const raw = new CharVocabulary({ alphabet: 'abcdefghijklmnopqrstuvwxyzé ' });
    expect(raw.encode('e\u0301')).toEqual([raw.encode('e')[0], raw.unkId]); // without normalisation the accent is unknown
  });

  it("unknown characters: 'unk' maps, 'strip' drops, 'error' throws naming the character and index", () => {
    expect(new CharVocabulary({ alphabet: 'ab', unknown: 'strip' }).encode('a?b')).toEqual([2, 3]);
    const strict = new CharVocabulary({ alphabet: 'ab', specials: ['pad'] });
    expect(strict.unknown).toBe('error');
    expect(() => strict.encode('a😀b')).toThrow(
      /character "😀" \(U\+1F600\) at index 1 of the normalised text is not in the alphabet/,
    );
  });

  it('supports characters outside the BMP as single symbols', () => {
    const v = new CharVocabulary({ alphabet: ['😀', 'x'], specials: [], unknown: 'error' });
    expect(v.encode('x😀x')).toEqual([1, 0, 1]);
  });

  it('JSON save/load gives an identical vocabulary', () => {
    const back = CharVocabulary.fromJson(ctc.toJson());
    expect(back.toJson()).toBe(ctc.toJson());
    expect(back.encode("Hey you'")).toEqual(ctc.encode("Hey you'"));
  });
});

describe('CharVocabulary bad input', () => {
  it('rejects bad alphabets and options with the field name', () => {
    expect(() => new CharVocabulary({ alphabet: 'aba' })).toThrow(/alphabet has "a" twice/);
    expect(() => new CharVocabulary({ alphabet: ['ab'] })).toThrow(/alphabet\[0\] must be one character/);
    expect(() => new CharVocabulary({ alphabet: '' })).toThrow(/alphabet is empty/);
    expect(() => new CharVocabulary({ alphabet: 'a', specials: ['mask' as 'pad'] })).toThrow(
      /specials\[0\] must be one of blank, pad, unk, bos, eos, got "mask"/,
    );
    expect(() => new CharVocabulary({ alphabet: 'a', specials: ['pad'], unknown: 'unk' })).toThrow(
      /needs 'unk' in specials/,
    );
    expect(() => new CharVocabulary({ alphabet: 'a', normalization: 'NFX' as 'NFC' })).toThrow(
      /normalization must be one of/,
    );
  });

  it('lone surrogates, bad ids and missing specials throw; empty text gives []', () => {
    const v = new CharVocabulary({ alphabet: 'ab' });
    expect(() => v.encode('a\uDFFF')).toThrow(/lone UTF-16 surrogate U\+DFFF at index 1/);
    expect(() => v.decode([0, 4])).toThrow(/ids\[1\] = 4 is not an id in \[0, 4\)/);
    expect(() => v.encode('a', { addBos: true })).toThrow(/addBos needs 'bos' in specials/);
    expect(() => v.decode([2], { ctc: true })).toThrow(/ctc needs 'blank'/);
    expect(v.encode('')).toEqual([]);
    expect(v.encode('ab'.repeat(500_000)).length).toBe(1_000_000);
  });

  it('fromJson rejects JSON of the wrong shape', () => {
    expect(() => CharVocabulary.fromJson('{')).toThrow(/not valid JSON/);
    expect(() => CharVocabulary.fromJson('["a"]')).toThrow(/expected an object/);
    expect(() => CharVocabulary.fromJson('{"format": "keras"}')).toThrow(
      /format must be "rnnkit.CharVocabulary", got "keras"/,
    );
    const good = JSON.parse(new CharVocabulary({ alphabet: 'ab' }).toJson());
    expect(() => CharVocabulary.fromJson(JSON.stringify({ ...good, alphabet: 'ab' }))).toThrow(
      /alphabet must be an array of strings/,
    );
    expect(() => CharVocabulary.fromJson(JSON.stringify({ ...good, version: 2 }))).toThrow(
      /version must be 1, got 2/,
    );
    expect(() => CharVocabulary.fromJson(JSON.stringify({ ...good, alphabet: ['a', 'a'] }))).toThrow(
      /alphabet has "a" twice/,
    );
  });
});
