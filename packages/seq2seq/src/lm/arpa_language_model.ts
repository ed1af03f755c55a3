import { BackoffScorer } from './backoff_scorer.js';
import { describeValue } from './describe_value.js';
import type { LanguageModelScorer } from './language_model_scorer.js';
import { ARPA_END, ARPA_START, ARPA_UNKNOWN, parseArpa } from './parse_arpa.js';
import type { LanguageModelUnit } from './tokenize_text.js';

export interface ArpaOptions {
  /** 'word' (default): tokens are words, scored at word boundaries; 'char': one character per token. */
  unit?: LanguageModelUnit;
  /** Char models: the file's token for ' ', which a whitespace-separated file cannot hold (default '<space>'). */
  spaceToken?: string;
}

let readArpa: (text: string, options: ArpaOptions | undefined, fn: string) => ArpaLanguageModel;

/**
 * A back-off n-gram model read from ARPA text (KenLM's `lmplz` output, SRILM's `ngram-count`):
 * ln P(w | h) = ln P*(h w) if `h w` is listed, else ln bo(h) + ln P(w | h without its first word), where
 * a missing backoff weight is 0 (log10) and the history is cut to order - 1 words. A sentence starts
 * after one `<s>`, `finish()` scores `</s>`, and unknown words are scored as `<unk>` (log10 -100,
 * KenLM's stand-in, when the file has none). Values are converted from log10 to natural logs. As a
 * {@link LanguageModelScorer} its state is a number standing for the relevant end of the history.
 */
export class ArpaLanguageModel implements LanguageModelScorer<number> {
  /** The longest n-gram. */
  readonly order: number;
  /** The n-gram counts the file declares (index N - 1). */
  readonly counts: readonly number[];
  /** The unigrams in file order, then any of `<s>`, `</s>`, `<unk>` the file lacked. */
  readonly vocabulary: readonly string[];
  private readonly scorer: BackoffScorer;

  private constructor(
    text: string,
    readonly unit: LanguageModelUnit,
    spaceToken: string | null,
    fn: string,
  ) {
    const { trie, counts, vocabulary, ids } = parseArpa(text, fn);
    this.order = counts.length;
    this.counts = counts;
    this.vocabulary = vocabulary;
    this.scorer = new BackoffScorer(
      trie,
      {
        ids,
        unknownToken: ARPA_UNKNOWN,
        startToken: ARPA_START,
        endToken: ARPA_END,
        spaceToken,
      },
      unit,
      Number.NEGATIVE_INFINITY,
      1,
    );
  }

  static {
    // Lets fromArpa() reach the private constructor, so errors name the function the caller used.
    readArpa = (text, options, fn) => {
      const { unit = 'word', spaceToken = '<space>' } = options ?? {};
      if (unit !== 'char' && unit !== 'word')
        throw new Error(`${fn}: options.unit must be 'char' or 'word', got ${describeValue(unit)}`);
      if (typeof spaceToken !== 'string' || spaceToken === '' || /\s/.test(spaceToken))
        throw new Error(
          `${fn}: options.spaceToken must be a non-empty string without whitespace, got ${describeValue(spaceToken)}`,
        );
      return new ArpaLanguageModel(text, unit, unit === 'char' ? spaceToken : null, fn);
    };
  }

  /** Reads ARPA text; throws an error naming the line and what is wrong with a malformed file. */
  static parse(text: string, options: ArpaOptions = {}): ArpaLanguageModel {
    return readArpa(text, options, 'ArpaLanguageModel.parse');
  }

  /** ln P(word | context), context as given (include `<s>` for a sentence start). */
  logProb(word: string, context: readonly string[] = []): number {
    return this.scorer.logProb(word, context);
  }

  /** log10 P(word | context), the file's own scale. */
  log10Prob(word: string, context: readonly string[] = []): number {
    return this.scorer.logProb(word, context) / Math.LN10;
  }

  prob(word: string, context: readonly string[] = []): number {
    return Math.exp(this.scorer.logProb(word, context));
  }

  /** The state after `<s>`. */
  start(): number {
    return this.scorer.startState;
  }

  score(state: number, token: string): { logProb: number; state: number } {
    return this.scorer.score(state, token);
  }

  finish(state: number): number {
    return this.scorer.finish(state);
  }
}

/** Reads ARPA text into an {@link ArpaLanguageModel} (`ArpaLanguageModel.parse`). */
export function fromArpa(text: string, options: ArpaOptions = {}): ArpaLanguageModel {
  return readArpa(text, options, 'fromArpa');
}
