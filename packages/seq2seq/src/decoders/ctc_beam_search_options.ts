// The options of CTC prefix beam search (offline and streaming), their defaults and their checks.
import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { previewValue } from '@rnnkit/tensor-core/internal';

import type { LanguageModelScorer } from '../lm/language_model_scorer.js';
import { blankOption, checkBlank } from './ctc_decoder_input.js';

export interface CtcBeamSearchOptions {
  /** Prefixes kept after each frame (default 16). */
  beamSize?: number;
  /** The blank's class id (default 0). */
  blank?: number;
  /**
   * A frame does not start a new label whose log-probability there is below this (default -10, like
   * pyctcdecode's token_min_logp); the frame's most probable label is always tried. -Infinity: no pruning.
   */
  pruneLogProb?: number;
  /** Hypotheses returned per utterance, best first (default: beamSize, the whole final beam). */
  topK?: number;
  /** A language model fused into the search (shallow fusion); needs `labels`. */
  scorer?: LanguageModelScorer;
  /** The text of each class id (C entries; the blank's is ignored): gives `text`, and what the scorer and hotwords see. */
  labels?: readonly string[];
  /** The label text that ends a word, for 'word' scorers and hotwords (default ' '). */
  wordSeparator?: string;
  /** Weight of the LM's natural-log probability (default 0.5). */
  alpha?: number;
  /** Bonus per unit scored by the LM: per word ('word' scorer) or per label ('char') (default 1.0). */
  beta?: number;
  /** Words or phrases to favour (needs `labels`); see `hotwordWeight`. */
  hotwords?: readonly string[];
  /**
   * Bonus per hotword completed as whole words; a hypothesis ending inside a hotword gets the matched
   * fraction of it (default 10, as pyctcdecode).
   */
  hotwordWeight?: number;
}

/** One hypothesis of the n-best list. */
export interface CtcHypothesis {
  /** Label ids, blanks and repeats removed. */
  labels: number[];
  /** The labels' texts joined (when `labels` was given). */
  text?: string;
  /** What the list is sorted by: acousticScore + alpha · lmScore + beta · units + hotwordScore. */
  score: number;
  /** ln P(labels | frames), summed over every CTC alignment. */
  acousticScore: number;
  /** ln P_lm(labels), with end of sentence (0 without a scorer). Partial hypotheses: the units scored so far. */
  lmScore: number;
  /** The hotword bonus (0 without hotwords). */
  hotwordScore: number;
  /** The frame where each label starts (of the prefix's most probable way to reach that label). */
  timesteps: number[];
}

/** The options with defaults filled in. */
export interface ResolvedBeamSearchOptions {
  beamSize: number;
  blank: number;
  pruneLogProb: number;
  topK: number;
  scorer: LanguageModelScorer | null;
  labels: readonly string[] | null;
  wordSeparator: string;
  alpha: number;
  beta: number;
  hotwords: readonly string[];
  hotwordWeight: number;
}

const OPTIONS = optionKeys<CtcBeamSearchOptions>({
  beamSize: true,
  blank: true,
  pruneLogProb: true,
  topK: true,
  scorer: true,
  labels: true,
  wordSeparator: true,
  alpha: true,
  beta: true,
  hotwords: true,
  hotwordWeight: true,
});

function positiveInteger(fn: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new Error(`${fn}: ${name} must be a positive integer, got ${previewValue(value)}`);
  return value;
}

function finiteNumber(fn: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`${fn}: ${name} must be a finite number, got ${previewValue(value)}`);
  return value;
}

function checkScorer(fn: string, value: unknown): LanguageModelScorer | null {
  if (value === undefined) return null;
  const s = value as Partial<LanguageModelScorer> | null;
  if (
    s === null ||
    typeof s !== 'object' ||
    (s.unit !== 'char' && s.unit !== 'word') ||
    typeof s.start !== 'function' ||
    typeof s.score !== 'function' ||
    typeof s.finish !== 'function'
  )
    throw new TypeError(
      `${fn}: scorer must be a LanguageModelScorer (unit 'char' or 'word', start(), score(), finish()), got ${previewValue(value)}`,
    );
  return value as LanguageModelScorer;
}

function stringList(fn: string, name: string, value: unknown): readonly string[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value))
    throw new TypeError(`${fn}: ${name} must be an array of strings, got ${previewValue(value)}`);
  value.forEach((v: unknown, i) => {
    if (typeof v !== 'string')
      throw new TypeError(`${fn}: ${name}[${i}] must be a string, got ${previewValue(v)}`);
  });
  return value as string[];
}

/** Checks the options that do not depend on the class count C and fills in defaults. */
export function resolveBeamSearchOptions(
  fn: string,
  options: CtcBeamSearchOptions | undefined,
): ResolvedBeamSearchOptions {
  const opts = checkOptions(fn, options, OPTIONS);
  const beamSize = positiveInteger(fn, 'beamSize', opts.beamSize, 16);
  const topK = positiveInteger(fn, 'topK', opts.topK, beamSize);
  const blank = blankOption(fn, opts.blank);
  const pruneLogProb = opts.pruneLogProb ?? -10;
  if (typeof pruneLogProb !== 'number' || Number.isNaN(pruneLogProb) || pruneLogProb > 0)
    throw new Error(
      `${fn}: pruneLogProb must be a log-probability <= 0 (or -Infinity for no pruning), got ${previewValue(pruneLogProb)}`,
    );
  const scorer = checkScorer(fn, opts.scorer);
  const labels = stringList(fn, 'labels', opts.labels);
  const wordSeparator = opts.wordSeparator ?? ' ';
  if (typeof wordSeparator !== 'string' || wordSeparator === '')
    throw new Error(`${fn}: wordSeparator must be a non-empty string, got ${previewValue(wordSeparator)}`);
  const alpha = finiteNumber(fn, 'alpha', opts.alpha, 0.5);
  const beta = finiteNumber(fn, 'beta', opts.beta, 1.0);
  const hotwords = stringList(fn, 'hotwords', opts.hotwords) ?? [];
  hotwords.forEach((h, i) => {
    if (h.trim() === '') throw new Error(`${fn}: hotwords[${i}] is empty`);
  });
  const hotwordWeight = finiteNumber(fn, 'hotwordWeight', opts.hotwordWeight, 10);
  if (scorer && !labels)
    throw new Error(`${fn}: scorer needs labels (the text of each class id) to turn label ids into text`);
  if (hotwords.length > 0 && !labels)
    throw new Error(`${fn}: hotwords need labels (the text of each class id) to match text`);
  if (labels) checkBlank(fn, blank, labels.length, 'labels.length');
  return {
    beamSize,
    blank,
    pruneLogProb,
    topK,
    scorer,
    labels,
    wordSeparator,
    alpha,
    beta,
    hotwords,
    hotwordWeight,
  };
}

/** Checks the options against the class count C of the log-probabilities (`source` names where C comes from). */
export function checkClassCount(
  fn: string,
  options: ResolvedBeamSearchOptions,
  C: number,
  source: string,
): void {
  checkBlank(fn, options.blank, C, source);
  if (options.labels && options.labels.length !== C)
    throw new Error(
      `${fn}: labels has ${options.labels.length} entries, expected one per class: C = ${source} = ${C}`,
    );
}
