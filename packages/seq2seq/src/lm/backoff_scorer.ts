// The LanguageModelScorer side shared by NGramLanguageModel and ArpaLanguageModel: token text to ids,
// states as trie nodes (numbers, so nothing is allocated per state), and the char/word conventions.
import type { BackoffTrie } from './backoff_trie.js';
import type { LanguageModelUnit } from './tokenize_text.js';

export interface BackoffScorerVocabulary {
  /** Token text → id (ids index the trie). */
  readonly ids: ReadonlyMap<string, number>;
  /** What unknown tokens are scored as (`<UNK>` for NLTK models, `<unk>` for ARPA). */
  readonly unknownToken: string;
  readonly startToken: string;
  readonly endToken: string;
  /** Char models whose files cannot hold ' ' (ARPA): the token that stands for a space. */
  readonly spaceToken: string | null;
}

export class BackoffScorer {
  /** The state after the start-of-sentence padding. */
  readonly startState: number;
  private readonly unknownId: number;
  private readonly endId: number;

  constructor(
    readonly trie: BackoffTrie,
    private readonly vocabulary: BackoffScorerVocabulary,
    readonly unit: LanguageModelUnit,
    /** score() and finish() never return less (NLTK gives unseen words P = 0). */
    private readonly logProbFloor: number,
    /** How many start tokens a sentence is padded with (NLTK: order - 1; ARPA: 1). */
    startPadding: number,
  ) {
    const idOf = (token: string) => {
      const id = vocabulary.ids.get(token);
      if (id === undefined) throw new Error(`BackoffScorer: the vocabulary lacks ${token}`);
      return id;
    };
    this.unknownId = idOf(vocabulary.unknownToken);
    this.endId = idOf(vocabulary.endToken);
    const startId = idOf(vocabulary.startToken);
    let state = 0;
    for (let i = 0; i < startPadding; i++) state = trie.next(state, startId);
    this.startState = state;
  }

  idOf(token: string): number {
    const { ids, spaceToken } = this.vocabulary;
    return ids.get(spaceToken !== null && token === ' ' ? spaceToken : token) ?? this.unknownId;
  }

  score(state: number, token: string): { logProb: number; state: number } {
    const ids = this.vocabulary.ids;
    // A char model given a label of several characters (not a token of its own) scores each in turn.
    if (this.unit === 'char' && token.length !== 1 && !ids.has(token)) {
      if (token === '') return { logProb: 0, state };
      let logProb = 0;
      for (const ch of token) {
        const id = this.idOf(ch);
        logProb += Math.max(this.trie.logProbAt(state, id), this.logProbFloor);
        state = this.trie.next(state, id);
      }
      return { logProb, state };
    }
    const id = this.idOf(token);
    return {
      logProb: Math.max(this.trie.logProbAt(state, id), this.logProbFloor),
      state: this.trie.next(state, id),
    };
  }

  finish(state: number): number {
    return Math.max(this.trie.logProbAt(state, this.endId), this.logProbFloor);
  }

  /** The state for an explicit context (tokens as given: no padding is added). */
  stateFor(context: readonly string[]): number {
    let state = 0;
    for (const token of context) state = this.trie.next(state, this.idOf(token));
    return state;
  }

  /** Exact ln P(word | context), without the floor. */
  logProb(word: string, context: readonly string[]): number {
    return this.trie.logProbAt(this.stateFor(context), this.idOf(word));
  }
}
