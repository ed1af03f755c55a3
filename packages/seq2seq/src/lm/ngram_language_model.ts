import { formatArpa } from './arpa_writer.js';
import { describeValue } from './describe_value.js';
import { BackoffScorer } from './backoff_scorer.js';
import { estimateKneserNey } from './kneser_ney.js';
import { kneserNeyArpaEntries } from './kneser_ney_to_arpa.js';
import type { LanguageModelScorer } from './language_model_scorer.js';
import { tokenizeText, type LanguageModelUnit } from './tokenize_text.js';

export interface NGramTrainOptions {
  /** The longest n-gram (≥ 2): states remember order - 1 tokens. */
  order: number;
  /** 'char': every code point of a text is a token (spaces included); 'word': whitespace-separated words. */
  unit: LanguageModelUnit;
  /** The only smoothing so far (default): NLTK's KneserNeyInterpolated. */
  smoothing?: 'kneser-ney';
  /** Absolute discount d in [0, 1] (default 0.1, NLTK's default for KneserNeyInterpolated). */
  discount?: number;
  /**
   * `score()` and `finish()` never return less than this ln probability (default -Infinity: NLTK's
   * values). NLTK gives a token never seen in training (`<UNK>`) P = 0, which removes any hypothesis
   * holding it from a beam; a floor such as -20 keeps such hypotheses, heavily penalised.
   */
  logProbFloor?: number;
}

export interface NGramArpaOptions {
  /** Char models: the ARPA token for ' ', which a whitespace-separated file cannot hold (default '<space>'). */
  spaceToken?: string;
}

/** NLTK's vocabulary labels: the padding symbols and the unknown token. */
export const NGRAM_START = '<s>';
export const NGRAM_END = '</s>';
export const NGRAM_UNKNOWN = '<UNK>';

const fnName = 'NGramLanguageModel.train';

/**
 * A character or word n-gram language model with interpolated Kneser-Ney smoothing, equal to
 * `nltk.lm.KneserNeyInterpolated(order, discount)` trained on `padded_everygram_pipeline(order, texts)`:
 * each text is padded with order - 1 `<s>` and order - 1 `</s>`, every token seen is in the
 * vocabulary (unk_cutoff 1) and anything else is `<UNK>`. As a {@link LanguageModelScorer} its state
 * is a number that stands for the last order - 1 tokens (the longest part of them the model has seen).
 */
export class NGramLanguageModel implements LanguageModelScorer<number> {
  readonly smoothing = 'kneser-ney' as const;
  private readonly scorer: BackoffScorer;

  private constructor(
    readonly unit: LanguageModelUnit,
    readonly order: number,
    readonly discount: number,
    /** Every token of the model, `<s>`, `</s>` and `<UNK>` included, in order of first appearance. */
    readonly vocabulary: readonly string[],
    ids: ReadonlyMap<string, number>,
    paddedSentences: readonly (readonly number[])[],
    logProbFloor: number,
  ) {
    // train() gives <s> id 0, </s> id 1 and <UNK> the last id.
    const unknownId = vocabulary.length - 1;
    const trie = estimateKneserNey(paddedSentences, order, discount, vocabulary.length, [unknownId]);
    this.scorer = new BackoffScorer(
      trie,
      { ids, unknownToken: NGRAM_UNKNOWN, startToken: NGRAM_START, endToken: NGRAM_END, spaceToken: null },
      unit,
      logProbFloor,
      order - 1,
    );
  }

  static train(texts: readonly string[], options: NGramTrainOptions): NGramLanguageModel {
    if (!Array.isArray(texts) || texts.length === 0)
      throw new Error(`${fnName}: texts must be a non-empty array of strings, got ${describeValue(texts)}`);
    texts.forEach((t, i) => {
      if (typeof t !== 'string')
        throw new Error(`${fnName}: texts[${i}] must be a string, got ${describeValue(t)}`);
    });
    const { order, unit, smoothing = 'kneser-ney', discount = 0.1, logProbFloor = -Infinity } = options ?? {};
    if (!Number.isInteger(order) || order < 2)
      throw new Error(
        `${fnName}: order must be an integer ≥ 2 (Kneser-Ney needs bigrams), got ${describeValue(order)}`,
      );
    if (unit !== 'char' && unit !== 'word')
      throw new Error(`${fnName}: unit must be 'char' or 'word', got ${describeValue(unit)}`);
    if (smoothing !== 'kneser-ney')
      throw new Error(`${fnName}: smoothing must be 'kneser-ney', got ${describeValue(smoothing)}`);
    if (typeof discount !== 'number' || !(discount >= 0 && discount <= 1))
      throw new Error(
        `${fnName}: discount must be a number in [0, 1] (as NLTK requires), got ${describeValue(discount)}`,
      );
    if (typeof logProbFloor !== 'number' || Number.isNaN(logProbFloor) || logProbFloor > 0)
      throw new Error(`${fnName}: logProbFloor must be a number ≤ 0, got ${describeValue(logProbFloor)}`);

    const vocabulary: string[] = [];
    const ids = new Map<string, number>();
    const idOf = (token: string) => {
      let id = ids.get(token);
      if (id === undefined) {
        id = vocabulary.length;
        ids.set(token, id);
        vocabulary.push(token);
      }
      return id;
    };
    const start = idOf(NGRAM_START);
    const end = idOf(NGRAM_END);
    const padding = order - 1;
    const padded = texts.map((text) => {
      const tokens = tokenizeText(text, unit);
      const out = new Array<number>(tokens.length + 2 * padding);
      for (let i = 0; i < padding; i++) out[i] = start;
      tokens.forEach((t, i) => (out[padding + i] = idOf(t)));
      for (let i = 0; i < padding; i++) out[padding + tokens.length + i] = end;
      return out;
    });
    idOf(NGRAM_UNKNOWN);
    return new NGramLanguageModel(unit, order, discount, vocabulary, ids, padded, logProbFloor);
  }

  /** P(word | context) as NLTK's `lm.score(word, context)`: no padding is added to `context`. */
  prob(word: string, context: readonly string[] = []): number {
    return Math.exp(this.scorer.logProb(word, context));
  }

  /** ln P(word | context) (NLTK's `logscore` is log2). */
  logProb(word: string, context: readonly string[] = []): number {
    return this.scorer.logProb(word, context);
  }

  /** The state after order - 1 `<s>`. */
  start(): number {
    return this.scorer.startState;
  }

  score(state: number, token: string): { logProb: number; state: number } {
    return this.scorer.score(state, token);
  }

  finish(state: number): number {
    return this.scorer.finish(state);
  }

  /**
   * The model as an ARPA file that gives the same probabilities under backoff semantics with one
   * `<s>` of history (KenLM's, and {@link ArpaLanguageModel}'s): seen n-grams carry their interpolated
   * probability and contexts their Kneser-Ney gamma as backoff weight, and an n-gram `<s> w…` stands
   * for NLTK's n-gram padded with order - 1 `<s>`. Values are written at full precision; what ARPA
   * cannot say: P = 0 (`<UNK>`, and `<s>` for bigram models) is written as log10 -99, `<UNK>` is
   * spelt `<unk>`, and probabilities *of* `<s>` after a context are not kept.
   */
  toArpa(options: NGramArpaOptions = {}): string {
    const { spaceToken = '<space>' } = options;
    const words = this.vocabulary.map((token) => {
      if (token === NGRAM_UNKNOWN) return '<unk>';
      if (this.unit === 'char' && token === ' ') return spaceToken;
      if (/\s/.test(token))
        throw new Error(
          `NGramLanguageModel.toArpa: token ${JSON.stringify(token)} holds whitespace, which ARPA cannot`,
        );
      return token;
    });
    const written = new Set<string>();
    for (const w of words) {
      if (written.has(w))
        throw new Error(
          `NGramLanguageModel.toArpa: two tokens would both be written as ${JSON.stringify(w)}`,
        );
      written.add(w);
    }
    return formatArpa(
      kneserNeyArpaEntries(
        this.scorer.trie,
        words,
        this.scorer.idOf(NGRAM_START),
        this.scorer.idOf(NGRAM_END),
      ),
    );
  }
}
