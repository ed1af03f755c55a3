import * as tf from '@tensorflow/tfjs-core';
import { expectArraysClose } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { AttentionDecoder } from './attention_decoder.js';
import { Seq2SeqEncoder } from './seq2seq_encoder.js';
import { sequenceCrossEntropy } from './sequence_cross_entropy.js';

// State dicts, attention on padding and bad input of Seq2SeqEncoder, AttentionDecoder and
// sequenceCrossEntropy (the numbers themselves are checked against PyTorch in seq2seq_model.test.ts).

const sizes = { vocabSize: 11, embeddingSize: 6, hiddenSize: 8 };

describe('Seq2SeqEncoder and AttentionDecoder', () => {
  it('attention rows sum to 1 over valid source positions and are exactly 0 on padding', async () => {
    const lengths = [5, 2, 1];
    for (const attention of ['bahdanau', 'dot', 'general', 'concat'] as const) {
      const encoder = new Seq2SeqEncoder({ ...sizes, cell: 'lstm', seed: 3 });
      const decoder = new AttentionDecoder({ ...sizes, keySize: 8, cell: 'lstm', attention, seed: 4 });
      const src = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 8, 0, 0, 0, 0], [3, 5], 'int32');
      const tgtIn = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
      const enc = encoder.forward(src, lengths);
      const out = decoder.forward(tgtIn, { outputs: enc.outputs, lengths, state: enc.decoderState });
      const w = await out.attention.data();
      for (let b = 0; b < 3; b++)
        for (let t = 0; t < 2; t++) {
          const row = Array.from(w.subarray((b * 2 + t) * 5, (b * 2 + t + 1) * 5));
          expect(
            row.slice(lengths[b]).every((x) => x === 0),
            `${attention} ${b},${t}`,
          ).toBe(true);
          expect(Math.abs(row.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-5);
        }
      tf.dispose([src, tgtIn, enc.outputs, enc.hN, enc.cN!, enc.decoderState.h, enc.decoderState.c!]);
      tf.dispose([out.logits, out.attention]);
      encoder.dispose();
      decoder.dispose();
    }
  });

  it('encoder outputs are 0 past each length and the states have PyTorch shapes', async () => {
    const encoder = new Seq2SeqEncoder({
      ...sizes,
      cell: 'lstm',
      bidirectional: true,
      numLayers: 2,
      seed: 5,
    });
    const src = tf.tensor2d([1, 2, 3, 4, 5, 6, 0, 0], [2, 4], 'int32');
    const enc = encoder.forward(src, [4, 2]);
    expect(enc.outputs.shape).toEqual([2, 4, 16]);
    expect(enc.hN.shape).toEqual([4, 2, 8]);
    expect(enc.cN?.shape).toEqual([4, 2, 8]);
    expect(enc.decoderState.h.shape).toEqual([2, 8]);
    expect(enc.decoderState.c?.shape).toEqual([2, 8]);
    const out = await enc.outputs.data();
    expect(Array.from(out.subarray((4 + 2) * 16)).every((x) => x === 0)).toBe(true);
    expect(Array.from(out.subarray(4 * 16, 6 * 16)).some((x) => x !== 0)).toBe(true);
    tf.dispose([src, enc.outputs, enc.hN, enc.cN!, enc.decoderState.h, enc.decoderState.c!]);
    encoder.dispose();
  });

  it('round-trips state dicts and configs', async () => {
    const options = { ...sizes, bidirectional: true, numLayers: 2, cell: 'gru' as const };
    const a = new Seq2SeqEncoder({ ...options, seed: 1 });
    const b = new Seq2SeqEncoder({ ...a.getConfig(), seed: 2 });
    const state = a.stateDict();
    expect(Object.keys(state)).toEqual([
      'embedding.weight',
      ...['l0', 'l0_reverse', 'l1', 'l1_reverse'].flatMap((s) =>
        ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((w) => `rnn.${w}_${s}`),
      ),
      'bridge_h.weight',
      'bridge_h.bias',
    ]);
    b.loadStateDict(state);
    for (const [name, v] of b.namedParameters())
      expectArraysClose(await v.data(), await state[name]!.data(), { atol: 0 });
    tf.dispose(Object.values(state));

    const d = new AttentionDecoder({
      ...sizes,
      keySize: 16,
      attention: 'bahdanau',
      attentionSize: 5,
      seed: 1,
    });
    expect(d.namedParameters().map(([n]) => n)).toEqual([
      'embedding.weight',
      'cell.weight_ih',
      'cell.weight_hh',
      'cell.bias_ih',
      'cell.bias_hh',
      'attention.query_proj.weight',
      'attention.query_proj.bias',
      'attention.key_proj.weight',
      'attention.v.weight',
      'combine.weight',
      'combine.bias',
      'out.weight',
      'out.bias',
    ]);
    expect(d.getConfig()).toEqual({
      ...sizes,
      keySize: 16,
      cell: 'gru',
      attention: 'bahdanau',
      attentionSize: 5,
      inputFeeding: false,
      tieWeights: false,
      paddingId: 0,
      seed: 1,
    });
    const dState = d.stateDict();
    const missing = { ...dState };
    delete missing['out.bias'];
    expect(() => d.loadStateDict(missing)).toThrow('AttentionDecoder.loadStateDict: missing key "out.bias"');
    expect(() => d.loadStateDict({ ...dState, 'out.extra': dState['out.bias']! })).toThrow(
      'unexpected key "out.extra"',
    );
    expect(() => d.loadStateDict({ ...dState, 'combine.bias': dState['out.bias']! })).toThrow(
      '"combine.bias" has shape [11], expected [8]',
    );
    expect(() => a.loadStateDict({ ...b.stateDict(), 'rnn.weight_ih_l0': dState['out.bias']! })).toThrow(
      'Seq2SeqEncoder.loadStateDict: "rnn.weight_ih_l0" has shape [11], expected [24, 6]',
    );
    tf.dispose(Object.values(dState));
    for (const m of [a, b, d]) m.dispose();
  });

  it('names the argument for bad options and inputs', () => {
    expect(
      () => new Seq2SeqEncoder({ ...sizes, bidirectional: true, bridge: 'sum', decoderHiddenSize: 4 }),
    ).toThrow("Seq2SeqEncoder: bridge 'sum' needs decoderHiddenSize = hiddenSize, got 4 and 8");
    expect(() => new Seq2SeqEncoder({ ...sizes, paddingId: 11 })).toThrow(
      'options.paddingId must be null or',
    );
    expect(() => new AttentionDecoder({ ...sizes, keySize: 8, tieWeights: true })).toThrow(
      'options.tieWeights needs embeddingSize = hiddenSize, got 6 and 8',
    );
    expect(
      () => new AttentionDecoder({ ...sizes, keySize: 8, attention: 'bahdanau', inputFeeding: true }),
    ).toThrow('options.inputFeeding is for Luong attention');
    expect(() => new AttentionDecoder({ ...sizes, keySize: 8, attention: 'luong' as never })).toThrow(
      'options.attention must be one of bahdanau, dot, general, concat',
    );

    const encoder = new Seq2SeqEncoder({ ...sizes, seed: 1 });
    const decoder = new AttentionDecoder({ ...sizes, keySize: 8, seed: 1 });
    const src = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    const bad = tf.tensor2d([1, 2, 3, 4, 11, 6], [2, 3], 'int32');
    const floats = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(() => encoder.forward(src, [3, 0])).toThrow(
      'Seq2SeqEncoder.forward: lengths[1] = 0 must be an integer in [1, 3]',
    );
    expect(() => encoder.forward(src, [4, 1])).toThrow('lengths[0] = 4 must be an integer in [1, 3]');
    expect(() => encoder.forward(src, [3])).toThrow('lengths has 1 entries, expected batch = 2');
    expect(() => encoder.forward(floats as tf.Tensor2D, [3, 3])).toThrow('src must be int32, got float32');
    if (tf.getBackend() === 'cpu' || tf.getBackend() === 'wasm')
      expect(() => encoder.forward(bad, [3, 3])).toThrow(
        'Seq2SeqEncoder.forward: src[1][1] = 11 is outside the vocabulary [0, 11)',
      );
    const enc = encoder.forward(src, [3, 2]);
    const tgt3 = tf.tensor2d([1, 2, 3], [3, 1], 'int32');
    expect(() =>
      decoder.forward(tgt3, { outputs: enc.outputs, lengths: [3, 2], state: enc.decoderState }),
    ).toThrow('tgtIn has batch 3 but memory.outputs has batch 2 (source and target batches differ)');
    const tgt = tf.tensor2d([1, 2], [2, 1], 'int32');
    expect(() =>
      decoder.forward(tgt, { outputs: enc.outputs, lengths: [3, 4], state: enc.decoderState }),
    ).toThrow('keyLengths[1] = 4 must be an integer in [1, 3]');
    expect(() =>
      decoder.forward(tgt, { outputs: enc.outputs, lengths: [3, 2], state: { h: enc.outputs as never } }),
    ).toThrow('AttentionDecoder.forward: memory.state.h must be a [2, 8] tensor, got [2, 3, 8]');
    const logits = tf.zeros([2, 1, 11]) as tf.Tensor3D;
    expect(() => sequenceCrossEntropy(logits, tgt, { labelSmoothing: 1 })).toThrow(
      'sequenceCrossEntropy: options.labelSmoothing must be in [0, 1), got 1',
    );
    expect(() => sequenceCrossEntropy(logits, src)).toThrow(
      'sequenceCrossEntropy: targets has shape [2, 3], expected [2, 1]',
    );
    tf.dispose([src, bad, floats, tgt3, tgt, logits, enc.outputs, enc.hN, enc.decoderState.h]);
    encoder.dispose();
    decoder.dispose();
  });
});
