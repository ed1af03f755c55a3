import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { Seq2Seq } from '../model/seq2seq.js';
import { beamSearch } from './beam_search.js';
import type { DecodedSequence } from './decoding_rows.js';
import { greedyDecode } from './greedy_decode.js';

// greedyDecode and beamSearch against the teacher-forced model: self-consistency, beamSize 1 = greedy,
// the exact best sequence by brute force, and OpenNMT-py's length and coverage penalties recomputed.

const [PAD, BOS, EOS] = [0, 1, 2];

function tinyModel(vocab: number, cell: 'gru' | 'lstm', attention: 'bahdanau' | 'general', seed: number) {
  return new Seq2Seq({
    encoder: { vocabSize: 7, embeddingSize: 4, hiddenSize: 5, bidirectional: true, cell, seed },
    decoder: {
      vocabSize: vocab,
      embeddingSize: 4,
      hiddenSize: 5,
      cell,
      attention,
      inputFeeding: attention !== 'bahdanau',
      seed: seed + 10,
    },
  });
}

const source = () =>
  tf.tensor2d(
    [
      [3, 4, 5, 6],
      [6, 5, PAD, PAD],
      [4, PAD, PAD, PAD],
    ],
    [3, 4],
    'int32',
  );
const srcLengths = [4, 2, 1];

/** Per-position log-probabilities of `seqs` (each [tokens…]) under teacher forcing from BOS. */
async function teacherForced(model: Seq2Seq, src: tf.Tensor2D, rows: number[], seqs: number[][]) {
  const len = Math.max(...seqs.map((s) => s.length));
  const tgtIn = tf.tensor2d(
    seqs.flatMap((s) => [BOS, ...s, ...new Array<number>(len - s.length).fill(PAD)].slice(0, len)),
    [seqs.length, len],
    'int32',
  );
  const idx = tf.tensor1d(rows, 'int32');
  const srcRows = tf.gather(src, idx) as tf.Tensor2D;
  const { logits, attention } = model.forward(
    srcRows,
    rows.map((r) => srcLengths[r]!),
    tgtIn,
  );
  const lp = tf.logSoftmax(logits);
  const values = (await lp.array()) as number[][][];
  const attn = (await attention.array()) as number[][][];
  tf.dispose([tgtIn, idx, srcRows, logits, attention, lp]);
  return { values, attn };
}

const withEos = (h: DecodedSequence, maxLength: number) =>
  h.tokens.length < maxLength ? [...h.tokens, EOS] : h.tokens;

describeWithBackends('greedyDecode and beamSearch', () => {
  for (const [cell, attention] of [
    ['gru', 'bahdanau'],
    ['lstm', 'general'],
  ] as const) {
    it(`${cell} ${attention}: greedy is the argmax of the teacher-forced logits fed its own outputs`, async () => {
      const model = tinyModel(9, cell, attention, 3);
      const src = source();
      const before = tf.memory().numTensors;
      const greedy = await greedyDecode(model, src, srcLengths, { maxLength: 6, bos: BOS, eos: EOS });
      expect(tf.memory().numTensors).toBe(before);
      for (let b = 0; b < 3; b++) {
        const h = greedy[b]!;
        const seq = withEos(h, 6);
        const { values, attn } = await teacherForced(model, src, [b], [seq]);
        let score = 0;
        seq.forEach((token, t) => {
          const row = values[0]![t]!;
          expect(row.indexOf(Math.max(...row)), `sentence ${b} step ${t}`).toBe(token);
          score += row[token]!;
          expect(h.attention[t]!.length).toBe(srcLengths[b]);
          h.attention[t]!.forEach((w, p) => expect(w).toBeCloseTo(attn[0]![t]![p]!, 5));
        });
        expect(h.attention).toHaveLength(seq.length);
        expect(h.score).toBeCloseTo(score, 4);
      }
      // beamSize 1 is greedy.
      const beam = await beamSearch(model, src, srcLengths, {
        beamSize: 1,
        maxLength: 6,
        bos: BOS,
        eos: EOS,
      });
      expect(tf.memory().numTensors).toBe(before);
      for (let b = 0; b < 3; b++) {
        expect(beam[b]).toHaveLength(1);
        expect(beam[b]![0]!.tokens).toEqual(greedy[b]!.tokens);
        expect(beam[b]![0]!.score).toBeCloseTo(greedy[b]!.score, 4);
      }
      tf.dispose(src);
      model.dispose();
    });
  }

  it('with a beam as large as the search space finds the exact best sequence (brute force)', async () => {
    const V = 4;
    const maxLength = 3;
    for (const seed of [1, 2]) {
      const model = tinyModel(V, 'gru', 'bahdanau', seed);
      const src = source();
      const found = await beamSearch(model, src, srcLengths, {
        beamSize: V ** maxLength,
        maxLength,
        bos: BOS,
        eos: EOS,
      });
      const all: number[][] = [];
      for (let i = 0; i < V ** maxLength; i++)
        all.push([i % V, Math.floor(i / V) % V, Math.floor(i / V / V)]);
      for (let b = 0; b < 3; b++) {
        const { values } = await teacherForced(
          model,
          src,
          all.map(() => b),
          all,
        );
        let best = { score: -Infinity, tokens: [] as number[] };
        all.forEach((seq, i) => {
          let score = 0;
          for (let t = 0; t < maxLength; t++) {
            score += values[i]![t]![seq[t]!]!;
            if (seq[t] === EOS || t === maxLength - 1) {
              if (score > best.score) best = { score, tokens: seq.slice(0, seq[t] === EOS ? t : t + 1) };
              break;
            }
          }
        });
        expect(found[b]![0]!.tokens, `seed ${seed} sentence ${b}`).toEqual(best.tokens);
        expect(found[b]![0]!.score).toBeCloseTo(best.score, 4);
      }
      tf.dispose(src);
      model.dispose();
    }
  });

  it("scores with OpenNMT-py's length and coverage penalties, n-best sorted, n-grams blocked", async () => {
    const model = tinyModel(9, 'lstm', 'general', 5);
    const src = source();
    const maxLength = 7;
    for (const [lengthPenalty, coveragePenalty] of [
      ['wu', 'wu'],
      ['avg', 'summary'],
    ] as const) {
      const [alpha, beta] = [0.6, 0.2];
      const out = await beamSearch(model, src, srcLengths, {
        beamSize: 4,
        nBest: 3,
        maxLength,
        minLength: 2,
        lengthPenalty,
        alpha,
        coveragePenalty,
        beta,
        blockNgramRepeat: 2,
        bos: BOS,
        eos: EOS,
      });
      for (let b = 0; b < 3; b++) {
        expect(out[b]).toHaveLength(3);
        for (let k = 1; k < 3; k++) expect(out[b]![k]!.score).toBeLessThanOrEqual(out[b]![k - 1]!.score);
        for (const h of out[b]!) {
          expect(h.tokens.length).toBeGreaterThanOrEqual(2);
          const seq = withEos(h, maxLength);
          const full = [BOS, ...seq];
          const bigrams = full.slice(1).map((w, i) => `${full[i]} ${w}`);
          expect(new Set(bigrams).size).toBe(bigrams.length);
          const { values } = await teacherForced(model, src, [b], [seq]);
          const logProb = seq.reduce((s, w, t) => s + values[0]![t]![w]!, 0);
          // OpenNMT-py's length counts BOS; coverage sums each source position's attention.
          const n = seq.length + 1;
          const lp = lengthPenalty === 'wu' ? ((5 + n) / 6) ** alpha : n ** alpha;
          const coverage = new Array<number>(srcLengths[b]!).fill(0);
          for (const row of h.attention) row.forEach((w, p) => (coverage[p]! += w));
          const cp =
            coveragePenalty === 'wu'
              ? coverage.reduce((s, c) => s - Math.log(Math.min(c, 1)), 0)
              : coverage.reduce((s, c) => s + Math.max(c, 1) - 1, 0);
          expect(h.score).toBeCloseTo(logProb / lp - beta * cp, 4);
        }
      }
    }
    tf.dispose(src);
    model.dispose();
  });

  it('names the bad argument', async () => {
    const model = tinyModel(9, 'gru', 'bahdanau', 1);
    const src = source();
    const o = { maxLength: 5, bos: BOS, eos: EOS };
    await expect(beamSearch(model, src, srcLengths, { ...o, beamSize: 0 })).rejects.toThrow(
      /options.beamSize must be an integer ≥ 1, got 0/,
    );
    await expect(beamSearch(model, src, srcLengths, { ...o, maxLength: 2, minLength: 3 })).rejects.toThrow(
      /options.maxLength = 2 is below options.minLength = 3/,
    );
    await expect(beamSearch(model, src, [4, 2], o)).rejects.toThrow(
      /srcLengths has 2 entries but src has batch 3/,
    );
    await expect(beamSearch(model, src, srcLengths, { ...o, nBest: 6, beamSize: 5 })).rejects.toThrow(
      /nBest = 6/,
    );
    await expect(greedyDecode(model, src, srcLengths, { ...o, eos: 9 })).rejects.toThrow(/options.eos/);
    await expect(greedyDecode(model, src, [4, 5, 1], o)).rejects.toThrow(/srcLengths\[1\] = 5/);
    tf.dispose(src);
    model.dispose();
  });
});
