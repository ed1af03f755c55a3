import type * as tf from '@tensorflow/tfjs-core';

import type { Seq2Seq } from '../model/seq2seq.js';
import {
  checkSource,
  countOption,
  type DecodedSequence,
  DecodingRows,
  tokenOption,
} from './decoding_rows.js';

export type LengthPenalty = 'none' | 'wu' | 'avg';
export type CoveragePenalty = 'none' | 'wu' | 'summary';

export interface BeamSearchOptions {
  /** Hypotheses kept per sentence; default 5. */
  beamSize?: number;
  /** Most tokens generated per hypothesis (EOS included). */
  maxLength: number;
  /** EOS is forbidden until this many tokens were generated; default 0. */
  minLength?: number;
  /** Hypotheses returned per sentence, at most beamSize; default 1. */
  nBest?: number;
  /** Default 'none'. 'wu': ((5 + |Y|) / 6)^alpha (GNMT); 'avg': |Y|^alpha. */
  lengthPenalty?: LengthPenalty;
  /** Default 0. */
  alpha?: number;
  /** Default 'none'. 'wu': beta · Σ -log(min(coverage, 1)); 'summary': beta · Σ (max(coverage, 1) - 1). */
  coveragePenalty?: CoveragePenalty;
  /** Default 0. */
  beta?: number;
  /** Forbid any n-gram of this size from repeating within a hypothesis; 0 (default) turns it off. */
  blockNgramRepeat?: number;
  bos: number;
  eos: number;
}

const LENGTH_PENALTIES: readonly LengthPenalty[] = ['none', 'wu', 'avg'];
const COVERAGE_PENALTIES: readonly CoveragePenalty[] = ['none', 'wu', 'summary'];
// OpenNMT-py's stand-ins for -inf: a masked finished beam, a forbidden token.
const FINISHED = -65504;
const BLOCKED = -10e20;

/** A hypothesis as a linked list, so reordering the beam copies no histories. */
interface Node {
  token: number;
  attention: Float32Array;
  parent: Node | null;
}

interface Sentence {
  index: number;
  srcLength: number;
  /** Per beam: the cumulative log-probability (topk_log_probs). */
  logProbs: Float64Array;
  nodes: Array<Node | null>;
  coverage: Float64Array[];
  finished: Array<{ score: number; node: Node }>;
}

function lengthPenaltyOf(kind: LengthPenalty, length: number, alpha: number): number {
  if (kind === 'wu') return ((5 + length) / 6) ** alpha;
  if (kind === 'avg') return length ** alpha;
  return 1;
}

function coveragePenaltyOf(kind: CoveragePenalty, coverage: Float64Array, beta: number): number {
  if (kind === 'none') return 0;
  let penalty = 0;
  if (kind === 'wu') for (const c of coverage) penalty -= Math.log(Math.min(c, 1));
  else for (const c of coverage) penalty += Math.max(c, 1) - 1;
  return beta * penalty;
}

function tokensOf(node: Node | null, bos: number): number[] {
  const out: number[] = [];
  for (let n = node; n !== null; n = n.parent) out.push(n.token);
  out.push(bos);
  return out.reverse();
}

/**
 * Batched beam search with OpenNMT-py's scoring: a candidate's score is its cumulative log-probability
 * divided by the length penalty of its length counting BOS (OpenNMT-py's `step + 1`), minus the coverage
 * penalty of its summed attention for finished hypotheses. A sentence is done when its best beam ends
 * with EOS and nBest hypotheses were finished, or at maxLength; a done sentence leaves the batch. The
 * encoder runs and its keys are projected once per batch. Returns the nBest hypotheses per sentence,
 * best first.
 *
 * Differences from OpenNMT-py: the coverage penalty sums over the sentence's own source positions (over
 * padding, 'wu' would take log 0), and blockNgramRepeat: 1 forbids repeating any token.
 */
export async function beamSearch(
  model: Seq2Seq,
  src: tf.Tensor2D,
  srcLengths: readonly number[] | Int32Array,
  options: BeamSearchOptions,
): Promise<DecodedSequence[][]> {
  const fn = 'beamSearch';
  if (options === undefined || options === null)
    throw new Error(`${fn}: options { maxLength, bos, eos } are required`);
  const lengths = checkSource(fn, src, srcLengths);
  const vocab = model.decoder.vocabSize;
  const K = countOption(fn, 'beamSize', options.beamSize ?? 5, 1);
  const maxLength = countOption(fn, 'maxLength', options.maxLength, 1);
  const minLength = countOption(fn, 'minLength', options.minLength ?? 0, 0);
  if (maxLength < minLength)
    throw new Error(`${fn}: options.maxLength = ${maxLength} is below options.minLength = ${minLength}`);
  const nBest = countOption(fn, 'nBest', options.nBest ?? 1, 1);
  if (nBest > K) throw new Error(`${fn}: options.nBest = ${nBest} exceeds options.beamSize = ${K}`);
  const lengthPenalty = options.lengthPenalty ?? 'none';
  if (!LENGTH_PENALTIES.includes(lengthPenalty))
    throw new Error(
      `${fn}: options.lengthPenalty must be one of ${LENGTH_PENALTIES.join(', ')}, got ${String(lengthPenalty)}`,
    );
  const coveragePenalty = options.coveragePenalty ?? 'none';
  if (!COVERAGE_PENALTIES.includes(coveragePenalty))
    throw new Error(
      `${fn}: options.coveragePenalty must be one of ${COVERAGE_PENALTIES.join(', ')}, got ${String(coveragePenalty)}`,
    );
  const alpha = options.alpha ?? 0;
  const beta = options.beta ?? 0;
  for (const [name, v] of [
    ['alpha', alpha],
    ['beta', beta],
  ] as const)
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`${fn}: options.${name} must be a finite number, got ${String(v)}`);
  const blockN = countOption(fn, 'blockNgramRepeat', options.blockNgramRepeat ?? 0, 0);
  const bos = tokenOption(fn, 'bos', options.bos, vocab);
  const eos = tokenOption(fn, 'eos', options.eos, vocab);
  const srcLen = src.shape[1];

  const results: DecodedSequence[][] = lengths.map(() => []);
  let live: Sentence[] = lengths.map((n, index) => ({
    index,
    srcLength: n,
    // Only the first beam is alive at the start: the others would repeat it.
    logProbs: Float64Array.from({ length: K }, (_, j) => (j === 0 ? 0 : -Infinity)),
    nodes: new Array<Node | null>(K).fill(null),
    coverage: Array.from({ length: K }, () => new Float64Array(n)),
    finished: [],
  }));
  const rows = DecodingRows.encode(model, src, lengths, K);
  try {
    let prev = new Array<number>(live.length * K).fill(bos);
    for (let step = 1; step <= maxLength && live.length > 0; step++) {
      const { logProbs, attention } = await rows.step(model.decoder, prev);
      // OpenNMT-py's penalty argument: the length after this step, counting BOS.
      const lp = lengthPenaltyOf(lengthPenalty, step + 1, alpha);
      const order: number[] = []; // rows to keep, for the next step
      const stillLive: Sentence[] = [];
      const nextPrev: number[] = [];
      live.forEach((s, i) => {
        // The K best (beam, token) candidates, kept sorted by score, first found first on ties.
        const topScores: number[] = [];
        const topIds: number[] = [];
        for (let j = 0; j < K; j++) {
          const row = i * K + j;
          const base = s.logProbs[j] as number;
          const blocked = blockN > 0 ? forbiddenTokens(tokensOf(s.nodes[j] ?? null, bos), blockN) : null;
          for (let w = 0; w < vocab; w++) {
            let v = logProbs[row * vocab + w] as number;
            if (w === eos && step <= minLength) v = FINISHED;
            let score = (v + base) / lp;
            if (blocked?.has(w) === true) score = BLOCKED;
            if (topScores.length === K && !(score > (topScores[K - 1] as number))) continue;
            let at = topScores.length;
            while (at > 0 && score > (topScores[at - 1] as number)) at--;
            topScores.splice(at, 0, score);
            topIds.splice(at, 0, j * vocab + w);
            if (topScores.length > K) {
              topScores.pop();
              topIds.pop();
            }
          }
        }
        const nodes: Array<Node | null> = [];
        const coverage: Float64Array[] = [];
        const newLogProbs = new Float64Array(K);
        const scores: number[] = [];
        const isFinished: boolean[] = [];
        for (let k = 0; k < K; k++) {
          const id = topIds[k] as number;
          const origin = Math.floor(id / vocab);
          const token = id % vocab;
          const row = i * K + origin;
          const attn = attention.slice(row * srcLen, row * srcLen + s.srcLength);
          nodes.push({ token, attention: attn, parent: s.nodes[origin] ?? null });
          const cov = Float64Array.from(
            s.coverage[origin] as Float64Array,
            (c, p) => c + (attn[p] as number),
          );
          coverage.push(cov);
          newLogProbs[k] = (topScores[k] as number) * lp;
          scores.push((topScores[k] as number) - coveragePenaltyOf(coveragePenalty, cov, beta));
          isFinished.push(token === eos || step === maxLength);
        }
        for (let k = 0; k < K; k++)
          if (isFinished[k] === true) s.finished.push({ score: scores[k] as number, node: nodes[k] as Node });
        if (isFinished[0] === true && s.finished.length >= nBest) {
          s.finished.sort((a, b) => b.score - a.score);
          results[s.index] = s.finished.slice(0, nBest).map(({ score, node }) => {
            const tokens = tokensOf(node, bos).slice(1);
            const attentionRows: number[][] = [];
            for (let n: Node | null = node; n !== null; n = n.parent)
              attentionRows.push(Array.from(n.attention));
            if (tokens[tokens.length - 1] === eos) tokens.pop();
            return { tokens, score, attention: attentionRows.reverse() };
          });
          return;
        }
        // A finished beam stays in the beam with a score nothing picks (OpenNMT-py's masking).
        for (let k = 0; k < K; k++) if (isFinished[k] === true) newLogProbs[k] = FINISHED;
        s.logProbs = newLogProbs;
        s.nodes = nodes;
        s.coverage = coverage;
        for (let k = 0; k < K; k++) {
          order.push(i * K + Math.floor((topIds[k] as number) / vocab));
          nextPrev.push(nodes[k]?.token as number);
        }
        stillLive.push(s);
      });
      if (stillLive.length === 0) break;
      // Done sentences leave the batch (their keys too); the kept rows follow their beams' origins.
      rows.select(order, stillLive.length < live.length);
      live = stillLive;
      prev = nextPrev;
    }
  } finally {
    rows.dispose();
  }
  return results;
}

/** Tokens that would repeat an n-gram of `seq` (BOS included, as OpenNMT-py counts it). */
function forbiddenTokens(seq: readonly number[], n: number): Set<number> {
  const out = new Set<number>();
  if (seq.length < n) return out;
  const prefix = seq.slice(seq.length - (n - 1));
  for (let i = 0; i + n <= seq.length; i++) {
    let match = true;
    for (let p = 0; p < n - 1 && match; p++) match = seq[i + p] === prefix[p];
    if (match) out.add(seq[i + n - 1] as number);
  }
  return out;
}
