import { readFileSync } from 'node:fs';

import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends } from '@rnnkit/tensor-core/testing';
import { expect, it } from 'vitest';

import { loadModelFixture, type ModelFixtureCase } from '../model/__fixtures__/load_fixture.js';
import { Seq2Seq } from '../model/seq2seq.js';
import { type BeamSearchOptions, beamSearch } from './beam_search.js';
import { greedyDecode } from './greedy_decode.js';

// greedyDecode and beamSearch against the PyTorch references of tools/fixtures/seq2seq_model.py (greedy
// and OpenNMT-py-style beam search, one sentence at a time) on the model fixture's weights.

interface Hypothesis {
  tokens: number[];
  score: number;
}
interface DecodingCase {
  modelCase: number;
  bos: number;
  eos: number;
  greedyMaxLength: number;
  greedy: Hypothesis[];
  beams: Array<{ options: Omit<BeamSearchOptions, 'bos' | 'eos'>; results: Hypothesis[][] }>;
}
const decoding = JSON.parse(
  readFileSync(new URL('../model/__fixtures__/seq2seq_decoding.json', import.meta.url), 'utf8'),
) as { cases: DecodingCase[] };
const models = loadModelFixture();

function build(c: ModelFixtureCase): Seq2Seq {
  const k = c.config;
  const model = new Seq2Seq({
    encoder: {
      vocabSize: k.vocabSize,
      embeddingSize: k.embeddingSize,
      hiddenSize: k.hiddenSize,
      cell: k.cell,
      numLayers: k.numLayers,
      bidirectional: k.bidirectional,
      bridge: k.bridge,
    },
    decoder: {
      vocabSize: k.vocabSize,
      embeddingSize: k.embeddingSize,
      hiddenSize: k.hiddenSize,
      cell: k.cell,
      attention: k.attention,
      attentionSize: k.attentionSize,
      inputFeeding: k.inputFeeding,
      tieWeights: k.tieWeights,
    },
  });
  const state: Record<string, tf.Tensor> = {};
  for (const [prefix, named] of [
    ['encoder.', c.encoderState],
    ['decoder.', c.decoderState],
  ] as const)
    for (const [n, { shape, values }] of Object.entries(named)) state[prefix + n] = tf.tensor(values, shape);
  model.loadStateDict(state);
  tf.dispose(Object.values(state));
  return model;
}

describeWithBackends('greedyDecode and beamSearch vs PyTorch', () => {
  for (const d of decoding.cases) {
    const c = models.cases[d.modelCase]!;
    it(`${c.config.cell} ${c.config.attention}: greedy and ${d.beams.length} beam searches`, async () => {
      const model = build(c);
      const src = tf.tensor2d(c.src, [c.batch, c.srcLen], 'int32');
      const greedy = await greedyDecode(model, src, c.srcLengths, {
        maxLength: d.greedyMaxLength,
        bos: d.bos,
        eos: d.eos,
      });
      greedy.forEach((h, b) => {
        expect(h.tokens, `greedy sentence ${b}`).toEqual(d.greedy[b]!.tokens);
        expect(Math.abs(h.score - d.greedy[b]!.score)).toBeLessThan(1e-4);
      });
      for (const { options, results } of d.beams) {
        const found = await beamSearch(model, src, c.srcLengths, { ...options, bos: d.bos, eos: d.eos });
        found.forEach((nBest, b) => {
          const want = results[b]!;
          expect(
            nBest.map((h) => h.tokens),
            `${JSON.stringify(options)} sentence ${b}`,
          ).toEqual(want.map((h) => h.tokens));
          nBest.forEach((h, k) => expect(Math.abs(h.score - want[k]!.score)).toBeLessThan(1e-4));
        });
      }
      src.dispose();
      model.dispose();
    });
  }
});
