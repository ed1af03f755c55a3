import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import { writeSafetensors } from '@rnnkit/tensor-core';
import { describeWithBackends, expectNoTensorLeak } from '@rnnkit/tensor-core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { beamSearch } from '../decoding/beam_search.js';
import { Seq2Seq } from './seq2seq.js';
import type { Seq2SeqArtifacts } from './seq2seq_artifacts.js';

// Seq2Seq's save/load: artifacts (config + safetensors) and the on-disk form round-trip exactly, and every
// kind of bad input is refused with an error that names what is wrong, leaving no tensor behind.

const [PAD, BOS, EOS] = [0, 1, 2];

const makeModel = () =>
  new Seq2Seq({
    encoder: { vocabSize: 9, embeddingSize: 4, hiddenSize: 5, bidirectional: true, cell: 'lstm', seed: 3 },
    decoder: { vocabSize: 8, embeddingSize: 4, hiddenSize: 5, cell: 'lstm', attention: 'general', seed: 4 },
  });

const batch = () => ({
  src: tf.tensor2d(
    [
      [3, 4, 5, 6],
      [7, 8, PAD, PAD],
    ],
    [2, 4],
    'int32',
  ),
  tgtIn: tf.tensor2d(
    [
      [BOS, 3, 4],
      [BOS, 5, PAD],
    ],
    [2, 3],
    'int32',
  ),
  lengths: [4, 2],
});

async function logitsOf(model: Seq2Seq): Promise<Float32Array> {
  const { src, tgtIn, lengths } = batch();
  const out = model.forward(src, lengths, tgtIn);
  const values = (await out.logits.data()) as Float32Array;
  tf.dispose([src, tgtIn, out.logits, out.attention]);
  return values;
}

async function beamOf(model: Seq2Seq) {
  const { src, tgtIn, lengths } = batch();
  const result = await beamSearch(model, src, lengths, {
    beamSize: 3,
    nBest: 2,
    maxLength: 6,
    lengthPenalty: 'wu',
    alpha: 0.6,
    bos: BOS,
    eos: EOS,
  });
  tf.dispose([src, tgtIn]);
  return result;
}

const withConfig = (a: Seq2SeqArtifacts, patch: Record<string, unknown>): Seq2SeqArtifacts => ({
  config: { ...a.config, ...patch } as Seq2SeqArtifacts['config'],
  weights: a.weights,
});

describeWithBackends('Seq2Seq save/load', () => {
  let model: Seq2Seq;
  let artifacts: Seq2SeqArtifacts;
  let dir: string;

  beforeAll(async () => {
    model = makeModel();
    artifacts = await model.toArtifacts();
    dir = await mkdtemp(join(tmpdir(), 'seq2seq-save-'));
  });
  afterAll(async () => {
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes getConfig() with the format and the state-dict names and shapes', () => {
    expect(artifacts.config.format).toBe('rnnkit-seq2seq');
    expect(artifacts.config.formatVersion).toBe(1);
    expect(artifacts.config.encoder).toEqual(model.getConfig().encoder);
    expect(artifacts.config.decoder).toEqual(model.getConfig().decoder);
    expect(Object.keys(artifacts.config.weights)).toEqual(model.namedParameters().map(([n]) => n));
    expect(JSON.parse(JSON.stringify(artifacts.config))).toEqual(artifacts.config);
  });

  it('round-trips artifacts to identical logits and beam search', async () => {
    const copy = Seq2Seq.fromArtifacts(artifacts);
    try {
      expect(await logitsOf(copy)).toEqual(await logitsOf(model));
      expect(await beamOf(copy)).toEqual(await beamOf(model));
    } finally {
      copy.dispose();
    }
  });

  it('saves to config.json + weights.safetensors and loads the same model', async () => {
    await model.save(dir);
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config.format).toBe('rnnkit-seq2seq');
    expect(typeof config.weightsSha256).toBe('string');
    const loaded = await Seq2Seq.load(dir);
    try {
      expect(await logitsOf(loaded)).toEqual(await logitsOf(model));
      expect(await beamOf(loaded)).toEqual(await beamOf(model));
    } finally {
      loaded.dispose();
    }
  });

  it('leaves the tensor count flat over save, load, toArtifacts and fromArtifacts', async () => {
    await expectNoTensorLeak(async () => {
      const a = await model.toArtifacts();
      Seq2Seq.fromArtifacts(a).dispose();
      await model.save(dir);
      (await Seq2Seq.load(dir)).dispose();
    });
  });

  it('refuses a truncated weights file, naming it', async () => {
    const cut = {
      config: artifacts.config,
      weights: artifacts.weights.subarray(0, artifacts.weights.length - 9),
    };
    await expectNoTensorLeak(() => {
      expect(() => Seq2Seq.fromArtifacts(cut)).toThrow(
        /Seq2Seq\.fromArtifacts: artifacts\.weights is not a valid safetensors file/,
      );
    });
    const sub = join(dir, 'truncated');
    await model.save(sub);
    const bytes = await readFile(join(sub, 'weights.safetensors'));
    await writeFile(join(sub, 'weights.safetensors'), bytes.subarray(0, bytes.length - 9));
    await expect(Seq2Seq.load(sub)).rejects.toThrow(/weights\.safetensors does not belong to .*damaged/);
  });

  it('refuses a wrong format, a bad config and missing files', async () => {
    expect(() => Seq2Seq.fromArtifacts(withConfig(artifacts, { format: 'rnnkit-sequential' }))).toThrow(
      /config\.format must be 'rnnkit-seq2seq', got "rnnkit-sequential"/,
    );
    expect(() => Seq2Seq.fromArtifacts(withConfig(artifacts, { formatVersion: 2 }))).toThrow(
      /config\.formatVersion 2 is not supported/,
    );
    expect(() => Seq2Seq.fromArtifacts(withConfig(artifacts, { decoder: null }))).toThrow(
      /config\.decoder must be an object/,
    );
    expect(() => Seq2Seq.fromArtifacts(null as unknown as Seq2SeqArtifacts)).toThrow(/artifacts must be/);
    await expectNoTensorLeak(() => {
      const decoder = { ...artifacts.config.decoder, hiddenSize: 6 };
      expect(() => Seq2Seq.fromArtifacts(withConfig(artifacts, { decoder }))).toThrow(
        /config does not describe a model .*hiddenSize = 6/,
      );
      // A valid config whose model does not match the weights: named by weight.
      const encoder = { ...artifacts.config.encoder, vocabSize: 10 };
      expect(() => Seq2Seq.fromArtifacts(withConfig(artifacts, { encoder }))).toThrow(
        /weight 'encoder\.embedding\.weight' is \[9, 4\] in the weights file but config\.encoder\/decoder build \[10, 4\]/,
      );
    });
    const sub = join(dir, 'bad-config');
    await model.save(sub);
    await writeFile(join(sub, 'config.json'), '{"format": "rnnkit-seq2seq",');
    await expect(Seq2Seq.load(sub)).rejects.toThrow(/config\.json is not valid JSON/);
    await expect(Seq2Seq.load(join(dir, 'nowhere'))).rejects.toThrow(
      /cannot read .*config\.json \(no such file/,
    );
  });

  it('names missing, extra and mis-shaped tensors', async () => {
    const state = model.stateDict();
    const names = Object.keys(state);
    const first = names[0]!;
    const rewrite = async (tensors: Record<string, tf.Tensor>) => await writeSafetensors(tensors);
    try {
      const { [first]: dropped, ...rest } = state;
      expect(dropped).toBeDefined();
      const missing = { config: artifacts.config, weights: await rewrite(rest) };
      expect(() => Seq2Seq.fromArtifacts(missing)).toThrow(
        new RegExp(`weight '${first}' .* is missing from the weights file`),
      );
      const extraTensor = tf.zeros([2]);
      const extra = {
        config: artifacts.config,
        weights: await rewrite({ ...state, 'decoder.bogus': extraTensor }),
      };
      extraTensor.dispose();
      expect(() => Seq2Seq.fromArtifacts(extra)).toThrow(
        /weights file has weight\(s\) the config does not list: decoder\.bogus/,
      );
      const wrong = tf.zeros([1, 1]);
      const misShaped = { config: artifacts.config, weights: await rewrite({ ...state, [first]: wrong }) };
      wrong.dispose();
      expect(() => Seq2Seq.fromArtifacts(misShaped)).toThrow(
        new RegExp(`weight '${first}' has shape \\[1, 1\\] in the weights file but \\[`),
      );
    } finally {
      tf.dispose(Object.values(state));
    }
  });
});
