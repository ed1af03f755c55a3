import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { assertWellFormedText } from '../text/well_formed.js';

/** Reserved symbols a character model may need: CTC blank, padding, unknown, begin and end of sequence. */
export type SpecialToken = 'blank' | 'pad' | 'unk' | 'bos' | 'eos';
export const SPECIAL_TOKEN_TEXT: Readonly<Record<SpecialToken, string>> = {
  blank: '<blank>',
  pad: '<pad>',
  unk: '<unk>',
  bos: '<s>',
  eos: '</s>',
};
const SPECIAL_NAMES = Object.keys(SPECIAL_TOKEN_TEXT) as SpecialToken[];

export type UnicodeNormalization = 'none' | 'NFC' | 'NFD' | 'NFKC' | 'NFKD';
const NORMALIZATIONS: readonly UnicodeNormalization[] = ['none', 'NFC', 'NFD', 'NFKC', 'NFKD'];

/** What encode does with a character outside the alphabet. */
export type UnknownCharPolicy = 'unk' | 'strip' | 'error';

export interface CharVocabularyOptions {
  /** The characters (code points) after the special ids, in id order: a string or an array of single characters. */
  alphabet: string | readonly string[];
  /** Reserved ids 0..k-1, in this order. Default ['pad', 'unk']. Use ['blank', ...] for CTC (blank = 0). */
  specials?: readonly SpecialToken[];
  /** Lower-case text before lookup. Default false. */
  lowercase?: boolean;
  /** Unicode normalisation applied before lookup (before lower-casing). Default 'none'. */
  normalization?: UnicodeNormalization;
  /** Default 'unk' when specials include 'unk', otherwise 'error'. */
  unknown?: UnknownCharPolicy;
}

const CHAR_VOCABULARY_OPTIONS = optionKeys<CharVocabularyOptions>({
  alphabet: true,
  specials: true,
  lowercase: true,
  normalization: true,
  unknown: true,
});

export interface CharEncodeOptions {
  /** Prepend bosId (needs 'bos' in specials). Default false. */
  addBos?: boolean;
  /** Append eosId (needs 'eos' in specials). Default false. */
  addEos?: boolean;
}

const CHAR_ENCODE_OPTIONS = optionKeys<CharEncodeOptions>({ addBos: true, addEos: true });

export interface CharDecodeOptions {
  /** Drop special ids (default true); otherwise they print as '<pad>', '<unk>', ... */
  skipSpecials?: boolean;
  /** CTC greedy decoding: merge repeated ids, then drop blanks (before skipping specials). Default false. */
  ctc?: boolean;
}

const CHAR_DECODE_OPTIONS = optionKeys<CharDecodeOptions>({ skipSpecials: true, ctc: true });

/** The JSON form written by toJson. */
export interface CharVocabularyJson {
  format: 'rnnkit.CharVocabulary';
  version: 1;
  specials: SpecialToken[];
  alphabet: string[];
  lowercase: boolean;
  normalization: UnicodeNormalization;
  unknown: UnknownCharPolicy;
}

/** A character vocabulary for speech (CTC) and character-level models, with reserved ids first. */
export class CharVocabulary {
  readonly specials: readonly SpecialToken[];
  readonly alphabet: readonly string[];
  readonly lowercase: boolean;
  readonly normalization: UnicodeNormalization;
  readonly unknown: UnknownCharPolicy;
  /** Ids of the special tokens; -1 when absent. */
  readonly blankId: number;
  readonly padId: number;
  readonly unkId: number;
  readonly bosId: number;
  readonly eosId: number;
  private readonly charIds: Map<string, number>;

  constructor(options: CharVocabularyOptions) {
    if (options === undefined)
      throw new TypeError(
        'CharVocabulary: options must be an object with at least an alphabet, got undefined',
      );
    checkOptions('CharVocabulary', options, CHAR_VOCABULARY_OPTIONS);
    const { alphabet, specials = ['pad', 'unk'], lowercase = false, normalization = 'none' } = options;
    if (!Array.isArray(specials))
      throw new TypeError(
        `CharVocabulary: specials must be an array of ${SPECIAL_NAMES.join('|')}, got ${typeof specials}`,
      );
    specials.forEach((s, i) => {
      if (!SPECIAL_NAMES.includes(s))
        throw new RangeError(
          `CharVocabulary: specials[${i}] must be one of ${SPECIAL_NAMES.join(', ')}, got ${JSON.stringify(s)}`,
        );
      if (specials.indexOf(s) !== i) throw new RangeError(`CharVocabulary: special '${s}' is listed twice`);
    });
    if (!NORMALIZATIONS.includes(normalization))
      throw new RangeError(
        `CharVocabulary: normalization must be one of ${NORMALIZATIONS.join(', ')}, got ${JSON.stringify(normalization)}`,
      );
    const unknown = options.unknown ?? (specials.includes('unk') ? 'unk' : 'error');
    if (!['unk', 'strip', 'error'].includes(unknown))
      throw new RangeError(
        `CharVocabulary: unknown must be 'unk', 'strip' or 'error', got ${JSON.stringify(unknown)}`,
      );
    if (unknown === 'unk' && !specials.includes('unk'))
      throw new RangeError("CharVocabulary: unknown = 'unk' needs 'unk' in specials");
    let chars: string[];
    if (typeof alphabet === 'string') {
      assertWellFormedText(alphabet, 'CharVocabulary: alphabet');
      chars = Array.from(alphabet);
    } else if (Array.isArray(alphabet)) {
      chars = alphabet.map((c, i) => {
        assertWellFormedText(c, `CharVocabulary: alphabet[${i}]`);
        if (Array.from(c).length !== 1)
          throw new RangeError(
            `CharVocabulary: alphabet[${i}] must be one character (code point), got ${JSON.stringify(c)}`,
          );
        return c;
      });
    } else
      throw new TypeError(
        `CharVocabulary: alphabet must be a string or an array of characters, got ${alphabet === null ? 'null' : typeof alphabet}`,
      );
    if (chars.length === 0) throw new RangeError('CharVocabulary: alphabet is empty');
    this.charIds = new Map();
    chars.forEach((c, i) => {
      const seen = this.charIds.get(c);
      if (seen !== undefined)
        throw new RangeError(
          `CharVocabulary: alphabet has ${JSON.stringify(c)} twice (positions ${seen - specials.length} and ${i})`,
        );
      this.charIds.set(c, specials.length + i);
    });
    this.specials = [...specials];
    this.alphabet = chars;
    if (typeof lowercase !== 'boolean')
      throw new TypeError(
        `CharVocabulary: lowercase must be a boolean, got ${JSON.stringify(lowercase) ?? String(lowercase)}`,
      );
    this.lowercase = lowercase;
    this.normalization = normalization;
    this.unknown = unknown;
    const id = (s: SpecialToken): number => specials.indexOf(s);
    this.blankId = id('blank');
    this.padId = id('pad');
    this.unkId = id('unk');
    this.bosId = id('bos');
    this.eosId = id('eos');
  }

  /** Number of ids (specials + alphabet). */
  get size(): number {
    return this.specials.length + this.alphabet.length;
  }

  /** The text as encode sees it: Unicode-normalised, then lower-cased if configured. */
  normalize(text: string): string {
    assertWellFormedText(text, 'CharVocabulary.normalize: text');
    let s = this.normalization === 'none' ? text : text.normalize(this.normalization);
    if (this.lowercase) s = s.toLowerCase();
    return s;
  }

  encode(text: string, options?: CharEncodeOptions): number[] {
    const { addBos = false, addEos = false } = checkOptions(
      'CharVocabulary.encode',
      options,
      CHAR_ENCODE_OPTIONS,
    );
    assertWellFormedText(text, 'CharVocabulary.encode: text');
    const ids: number[] = [];
    if (addBos) ids.push(this.requireSpecial('bos', 'addBos'));
    let offset = 0;
    for (const ch of this.normalize(text)) {
      const id = this.charIds.get(ch);
      if (id !== undefined) ids.push(id);
      else if (this.unknown === 'unk') ids.push(this.unkId);
      else if (this.unknown === 'error') {
        // ch is one code point of a string (never empty), so codePointAt(0) is defined.
        const cp = ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
        throw new RangeError(
          `CharVocabulary.encode: character ${JSON.stringify(ch)} (U+${cp}) at index ${offset} of the normalised text is not in the alphabet`,
        );
      }
      offset += ch.length;
    }
    if (addEos) ids.push(this.requireSpecial('eos', 'addEos'));
    return ids;
  }

  decode(ids: readonly number[], options?: CharDecodeOptions): string {
    const { skipSpecials = true, ctc = false } = checkOptions(
      'CharVocabulary.decode',
      options,
      CHAR_DECODE_OPTIONS,
    );
    if (!Array.isArray(ids))
      throw new TypeError(`CharVocabulary.decode: ids must be an array of integers, got ${typeof ids}`);
    if (ctc && this.blankId < 0) throw new RangeError("CharVocabulary.decode: ctc needs 'blank' in specials");
    let out = '';
    let previous = -1;
    ids.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= this.size)
        throw new RangeError(`CharVocabulary.decode: ids[${i}] = ${id} is not an id in [0, ${this.size})`);
      const repeat = id === previous;
      previous = id;
      if (ctc && (repeat || id === this.blankId)) return;
      if (id < this.specials.length) {
        if (!skipSpecials) out += this.tokenText(id);
      } else out += this.tokenText(id);
    });
    return out;
  }

  idToToken(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.size)
      throw new RangeError(`CharVocabulary.idToToken: id ${id} is not in [0, ${this.size})`);
    return this.tokenText(id);
  }

  /** The token of an id already checked to be in [0, size): a special token's text or a character. */
  private tokenText(id: number): string {
    const special = this.specials[id];
    if (special !== undefined) return SPECIAL_TOKEN_TEXT[special];
    const char = this.alphabet[id - this.specials.length];
    if (char === undefined) throw new RangeError(`CharVocabulary: id ${id} is not in [0, ${this.size})`);
    return char;
  }

  toJson(): string {
    const json: CharVocabularyJson = {
      format: 'rnnkit.CharVocabulary',
      version: 1,
      specials: [...this.specials],
      alphabet: [...this.alphabet],
      lowercase: this.lowercase,
      normalization: this.normalization,
      unknown: this.unknown,
    };
    return JSON.stringify(json);
  }

  /** Reads toJson output; every field is checked and errors name the field. */
  static fromJson(json: string | CharVocabularyJson): CharVocabulary {
    let doc: unknown = json;
    if (typeof json === 'string') {
      try {
        doc = JSON.parse(json);
      } catch (error) {
        throw new SyntaxError(`CharVocabulary.fromJson: not valid JSON (${(error as Error).message})`, {
          cause: error,
        });
      }
    }
    const fail = (message: string): never => {
      throw new TypeError(`CharVocabulary.fromJson: ${message}`);
    };
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
      fail(
        `expected an object with format "rnnkit.CharVocabulary", got ${Array.isArray(doc) ? 'an array' : String(doc)}`,
      );
    const d = doc as Record<string, unknown>;
    if (d.format !== 'rnnkit.CharVocabulary')
      fail(`format must be "rnnkit.CharVocabulary", got ${JSON.stringify(d.format)}`);
    if (d.version !== 1) fail(`version must be 1, got ${JSON.stringify(d.version)}`);
    if (!Array.isArray(d.alphabet) || d.alphabet.some((c) => typeof c !== 'string'))
      fail(`alphabet must be an array of strings, got ${JSON.stringify(d.alphabet)?.slice(0, 80)}`);
    if (!Array.isArray(d.specials)) fail(`specials must be an array, got ${JSON.stringify(d.specials)}`);
    if (typeof d.lowercase !== 'boolean')
      fail(`lowercase must be a boolean, got ${JSON.stringify(d.lowercase)}`);
    return new CharVocabulary({
      alphabet: d.alphabet as string[],
      specials: d.specials as SpecialToken[],
      lowercase: d.lowercase as boolean,
      normalization: d.normalization as UnicodeNormalization,
      unknown: d.unknown as UnknownCharPolicy,
    });
  }

  private requireSpecial(token: SpecialToken, option: string): number {
    const id = this.specials.indexOf(token);
    if (id < 0)
      throw new RangeError(
        `CharVocabulary.encode: ${option} needs '${token}' in specials (specials: [${this.specials.join(', ')}])`,
      );
    return id;
  }
}
