import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { booleanOption, previewValue } from '@rnnkit/tensor-core/internal';

import {
  integerOption,
  referenceStreams,
  stringArgument,
  stringList,
  stringOrList,
} from './metric_arguments.js';
import { formatFixed } from './python_fixed.js';
import { removeWhitespace, splitWhitespace } from './python_whitespace.js';
import { SACREBLEU_VERSION } from './sacrebleu_version.js';

export interface ChrfOptions {
  /** Character n-gram orders 1..charOrder (default 6). */
  charOrder?: number;
  /** Word n-gram orders 1..wordOrder (default 0: chrF; 2: chrF++). */
  wordOrder?: number;
  /** Recall weighs beta times as much as precision (default 2: chrF2). */
  beta?: number;
  /** Lowercase hypotheses and references first (default false). */
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams (default false: removed, as chrF defines). */
  whitespace?: boolean;
  /**
   * chrF++.py's (and NLTK's, Moses') epsilon smoothing instead of sacreBLEU 2.x's default, which averages
   * precision and recall over the orders that have n-grams on both sides (default false, `eff:yes`).
   */
  epsSmoothing?: boolean;
}

export interface ChrfScore {
  /** `chrF2`, `chrF2++` (wordOrder 2), … as sacreBLEU names it. */
  name: string;
  /** On sacreBLEU's 0–100 scale. */
  score: number;
  charOrder: number;
  wordOrder: number;
  beta: number;
  /** sacreBLEU's signature, e.g. `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0`. */
  signature: string;
  /** sacreBLEU's score line, e.g. `chrF2 = 69.44`. */
  formatted: string;
}

const OPTIONS = optionKeys<ChrfOptions>({
  charOrder: true,
  wordOrder: true,
  beta: true,
  lowercase: true,
  whitespace: true,
  epsSmoothing: true,
});

interface ChrfSettings {
  charOrder: number;
  wordOrder: number;
  beta: number;
  lowercase: boolean;
  whitespace: boolean;
  epsSmoothing: boolean;
}

function readOptions(fn: string, options: ChrfOptions | undefined): ChrfSettings {
  const o = checkOptions(fn, options, OPTIONS);
  const charOrder = integerOption(fn, 'charOrder', o.charOrder, 6, 0, 100);
  const wordOrder = integerOption(fn, 'wordOrder', o.wordOrder, 0, 0, 100);
  if (charOrder + wordOrder === 0) {
    throw new RangeError(`${fn}: charOrder and wordOrder are both 0; at least one n-gram order is needed`);
  }
  const beta: unknown = o.beta ?? 2;
  if (typeof beta !== 'number' || !(beta > 0) || !isFinite(beta)) {
    throw new RangeError(`${fn}: beta must be a finite number > 0, got ${previewValue(beta)}`);
  }
  return {
    charOrder,
    wordOrder,
    beta,
    lowercase: booleanOption(fn, 'lowercase', o.lowercase, false),
    whitespace: booleanOption(fn, 'whitespace', o.whitespace, false),
    epsSmoothing: booleanOption(fn, 'epsSmoothing', o.epsSmoothing, false),
  };
}

// string.punctuation: chrF++ separates these from the start or end of a word (one per word).
const ASCII_PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** The words of chrF++: a word longer than one character loses a punctuation mark at its end, else at its start. */
function chrfWords(text: string): string[] {
  const words: string[] = [];
  for (const word of splitWhitespace(text)) {
    const singleCodePoint = word.length === 1 || (word.length === 2 && (word.codePointAt(0) ?? 0) > 0xffff);
    if (singleCodePoint) words.push(word);
    else if (ASCII_PUNCTUATION.has(word.slice(-1))) words.push(word.slice(0, -1), word.slice(-1));
    else if (ASCII_PUNCTUATION.has(word.slice(0, 1))) words.push(word.slice(0, 1), word.slice(1));
    else words.push(word);
  }
  return words;
}

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;

/** Counts of the n-grams of `units` for one order, joined by `separator`. */
function ngrams(units: readonly string[], n: number, separator: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= units.length; i++) {
    const key = units.slice(i, i + n).join(separator);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Counts of the character n-grams of one order; n counts code points, as Python's str does. */
function charNgrams(text: string, starts: readonly number[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  // starts[k] is where code point k begins, with text.length appended; slicing beats joining arrays.
  for (let i = 0; i + n < starts.length; i++) {
    const key = text.slice(starts[i], starts[i + n]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Character orders 1..charOrder, then word orders 1..wordOrder. */
function allNgrams(text: string, s: ChrfSettings): Array<Map<string, number>> {
  const chars = s.whitespace ? text : removeWhitespace(text);
  const starts: number[] = [];
  for (let k = 0; k < chars.length; k++) {
    const unit = chars.charCodeAt(k);
    // A low surrogate continues the code point its high surrogate began.
    if (!(unit >= 0xdc00 && unit <= 0xdfff && k > 0 && isHighSurrogate(chars.charCodeAt(k - 1))))
      starts.push(k);
  }
  starts.push(chars.length);
  const out: Array<Map<string, number>> = [];
  for (let n = 1; n <= s.charOrder; n++) out.push(charNgrams(chars, starts, n));
  if (s.wordOrder > 0) {
    const words = chrfWords(text);
    for (let n = 1; n <= s.wordOrder; n++) out.push(ngrams(words, n, ' '));
  }
  return out;
}

function sumCounts(counts: Map<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

/** [hypothesis n-grams, reference n-grams, matches] per order, flattened, as sacreBLEU's statistics. */
function matchStatistics(hyp: Array<Map<string, number>>, ref: Array<Map<string, number>>): number[] {
  const stats: number[] = [];
  hyp.forEach((hypCounts, order) => {
    const refCounts = ref[order] ?? new Map<string, number>();
    let matches = 0;
    for (const [key, count] of hypCounts) matches += Math.min(count, refCounts.get(key) ?? 0);
    // sacreBLEU counts no hypothesis n-grams for an order the reference has none of.
    stats.push(refCounts.size > 0 ? sumCounts(hypCounts) : 0, sumCounts(refCounts), matches);
  });
  return stats;
}

/** sacreBLEU's CHRF._compute_f_score, step for step. */
function fScore(stats: readonly number[], s: ChrfSettings): number {
  const eps = 1e-16;
  const order = s.charOrder + s.wordOrder;
  const factor = s.beta ** 2;
  let score = 0;
  let effectiveOrder = 0;
  let avgPrecision = 0;
  let avgRecall = 0;
  for (let i = 0; i < order; i++) {
    const nHyp = stats[3 * i] ?? 0;
    const nRef = stats[3 * i + 1] ?? 0;
    const nMatch = stats[3 * i + 2] ?? 0;
    const precision = nHyp > 0 ? nMatch / nHyp : eps;
    const recall = nRef > 0 ? nMatch / nRef : eps;
    const denominator = factor * precision + recall;
    score += denominator > 0 ? ((1 + factor) * precision * recall) / denominator : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrecision += precision;
      avgRecall += recall;
      effectiveOrder += 1;
    }
  }
  if (s.epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) {
    avgPrecision = 0;
    avgRecall = 0;
  } else {
    avgPrecision /= effectiveOrder;
    avgRecall /= effectiveOrder;
  }
  if (avgPrecision + avgRecall === 0) return 0;
  return (100 * ((1 + factor) * avgPrecision * avgRecall)) / (factor * avgPrecision + avgRecall);
}

function corpusChrfChecked(
  hypotheses: readonly string[],
  streams: readonly (readonly string[])[],
  s: ChrfSettings,
): ChrfScore {
  const prepare = (text: string): string => (s.lowercase ? text.toLowerCase() : text);
  const totals = new Array<number>(3 * (s.charOrder + s.wordOrder)).fill(0);
  hypotheses.forEach((hypothesis, i) => {
    const hyp = allNgrams(prepare(hypothesis), s);
    // Per segment the reference with the best F-score counts (the first of equals).
    let best: number[] = [];
    let bestScore = -1;
    for (const stream of streams) {
      const stats = matchStatistics(hyp, allNgrams(prepare(stream[i] ?? ''), s));
      const f = fScore(stats, s);
      if (f > bestScore) {
        bestScore = f;
        best = stats;
      }
    }
    best.forEach((value, k) => {
      totals[k] = (totals[k] ?? 0) + value;
    });
  });
  const score = fScore(totals, s);
  const name = `chrF${s.beta}${'+'.repeat(s.wordOrder)}`;
  const signature = [
    `nrefs:${streams.length}`,
    `case:${s.lowercase ? 'lc' : 'mixed'}`,
    `eff:${s.epsSmoothing ? 'no' : 'yes'}`,
    `nc:${s.charOrder}`,
    `nw:${s.wordOrder}`,
    `space:${s.whitespace ? 'yes' : 'no'}`,
    `version:${SACREBLEU_VERSION}`,
  ].join('|');
  return {
    name,
    score,
    charOrder: s.charOrder,
    wordOrder: s.wordOrder,
    beta: s.beta,
    signature,
    formatted: `${name} = ${formatFixed(score, 2)}`,
  };
}

/**
 * Corpus chrF as sacreBLEU 2.x computes it (`CHRF().corpus_score(hypotheses, references)`): character
 * n-gram F-score (Popović 2015), with `wordOrder: 2` chrF++ (Popović 2017). Statistics are summed over
 * the corpus; per segment the best-scoring reference counts. `references` is one array per reference
 * stream, as in corpusBleu.
 */
export function corpusChrf(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options?: ChrfOptions,
): ChrfScore {
  const fn = 'corpusChrf';
  const hyps = stringList(fn, 'hypotheses', hypotheses);
  const streams = referenceStreams(fn, references, hyps.length);
  return corpusChrfChecked(hyps, streams, readOptions(fn, options));
}

/** chrF of one hypothesis against one or more references (sacreBLEU's `sentence_chrf`). */
export function sentenceChrf(
  hypothesis: string,
  references: string | readonly string[],
  options?: ChrfOptions,
): ChrfScore {
  const fn = 'sentenceChrf';
  const hyp = stringArgument(fn, 'hypothesis', hypothesis);
  const refs = stringOrList(fn, 'references', references);
  return corpusChrfChecked(
    [hyp],
    refs.map((ref) => [ref]),
    readOptions(fn, options),
  );
}
