import { checkOptions, optionKeys } from '@rnnkit/tensor-core';
import { booleanOption, previewValue } from '@rnnkit/tensor-core/internal';

import { BLEU_TOKENIZERS, bleuTokenize, type BleuTokenizer } from './bleu_tokenizers.js';
import {
  choiceOption,
  integerOption,
  referenceStreams,
  stringArgument,
  stringList,
  stringOrList,
} from './metric_arguments.js';
import { formatFixed } from './python_fixed.js';
import { splitWhitespace, stripTrailingWhitespace } from './python_whitespace.js';
import { SACREBLEU_VERSION } from './sacrebleu_version.js';

/**
 * BLEU's smoothing for n-gram orders with no match (Chen & Cherry 2014, as sacreBLEU names them):
 * 'none'; 'floor' (method 1: `smoothValue` matches, default 0.1); 'add-k' (method 2: `smoothValue` added
 * to the matches and totals of orders ≥ 2, default 1); 'exp' (method 3, mteval-v13a's: the k-th order
 * without a match gets precision 1 / (2^k · total)).
 */
export type BleuSmoothMethod = 'none' | 'floor' | 'add-k' | 'exp';

export const BLEU_SMOOTH_METHODS: readonly BleuSmoothMethod[] = Object.freeze([
  'none',
  'floor',
  'add-k',
  'exp',
]);

const SMOOTH_DEFAULTS: Readonly<Record<BleuSmoothMethod, number | undefined>> = {
  none: undefined,
  floor: 0.1,
  'add-k': 1,
  exp: undefined,
};

export interface BleuOptions {
  /** sacreBLEU's tokenizer (default '13a'). */
  tokenize?: BleuTokenizer;
  /** Default 'exp', sacreBLEU's. */
  smoothMethod?: BleuSmoothMethod;
  /** The constant of 'floor' (default 0.1) and 'add-k' (default 1); the other methods ignore it. */
  smoothValue?: number;
  /** Lowercase hypotheses and references first (default false: case-sensitive, `case:mixed`). */
  lowercase?: boolean;
  /**
   * Average only over the orders up to the highest one the hypotheses have n-grams of, so a sentence
   * shorter than `maxNgramOrder` words can score above 0. Default false for corpusBleu, true for
   * sentenceBleu (as sacreBLEU's `sentence_bleu`).
   */
  effectiveOrder?: boolean;
  /** The highest n-gram order (default 4). */
  maxNgramOrder?: number;
}

export interface BleuScore {
  name: 'BLEU';
  /** BLEU on sacreBLEU's 0–100 scale. */
  score: number;
  /** Clipped n-gram matches per order (with 'add-k', orders ≥ 2 include the added constant, as in sacreBLEU). */
  counts: number[];
  /** Hypothesis n-grams per order (with 'add-k', likewise). */
  totals: number[];
  /** n-gram precisions in percent, after smoothing; 0 for orders not reached. */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
  /** Tokens in the hypotheses. */
  sysLen: number;
  /** Tokens in the references, the one closest in length per segment (the shorter on a tie). */
  refLen: number;
  /** sysLen / refLen (0 when refLen is 0). */
  ratio: number;
  /** sacreBLEU's signature, e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`. */
  signature: string;
  /** sacreBLEU's score line: `BLEU = 48.89 85.7/66.7/40.0/25.0 (BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)`. */
  formatted: string;
}

const OPTIONS = optionKeys<BleuOptions>({
  tokenize: true,
  smoothMethod: true,
  smoothValue: true,
  lowercase: true,
  effectiveOrder: true,
  maxNgramOrder: true,
});

interface BleuSettings {
  tokenize: BleuTokenizer;
  smoothMethod: BleuSmoothMethod;
  smoothValue: number | undefined;
  lowercase: boolean;
  effectiveOrder: boolean;
  maxNgramOrder: number;
}

function readOptions(fn: string, options: BleuOptions | undefined, effectiveDefault: boolean): BleuSettings {
  const o = checkOptions(fn, options, OPTIONS);
  const smoothValue: unknown = o.smoothValue;
  if (
    smoothValue !== undefined &&
    (typeof smoothValue !== 'number' || !(smoothValue >= 0) || !isFinite(smoothValue))
  ) {
    throw new RangeError(`${fn}: smoothValue must be a finite number ≥ 0, got ${previewValue(smoothValue)}`);
  }
  return {
    tokenize: choiceOption(fn, 'tokenize', o.tokenize, BLEU_TOKENIZERS, '13a'),
    smoothMethod: choiceOption(fn, 'smoothMethod', o.smoothMethod, BLEU_SMOOTH_METHODS, 'exp'),
    smoothValue: smoothValue as number | undefined,
    lowercase: booleanOption(fn, 'lowercase', o.lowercase, false),
    effectiveOrder: booleanOption(fn, 'effectiveOrder', o.effectiveOrder, effectiveDefault),
    maxNgramOrder: integerOption(fn, 'maxNgramOrder', o.maxNgramOrder, 4, 1, 100),
  };
}

function segmentTokens(text: string, settings: BleuSettings): string[] {
  // sacreBLEU's BLEU._preprocess_segment: lowercase, strip the right end, tokenize; then str.split().
  const cased = settings.lowercase ? text.toLowerCase() : text;
  return splitWhitespace(bleuTokenize(stripTrailingWhitespace(cased), settings.tokenize));
}

/** n-gram counts per order (index n-1); tokens hold no whitespace, so a space-joined key is unique. */
function ngramCounts(tokens: readonly string[], maxOrder: number): Array<Map<string, number>> {
  const counts: Array<Map<string, number>> = [];
  for (let n = 1; n <= maxOrder; n++) {
    const map = new Map<string, number>();
    for (let i = 0; i + n <= tokens.length; i++) {
      const key = tokens.slice(i, i + n).join(' ');
      map.set(key, (map.get(key) ?? 0) + 1);
    }
    counts.push(map);
  }
  return counts;
}

/** The reference length BLEU compares with: the closest to the hypothesis, the shorter on a tie. */
function closestReferenceLength(hypLength: number, refLengths: readonly number[]): number {
  let best = -1;
  let bestDiff = -1;
  for (const length of refLengths) {
    const diff = Math.abs(hypLength - length);
    if (bestDiff === -1 || diff < bestDiff || (diff === bestDiff && length < best)) {
      bestDiff = diff;
      best = length;
    }
  }
  return best;
}

// sacreBLEU's my_log: log(0) floored so that an order without matches drives the score to 0, not NaN.
const logOrFloor = (x: number): number => (x === 0 ? -9999999999 : Math.log(x));

function bleuSignature(nrefs: number, s: BleuSettings): string {
  const smoothDefault = SMOOTH_DEFAULTS[s.smoothMethod];
  const smooth =
    smoothDefault === undefined
      ? s.smoothMethod
      : `${s.smoothMethod}[${formatFixed(s.smoothValue ?? smoothDefault, 2)}]`;
  return [
    `nrefs:${nrefs}`,
    `case:${s.lowercase ? 'lc' : 'mixed'}`,
    `eff:${s.effectiveOrder ? 'yes' : 'no'}`,
    `tok:${s.tokenize}`,
    `smooth:${smooth}`,
    `version:${SACREBLEU_VERSION}`,
  ].join('|');
}

/** sacreBLEU's BLEU.compute_bleu on corpus statistics, step for step (its quirks are part of the score). */
function bleuFromStatistics(
  correct: number[],
  total: number[],
  sysLen: number,
  refLen: number,
  s: BleuSettings,
  signature: string,
): BleuScore {
  const smoothValue = s.smoothValue ?? SMOOTH_DEFAULTS[s.smoothMethod] ?? 0;
  const maxOrder = s.maxNgramOrder;
  let bp = 1;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0;
  const precisions = new Array<number>(maxOrder).fill(0);

  let score = 0;
  if (correct.some((c) => c !== 0)) {
    let smoothMteval = 1;
    let effectiveOrder = maxOrder;
    for (let n = 1; n <= maxOrder; n++) {
      if (s.smoothMethod === 'add-k' && n > 1) {
        correct[n - 1] = (correct[n - 1] ?? 0) + smoothValue;
        total[n - 1] = (total[n - 1] ?? 0) + smoothValue;
      }
      const t = total[n - 1] ?? 0;
      if (t === 0) break;
      if (s.effectiveOrder) effectiveOrder = n;
      const c = correct[n - 1] ?? 0;
      if (c === 0) {
        if (s.smoothMethod === 'exp') {
          smoothMteval *= 2;
          precisions[n - 1] = 100 / (smoothMteval * t);
        } else if (s.smoothMethod === 'floor') {
          precisions[n - 1] = (100 * smoothValue) / t;
        }
      } else {
        precisions[n - 1] = (100 * c) / t;
      }
    }
    let logSum = 0;
    for (const p of precisions.slice(0, effectiveOrder)) logSum += logOrFloor(p);
    score = bp * Math.exp(logSum / effectiveOrder);
  }

  const ratio = refLen ? sysLen / refLen : 0;
  const formatted =
    `BLEU = ${formatFixed(score, 2)} ${precisions.map((p) => formatFixed(p, 1)).join('/')} ` +
    `(BP = ${formatFixed(bp, 3)} ratio = ${formatFixed(ratio, 3)} hyp_len = ${sysLen} ref_len = ${refLen})`;
  return {
    name: 'BLEU',
    score,
    counts: correct,
    totals: total,
    precisions,
    bp,
    sysLen,
    refLen,
    ratio,
    signature,
    formatted,
  };
}

function corpusBleuChecked(
  hypotheses: readonly string[],
  streams: readonly (readonly string[])[],
  s: BleuSettings,
): BleuScore {
  const maxOrder = s.maxNgramOrder;
  const correct = new Array<number>(maxOrder).fill(0);
  const total = new Array<number>(maxOrder).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hypotheses.forEach((hypothesis, i) => {
    // The reference n-grams of a segment, each count the maximum over the references. One map holds
    // every order: a key's number of spaces tells its order.
    const refCounts = new Map<string, number>();
    const refLengths: number[] = [];
    for (const stream of streams) {
      const tokens = segmentTokens(stream[i] ?? '', s);
      refLengths.push(tokens.length);
      for (const counts of ngramCounts(tokens, maxOrder)) {
        for (const [key, count] of counts) refCounts.set(key, Math.max(refCounts.get(key) ?? 0, count));
      }
    }
    const hypTokens = segmentTokens(hypothesis, s);
    sysLen += hypTokens.length;
    refLen += closestReferenceLength(hypTokens.length, refLengths);
    ngramCounts(hypTokens, maxOrder).forEach((counts, n) => {
      let orderTotal = 0;
      let orderCorrect = 0;
      for (const [key, count] of counts) {
        orderTotal += count;
        orderCorrect += Math.min(count, refCounts.get(key) ?? 0);
      }
      total[n] = (total[n] ?? 0) + orderTotal;
      correct[n] = (correct[n] ?? 0) + orderCorrect;
    });
  });
  return bleuFromStatistics(correct, total, sysLen, refLen, s, bleuSignature(streams.length, s));
}

/**
 * Corpus BLEU as sacreBLEU 2.x computes it (`BLEU().corpus_score(hypotheses, references)`): n-gram
 * statistics summed over the corpus, then one score. `references` holds one array per reference
 * stream, each with one segment per hypothesis (`references[k][i]` is the k-th reference of
 * hypotheses[i]), exactly like sacreBLEU's `refs`.
 *
 * Defaults are sacreBLEU's: tokenizer '13a', smoothing 'exp', case-sensitive, no effective order.
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options?: BleuOptions,
): BleuScore {
  const fn = 'corpusBleu';
  const hyps = stringList(fn, 'hypotheses', hypotheses);
  const streams = referenceStreams(fn, references, hyps.length);
  return corpusBleuChecked(hyps, streams, readOptions(fn, options, false));
}

/**
 * BLEU of one hypothesis against one or more references, as sacreBLEU's `sentence_bleu` (effective
 * order on by default, so short sentences are not scored 0). BLEU is a corpus metric: averaging sentence
 * scores is not corpus BLEU.
 */
export function sentenceBleu(
  hypothesis: string,
  references: string | readonly string[],
  options?: BleuOptions,
): BleuScore {
  const fn = 'sentenceBleu';
  const hyp = stringArgument(fn, 'hypothesis', hypothesis);
  const refs = stringOrList(fn, 'references', references);
  return corpusBleuChecked(
    [hyp],
    refs.map((ref) => [ref]),
    readOptions(fn, options, true),
  );
}
