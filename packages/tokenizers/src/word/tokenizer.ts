import { checkOptions, optionKeys } from '@rnnkit/tensor-core';

import { assertWellFormedText } from '../text/well_formed.js';
import { parseFlatJsonObject } from './flat_json.js';
import { pythonJsonDumps, pythonJsonDumpsMap } from './python_json.js';
import { KERAS_DEFAULT_FILTERS, splitWords } from './text_to_word_sequence.js';

export interface TokenizerOptions {
  /** Keep only ids < numWords when converting texts (Keras's num_words). null or 0: no limit. */
  numWords?: number | null;
  /** Characters replaced by `split` (ignored when charLevel). Default: KERAS_DEFAULT_FILTERS. */
  filters?: string;
  /** Lower-case texts first. Default true. */
  lower?: boolean;
  /** Word separator. Default ' '. */
  split?: string;
  /** Treat every code point as a token. Default false. */
  charLevel?: boolean;
  /** Token that stands for unknown words; it gets index 1. Default null (unknown words are dropped). */
  oovToken?: string | null;
}

const TOKENIZER_OPTIONS = optionKeys<TokenizerOptions>({
  numWords: true,
  filters: true,
  lower: true,
  split: true,
  charLevel: true,
  oovToken: true,
});

/** A text, or an already tokenised text (a list of tokens, as Keras also accepts). */
export type TokenizerInput = string | readonly string[];

/**
 * Word (or character) tokenizer with the semantics of Keras's `keras.preprocessing.text.Tokenizer`:
 * index 0 is reserved for padding, index 1 is the OOV token when there is one, then words by
 * descending count with ties in order of first appearance (Keras sorts with Python's stable sort).
 */
export class Tokenizer {
  readonly numWords: number | null;
  readonly filters: string;
  readonly lower: boolean;
  readonly split: string;
  readonly charLevel: boolean;
  readonly oovToken: string | null;

  /** Token → number of occurrences, in order of first appearance. */
  readonly wordCounts = new Map<string, number>();
  /** Token → number of texts it appears in. */
  readonly wordDocs = new Map<string, number>();
  /** Index → number of texts the token appears in. */
  readonly indexDocs = new Map<number, number>();
  /** Token → index (1-based). */
  readonly wordIndex = new Map<string, number>();
  /** Index → token. */
  readonly indexWord = new Map<number, string>();
  /** Number of texts seen by fitOnTexts. */
  documentCount = 0;

  private readonly filterSet: ReadonlySet<string>;

  constructor(options?: TokenizerOptions) {
    const {
      numWords = null,
      filters = KERAS_DEFAULT_FILTERS,
      lower = true,
      split = ' ',
      charLevel = false,
      oovToken = null,
    } = checkOptions('Tokenizer', options, TOKENIZER_OPTIONS);
    if (numWords !== null && (!Number.isSafeInteger(numWords) || numWords < 0)) {
      throw new RangeError(`Tokenizer: numWords must be null or a non-negative integer, got ${numWords}`);
    }
    for (const [key, value] of [
      ['lower', lower],
      ['charLevel', charLevel],
    ] as const) {
      if (typeof value !== 'boolean')
        throw new TypeError(
          `Tokenizer: ${key} must be a boolean, got ${JSON.stringify(value) ?? String(value)}`,
        );
    }
    if (oovToken !== null && typeof oovToken !== 'string')
      throw new TypeError(`Tokenizer: oovToken must be null or a string, got ${typeof oovToken}`);
    if (typeof filters !== 'string')
      throw new TypeError(`Tokenizer: filters must be a string, got ${typeof filters}`);
    if (typeof split !== 'string' || split.length === 0)
      throw new RangeError(`Tokenizer: split must be a non-empty string, got ${JSON.stringify(split)}`);
    if (oovToken !== null) assertWellFormedText(oovToken, 'Tokenizer: oovToken');
    assertWellFormedText(filters, 'Tokenizer: filters');
    this.numWords = numWords;
    this.filters = filters;
    this.lower = lower;
    this.split = split;
    this.charLevel = charLevel;
    this.oovToken = oovToken;
    this.filterSet = new Set(filters);
  }

  /** Tokens of one input, exactly as Keras makes them (char level and pre-tokenised lists skip the filters). */
  tokenize(text: TokenizerInput, label = 'Tokenizer: text'): string[] {
    if (Array.isArray(text)) {
      return (text as readonly string[]).map((t, i) => {
        assertWellFormedText(t, `${label}[${i}]`);
        return this.lower ? t.toLowerCase() : t;
      });
    }
    assertWellFormedText(text, label);
    const s = text as string;
    if (this.charLevel) return Array.from(this.lower ? s.toLowerCase() : s);
    return splitWords(s, this.filterSet, this.lower, this.split);
  }

  /** Updates counts with `texts` (cumulative across calls, as in Keras) and rebuilds the index. */
  fitOnTexts(texts: readonly TokenizerInput[]): this {
    if (!Array.isArray(texts))
      throw new TypeError(`Tokenizer.fitOnTexts: texts must be an array, got ${typeof texts}`);
    const tokenized = texts.map((t, i) => this.tokenize(t, `Tokenizer.fitOnTexts: texts[${i}]`));
    for (const seq of tokenized) {
      this.documentCount++;
      for (const w of seq) this.wordCounts.set(w, (this.wordCounts.get(w) ?? 0) + 1);
      // Keras iterates a Python set here (hash order); first-appearance order keeps the JSON deterministic.
      for (const w of new Set(seq)) this.wordDocs.set(w, (this.wordDocs.get(w) ?? 0) + 1);
    }
    this.rebuildIndex();
    return this;
  }

  private rebuildIndex(): void {
    // Array.prototype.sort is stable, like Python's list.sort(reverse=True): ties keep first-appearance order.
    const sorted = [...this.wordCounts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
    const vocabulary = this.oovToken === null ? sorted : [this.oovToken, ...sorted];
    this.wordIndex.clear();
    this.indexWord.clear();
    this.indexDocs.clear();
    // dict(zip(...)) in Keras: a later duplicate (the OOV token also seen in the texts) overwrites the index.
    vocabulary.forEach((w, i) => {
      this.wordIndex.set(w, i + 1);
      this.indexWord.set(i + 1, w);
    });
    for (const [w, c] of this.wordDocs) {
      // Fitting counts every document word; only word_docs loaded from JSON can hold a word without an index.
      const i = this.wordIndex.get(w);
      if (i !== undefined) this.indexDocs.set(i, c);
    }
  }

  private get limit(): number {
    return this.numWords === null || this.numWords === 0 ? Infinity : this.numWords;
  }

  /** Converts texts to index sequences; unknown or too-rare words become the OOV index or are dropped. */
  textsToSequences(texts: readonly TokenizerInput[]): number[][] {
    if (!Array.isArray(texts))
      throw new TypeError(`Tokenizer.textsToSequences: texts must be an array, got ${typeof texts}`);
    const limit = this.limit;
    const oovIndex = this.oovToken === null ? undefined : this.wordIndex.get(this.oovToken);
    return texts.map((text, n) => {
      const out: number[] = [];
      for (const w of this.tokenize(text, `Tokenizer.textsToSequences: texts[${n}]`)) {
        const i = this.wordIndex.get(w);
        if (i !== undefined && i < limit) out.push(i);
        else if (oovIndex !== undefined) out.push(oovIndex);
      }
      return out;
    });
  }

  /** Converts index sequences back to space-joined texts (Keras joins with ' ' even at char level). */
  sequencesToTexts(sequences: readonly (readonly number[])[]): string[] {
    if (!Array.isArray(sequences))
      throw new TypeError(`Tokenizer.sequencesToTexts: sequences must be an array, got ${typeof sequences}`);
    const limit = this.limit;
    const oovIndex = this.oovToken === null ? undefined : this.wordIndex.get(this.oovToken);
    const oovWord = oovIndex === undefined ? undefined : this.indexWord.get(oovIndex);
    return sequences.map((seq, n) => {
      if (!Array.isArray(seq))
        throw new TypeError(
          `Tokenizer.sequencesToTexts: sequences[${n}] must be an array of indices, got ${typeof seq}`,
        );
      const words: string[] = [];
      for (const num of seq) {
        const word = this.indexWord.get(num);
        if (word !== undefined && num < limit) words.push(word);
        else if (oovWord !== undefined) words.push(oovWord);
      }
      return words.join(' ');
    });
  }

  /**
   * A copy that keeps only the words `textsToSequences` can return (index < numWords, and the OOV
   * token): the same sequences and texts, and a `toJson()` a fraction of the size, to store with a
   * model (a Keras tokenizer keeps every word it has seen: 14 MB for 5,000 emails). Its counts cover the
   * kept words only, so fitting it on more texts differs from fitting the original.
   */
  pruned(): Tokenizer {
    const copy = new Tokenizer({
      numWords: this.numWords,
      filters: this.filters,
      lower: this.lower,
      split: this.split,
      charLevel: this.charLevel,
      oovToken: this.oovToken,
    });
    copy.documentCount = this.documentCount;
    const limit = this.limit;
    // A word without an index (possible only in counts loaded from JSON) is kept only if it is the OOV token.
    const kept = (w: string, i: number | undefined) => (i !== undefined && i < limit) || w === this.oovToken;
    for (const [w, c] of this.wordCounts) if (kept(w, this.wordIndex.get(w))) copy.wordCounts.set(w, c);
    for (const [w, c] of this.wordDocs) if (kept(w, this.wordIndex.get(w))) copy.wordDocs.set(w, c);
    for (const [i, w] of this.indexWord) if (kept(w, i)) copy.indexWord.set(i, w);
    for (const [w, i] of this.wordIndex) if (kept(w, i)) copy.wordIndex.set(w, i);
    for (const [i, c] of this.indexDocs) if (copy.indexWord.has(i)) copy.indexDocs.set(i, c);
    return copy;
  }

  /** Keras's `tokenizer.to_json()`, byte for byte (Python json.dumps defaults, nested JSON strings). */
  toJson(): string {
    return pythonJsonDumps({
      class_name: 'Tokenizer',
      config: {
        num_words: this.numWords,
        filters: this.filters,
        lower: this.lower,
        split: this.split,
        char_level: this.charLevel,
        oov_token: this.oovToken,
        document_count: this.documentCount,
        word_counts: pythonJsonDumpsMap(this.wordCounts),
        word_docs: pythonJsonDumpsMap(this.wordDocs),
        index_docs: pythonJsonDumpsMap(this.indexDocs),
        index_word: pythonJsonDumpsMap(this.indexWord),
        word_index: pythonJsonDumpsMap(this.wordIndex),
      },
    });
  }

  /** Reads `toJson()` output or a file written by Keras's `tokenizer.to_json()`, checking its shape. */
  static fromJson(json: string): Tokenizer {
    if (typeof json !== 'string')
      throw new TypeError(`Tokenizer.fromJson: json must be a string, got ${typeof json}`);
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch (error) {
      throw new SyntaxError(`Tokenizer.fromJson: not valid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
    const fail = (message: string): never => {
      throw new TypeError(`Tokenizer.fromJson: ${message}`);
    };
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
      fail(
        `expected an object {"class_name": "Tokenizer", "config": {...}}, got ${Array.isArray(doc) ? 'an array' : String(doc)}`,
      );
    const top = doc as Record<string, unknown>;
    if (top.class_name !== undefined && top.class_name !== 'Tokenizer')
      fail(`class_name must be "Tokenizer", got ${JSON.stringify(top.class_name)}`);
    const config = top.config as Record<string, unknown> | undefined;
    if (config === null || typeof config !== 'object' || Array.isArray(config))
      fail(`"config" must be an object, got ${JSON.stringify(config)}`);
    const c = config as Record<string, unknown>;
    const kind = (key: string, ok: boolean, expected: string): void => {
      if (!ok) fail(`config.${key} must be ${expected}, got ${JSON.stringify(c[key])}`);
    };
    kind(
      'num_words',
      c.num_words === null ||
        c.num_words === undefined ||
        (Number.isSafeInteger(c.num_words) && (c.num_words as number) >= 0),
      'null or a non-negative integer',
    );
    for (const key of ['filters', 'split'])
      kind(key, c[key] === undefined || typeof c[key] === 'string', 'a string');
    for (const key of ['lower', 'char_level'])
      kind(key, c[key] === undefined || typeof c[key] === 'boolean', 'a boolean');
    kind(
      'oov_token',
      c.oov_token === null || c.oov_token === undefined || typeof c.oov_token === 'string',
      'null or a string',
    );
    kind(
      'document_count',
      c.document_count === undefined ||
        (Number.isSafeInteger(c.document_count) && (c.document_count as number) >= 0),
      'a non-negative integer',
    );
    for (const key of ['word_counts', 'word_docs', 'index_docs', 'index_word', 'word_index'])
      kind(key, typeof c[key] === 'string', 'a JSON string (Keras nests these as strings)');

    const tokenizer = new Tokenizer({
      numWords: (c.num_words as number | null | undefined) ?? null,
      filters: c.filters as string | undefined,
      lower: c.lower as boolean | undefined,
      split: c.split as string | undefined,
      charLevel: c.char_level as boolean | undefined,
      oovToken: (c.oov_token as string | null | undefined) ?? null,
    });
    tokenizer.documentCount = (c.document_count as number | undefined) ?? 0;
    const entries = (key: string) =>
      parseFlatJsonObject(c[key] as string, `Tokenizer.fromJson: config.${key}`);
    const count = (key: string, k: string, v: unknown): number => {
      if (!Number.isSafeInteger(v) || (v as number) < 0)
        fail(`config.${key}[${JSON.stringify(k)}] must be a non-negative integer, got ${JSON.stringify(v)}`);
      return v as number;
    };
    const index = (key: string, k: string): number => {
      const n = Number(k);
      if (!/^[1-9]\d*$/.test(k) || !Number.isSafeInteger(n))
        fail(`config.${key} key ${JSON.stringify(k)} must be a positive integer index`);
      return n;
    };
    for (const [k, v] of entries('word_counts')) tokenizer.wordCounts.set(k, count('word_counts', k, v));
    for (const [k, v] of entries('word_docs')) tokenizer.wordDocs.set(k, count('word_docs', k, v));
    for (const [k, v] of entries('index_docs'))
      tokenizer.indexDocs.set(index('index_docs', k), count('index_docs', k, v));
    for (const [k, v] of entries('word_index')) {
      if (!Number.isSafeInteger(v) || (v as number) < 1)
        fail(`config.word_index[${JSON.stringify(k)}] must be a positive integer, got ${JSON.stringify(v)}`);
      tokenizer.wordIndex.set(k, v as number);
    }
    for (const [k, v] of entries('index_word')) {
      if (typeof v !== 'string')
        fail(`config.index_word[${JSON.stringify(k)}] must be a string, got ${JSON.stringify(v)}`);
      tokenizer.indexWord.set(index('index_word', k), v as string);
    }
    for (const [w, i] of tokenizer.wordIndex) {
      if (tokenizer.indexWord.get(i) !== w && !(w === tokenizer.oovToken))
        fail(
          `config.word_index and config.index_word disagree: word_index[${JSON.stringify(w)}] = ${i} but index_word[${i}] = ${JSON.stringify(tokenizer.indexWord.get(i))}`,
        );
    }
    for (const [i, w] of tokenizer.indexWord) {
      // Keras gives the OOV token index 1 and, when the texts also hold it, a second index in word_index.
      if (tokenizer.wordIndex.get(w) !== i && !(w === tokenizer.oovToken && i === 1)) {
        fail(
          `config.index_word[${JSON.stringify(String(i))}] = ${JSON.stringify(w)} but config.word_index[${JSON.stringify(w)}] = ${JSON.stringify(tokenizer.wordIndex.get(w))}; expected ${i} (inconsistent vocabulary)`,
        );
      }
    }
    for (const i of tokenizer.indexDocs.keys()) {
      if (!tokenizer.indexWord.has(i))
        fail(`config.index_docs has index ${i}, which config.index_word lacks`);
    }
    return tokenizer;
  }
}
