import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose, expectNoTensorLeak } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { MODEL_FIXTURE_CASES, loadModelFixture, type ModelFixtureCase } from './__fixtures__/load_fixture.js';
import { AttentionDecoder } from './attention_decoder.js';
import { Seq2SeqEncoder } from './seq2seq_encoder.js';
import { sequenceCrossEntropy } from './sequence_cross_entropy.js';

// Seq2SeqEncoder + AttentionDecoder against the PyTorch model of tools/fixtures/seq2seq_model.py on the
// same weights: logits, attention, the masked label-smoothed cross-entropy and every parameter gradient.

const fixture = loadModelFixture();

describe('seq2seq model fixture', () => {
  it(`holds the ${MODEL_FIXTURE_CASES} cases tools/fixtures/seq2seq_model.py writes`, () => {
    expect(fixture.count).toBe(MODEL_FIXTURE_CASES);
    expect(fixture.cases).toHaveLength(MODEL_FIXTURE_CASES);
  });
});

function build(c: ModelFixtureCase) {
  const k = c.config;
  const encoder = new Seq2SeqEncoder({
    vocabSize: k.vocabSize,
    embeddingSize: k.embeddingSize,
    hiddenSize: k.hiddenSize,
    cell: k.cell,
    numLayers: k.numLayers,
    bidirectional: k.bidirectional,
    bridge: k.bridge,
    seed: 1,
  });
  const decoder = new AttentionDecoder({
    vocabSize: k.vocabSize,
    embeddingSize: k.embeddingSize,
    hiddenSize: k.hiddenSize,
    keySize: encoder.outputSize,
    cell: k.cell,
    attention: k.attention,
    attentionSize: k.attentionSize,
    inputFeeding: k.inputFeeding,
    tieWeights: k.tieWeights,
    seed: 2,
  });
  const load = (target: Seq2SeqEncoder | AttentionDecoder, named: ModelFixtureCase['encoderState']) => {
    const state: Record<string, tf.Tensor> = {};
    for (const [n, { shape, values }] of Object.entries(named)) state[n] = tf.tensor(values, shape);
    target.loadStateDict(state);
    tf.dispose(Object.values(state));
  };
  load(encoder, c.encoderState);
  load(decoder, c.decoderState);
  return { encoder, decoder };
}

function lossOf(
  encoder: Seq2SeqEncoder,
  decoder: AttentionDecoder,
  c: ModelFixtureCase,
  inputs: { src: tf.Tensor2D; tgtIn: tf.Tensor2D; tgtOut: tf.Tensor2D },
) {
  const enc = encoder.forward(inputs.src, c.srcLengths);
  const out = decoder.forward(inputs.tgtIn, {
    outputs: enc.outputs,
    lengths: c.srcLengths,
    state: enc.decoderState,
  });
  const loss = sequenceCrossEntropy(out.logits, inputs.tgtOut, {
    ignoreIndex: c.config.ignoreIndex,
    labelSmoothing: c.config.labelSmoothing,
  });
  return { loss, ...out };
}

const caseName = (c: ModelFixtureCase) => {
  const k = c.config;
  return [
    k.cell,
    k.attention,
    k.bidirectional ? `bidirectional ${k.numLayers}-layer` : `${k.numLayers}-layer`,
    `bridge ${k.bridge}`,
    k.inputFeeding ? 'input feeding' : '',
    k.tieWeights ? 'tied' : '',
  ]
    .filter(Boolean)
    .join(', ');
};

describeWithBackends('Seq2SeqEncoder + AttentionDecoder vs PyTorch', () => {
  for (const c of fixture.cases) {
    it(`${caseName(c)}: logits, attention, loss and every gradient`, async () => {
      const { encoder, decoder } = build(c);
      const inputs = {
        src: tf.tensor2d(c.src, [c.batch, c.srcLen], 'int32'),
        tgtIn: tf.tensor2d(c.tgtIn, [c.batch, c.tgtLen], 'int32'),
        tgtOut: tf.tensor2d(c.tgtOut, [c.batch, c.tgtLen], 'int32'),
      };
      expect(encoder.namedParameters().map(([n]) => n)).toEqual(Object.keys(c.encoderState));
      expect(decoder.namedParameters().map(([n]) => n)).toEqual(Object.keys(c.decoderState));

      const r = lossOf(encoder, decoder, c, inputs);
      expect(r.logits.shape).toEqual([c.batch, c.tgtLen, c.config.vocabSize]);
      expect(r.attention.shape).toEqual([c.batch, c.tgtLen, c.srcLen]);
      expectArraysClose(await r.logits.data(), c.logits);
      expectArraysClose(await r.attention.data(), c.attention);
      expectArraysClose(await r.loss.data(), [c.loss]);
      tf.dispose([r.loss, r.logits, r.attention]);

      const named = [...encoder.namedParameters(), ...decoder.namedParameters()];
      const step = () => {
        const { value, grads } = tf.variableGrads(
          () => {
            const out = lossOf(encoder, decoder, c, inputs);
            tf.dispose([out.logits, out.attention]);
            return out.loss;
          },
          named.map(([, v]) => v),
        );
        return { value, grads };
      };
      const { value, grads } = step();
      expectArraysClose(await value.data(), [c.loss]);
      const expected = { ...c.encoderGrad };
      for (const [name, v] of encoder.namedParameters()) {
        expect(grads[v.name], `encoder ${name}`).toBeDefined();
        expectArraysClose(await grads[v.name]!.data(), expected[name]!);
      }
      for (const [name, v] of decoder.namedParameters()) {
        expect(grads[v.name], `decoder ${name}`).toBeDefined();
        expectArraysClose(await grads[v.name]!.data(), c.decoderGrad[name]!);
      }
      tf.dispose([value, ...Object.values(grads)]);

      // A forward and backward pass leaves the tensor count flat.
      expectNoTensorLeak(() => {
        const s = step();
        tf.dispose([s.value, ...Object.values(s.grads)]);
      });
      tf.dispose(Object.values(inputs));
      encoder.dispose();
      decoder.dispose();
    });
  }
});
