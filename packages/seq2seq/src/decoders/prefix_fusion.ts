// Shallow fusion of a CTC prefix with a language model and hotwords (DeepSpeech, pyctcdecode):
// score = log P_acoustic + alpha · ln P_lm + beta · (units scored) + hotword bonus. The LM part of a
// prefix depends on the prefix alone, so the beam search computes it once per trie node.
import type { LanguageModelScorer } from '../lm/language_model_scorer.js';
import type { HotwordMatcher, HotwordState } from './hotword_matcher.js';

/** A prefix's language-model and hotword standing. Immutable: a child's is derived from its parent's. */
export interface FusionState {
  /** ln P_lm of the units scored so far. */
  readonly lm: number;
  /** Chars (char scorer) or words (word scorer) scored so far: what beta multiplies. */
  readonly units: number;
  readonly lmState: unknown;
  /** Word scorer: the text since the last word separator (not scored yet). */
  readonly partialWord: string;
  readonly hotword: HotwordState | null;
}

/** A finished hypothesis' LM and hotword terms. */
export interface FusionTotals {
  /** ln P_lm including the last (partial) word and the end of sentence. */
  lmScore: number;
  hotwordScore: number;
  /** alpha · lmScore + beta · units + hotwordScore (0 without a scorer and hotwords). */
  score: number;
}

export class PrefixFusion {
  /**
   * The most a label can raise a prefix' searchScore, or null when there is no such bound. LM log
   * probabilities are <= 0, so with alpha >= 0 a label adds at most beta (one more unit); a hotword
   * bonus can jump at a separator, so with hotwords there is none.
   */
  readonly maxGain: number | null;

  constructor(
    private readonly scorer: LanguageModelScorer | null,
    /** The text of each class id. */
    private readonly labels: readonly string[],
    private readonly wordSeparator: string,
    private readonly alpha: number,
    private readonly beta: number,
    private readonly hotwords: HotwordMatcher | null,
  ) {
    this.maxGain = hotwords || alpha < 0 ? null : scorer ? Math.max(0, beta) : 0;
  }

  root(): FusionState {
    return {
      lm: 0,
      units: 0,
      lmState: this.scorer ? this.scorer.start() : null,
      partialWord: '',
      hotword: this.hotwords ? this.hotwords.start : null,
    };
  }

  /** The state after `label` is appended to a prefix in state `parent`. */
  extend(parent: FusionState, label: number): FusionState {
    const text = this.labels[label] ?? '';
    const isSeparator = text === this.wordSeparator;
    const hotword =
      this.hotwords && parent.hotword ? this.hotwords.advance(parent.hotword, text, isSeparator) : null;
    const scorer = this.scorer;
    const { lm, units, lmState, partialWord } = parent;
    // Every state is written with the same five fields in the same order (one object shape).
    if (!scorer) return { lm, units, lmState, partialWord, hotword };
    if (scorer.unit === 'char') {
      const scored = scorer.score(lmState, text);
      return { lm: lm + scored.logProb, units: units + 1, lmState: scored.state, partialWord: '', hotword };
    }
    if (!isSeparator) return { lm, units, lmState, partialWord: partialWord + text, hotword };
    // A separator ends a word; an empty word (a leading or doubled separator) is not scored.
    if (partialWord === '') return { lm, units, lmState, partialWord, hotword };
    const scored = scorer.score(lmState, partialWord);
    return { lm: lm + scored.logProb, units: units + 1, lmState: scored.state, partialWord: '', hotword };
  }

  /** The fusion part of a prefix' score while searching (no end-of-sentence, no partial word). */
  searchScore(s: FusionState): number {
    const lm = this.scorer ? this.alpha * s.lm + this.beta * s.units : 0;
    return lm + (this.hotwords && s.hotword ? this.hotwords.partialBonus(s.hotword) : 0);
  }

  /** The fusion terms of a prefix still being searched: LM units scored so far, partial hotword bonus. */
  partial(s: FusionState): FusionTotals {
    const hotwordScore = this.hotwords && s.hotword ? this.hotwords.partialBonus(s.hotword) : 0;
    return { lmScore: this.scorer ? s.lm : 0, hotwordScore, score: this.searchScore(s) };
  }

  /** The fusion terms of a hypothesis that ends in state `s`: the last word and `finish()` added. */
  finish(s: FusionState): FusionTotals {
    const hotwordScore = this.hotwords && s.hotword ? this.hotwords.finalBonus(s.hotword) : 0;
    const scorer = this.scorer;
    if (!scorer) return { lmScore: 0, hotwordScore, score: hotwordScore };
    let { lm, units, lmState } = s;
    if (scorer.unit === 'word' && s.partialWord !== '') {
      const scored = scorer.score(lmState, s.partialWord);
      lm += scored.logProb;
      lmState = scored.state;
      units++;
    }
    lm += scorer.finish(lmState);
    return { lmScore: lm, hotwordScore, score: this.alpha * lm + this.beta * units + hotwordScore };
  }
}
