import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose, expectNoTensorLeak } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { loadModelFixture, type ModelFixtureCase } from './__fixtures__/load_fixture.js';
import { AttentionDecoder, type DecoderStepState } from './attention_decoder.js';
import { Seq2Seq } from './seq2seq.js';

// Seq2Seq (encoder + decoder) and the decoder's step API against the PyTorch model of
// tools/fixtures/seq2seq_model.py: the same numbers as the two modules give, through the wrapper.

const fixture = loadModelFixture();

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
      seed: 1,
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
      seed: 2,
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

function logSoftmaxRows(values: number[], vocab: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += vocab) {
    const row = values.slice(i, i + vocab);
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0));
    out.push(...row.map((x) => x - lse));
  }
  return out;
}

describeWithBackends('Seq2Seq vs PyTorch', () => {
  for (const c of fixture.cases) {
    const k = c.config;
    it(`${k.cell} ${k.attention}${k.inputFeeding ? ' input feeding' : ''}: forward, loss, step`, async () => {
      const model = build(c);
      const src = tf.tensor2d(c.src, [c.batch, c.srcLen], 'int32');
      const tgtIn = tf.tensor2d(c.tgtIn, [c.batch, c.tgtLen], 'int32');
      const tgtOut = tf.tensor2d(c.tgtOut, [c.batch, c.tgtLen], 'int32');
      expect(model.namedParameters().map(([n]) => n)).toEqual([
        ...Object.keys(c.encoderState).map((n) => `encoder.${n}`),
        ...Object.keys(c.decoderState).map((n) => `decoder.${n}`),
      ]);
      const { logits, attention } = model.forward(src, c.srcLengths, tgtIn);
      expectArraysClose(await logits.data(), c.logits);
      expectArraysClose(await attention.data(), c.attention);
      const loss = model.loss(src, c.srcLengths, tgtIn, tgtOut, {
        ignoreIndex: k.ignoreIndex,
        labelSmoothing: k.labelSmoothing,
      });
      expectArraysClose(await loss.data(), [c.loss]);
      tf.dispose([logits, attention, loss]);

      // The step API fed the teacher-forced tokens gives PyTorch's log-softmaxed logits step by step.
      const expected = logSoftmaxRows(c.logits, k.vocabSize);
      const enc = model.encoder.forward(src, c.srcLengths);
      const keys = model.decoder.prepareKeys(enc.outputs, c.srcLengths);
      let state: DecoderStepState = enc.decoderState;
      for (let t = 0; t < c.tgtLen; t++) {
        const prev = tf.tensor1d(
          Array.from({ length: c.batch }, (_, b) => c.tgtIn[b * c.tgtLen + t]!),
          'int32',
        );
        const out = model.decoder.step(prev, state, keys);
        const lp = await out.logProbs.data();
        const at = await out.attention.data();
        for (let b = 0; b < c.batch; b++) {
          const at0 = (b * c.tgtLen + t) * k.vocabSize;
          expectArraysClose(
            lp.subarray(b * k.vocabSize, (b + 1) * k.vocabSize),
            expected.slice(at0, at0 + k.vocabSize),
          );
          const a0 = (b * c.tgtLen + t) * c.srcLen;
          expectArraysClose(
            at.subarray(b * c.srcLen, (b + 1) * c.srcLen),
            c.attention.slice(a0, a0 + c.srcLen),
          );
        }
        if (t > 0)
          tf.dispose([state.h, state.c, state.feed].filter((x): x is tf.Tensor2D => x !== undefined));
        state = out.state;
        tf.dispose([prev, out.logProbs, out.attention]);
      }
      tf.dispose([state.h, state.c, state.feed].filter((x): x is tf.Tensor2D => x !== undefined));
      AttentionDecoder.disposeKeys(keys);
      tf.dispose(
        [enc.outputs, enc.hN, enc.cN, enc.decoderState.h, enc.decoderState.c].filter((x) => x !== undefined),
      );
      tf.dispose([src, tgtIn, tgtOut]);
      model.dispose();
    });
  }
});

describe('Seq2Seq', () => {
  const options = {
    encoder: { vocabSize: 9, embeddingSize: 4, hiddenSize: 6, bidirectional: true, seed: 1 },
    decoder: { vocabSize: 10, embeddingSize: 4, hiddenSize: 6, seed: 2 },
  };

  it('round-trips its state dict and config, and a training step leaves the tensor count flat', async () => {
    const model = new Seq2Seq(options);
    const names = Object.keys(model.stateDict());
    expect(names.every((n) => n.startsWith('encoder.') || n.startsWith('decoder.'))).toBe(true);
    const config = model.getConfig();
    expect(config.decoder.keySize).toBe(12);
    const copy = new Seq2Seq({
      encoder: { ...config.encoder, seed: 5 },
      decoder: { ...config.decoder, seed: 6 },
    });
    const state = model.stateDict();
    copy.loadStateDict(state);
    tf.dispose(Object.values(state));
    const src = tf.tensor2d(
      [
        [3, 4, 5],
        [6, 0, 0],
      ],
      [2, 3],
      'int32',
    );
    const tgtIn = tf.tensor2d(
      [
        [1, 4],
        [1, 6],
      ],
      [2, 2],
      'int32',
    );
    const tgtOut = tf.tensor2d(
      [
        [4, 2],
        [6, 2],
      ],
      [2, 2],
      'int32',
    );
    const a = model.forward(src, [3, 1], tgtIn);
    const b = copy.forward(src, [3, 1], tgtIn);
    expectArraysClose(await a.logits.data(), await b.logits.data());
    tf.dispose([a.logits, a.attention, b.logits, b.attention]);
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () => model.loss(src, [3, 1], tgtIn, tgtOut, { ignoreIndex: 0, labelSmoothing: 0.1 }),
        model.parameters(),
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    expectNoTensorLeak(step);
    tf.dispose([src, tgtIn, tgtOut]);
    model.dispose();
    copy.dispose();
  });

  it('names the bad argument', () => {
    const model = new Seq2Seq(options);
    const src = tf.tensor2d([[3, 4, 5]], [1, 3], 'int32');
    const tgtIn = tf.tensor2d(
      [
        [1, 4],
        [1, 6],
      ],
      [2, 2],
      'int32',
    );
    expect(() => model.forward(src, [3], tgtIn)).toThrow(/src has batch 1 but tgtIn has batch 2/);
    expect(() => model.loadStateDict({})).toThrow(/Seq2Seq.loadStateDict: missing key "encoder\./);
    expect(() => new Seq2Seq({ ...options, decoder: { ...options.decoder, keySize: 5 } })).toThrow(
      /decoder.keySize = 5/,
    );
    expect(() => new Seq2Seq({ ...options, decoder: { ...options.decoder, hiddenSize: 7 } })).toThrow(
      /decoder.hiddenSize = 7/,
    );
    tf.dispose([src, tgtIn]);
    model.dispose();
  });
});
