import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose, expectNoTensorLeak } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import {
  ATTENTION_FIXTURE_CASES,
  loadAttentionFixture,
  type AttentionFixtureCase,
} from './__fixtures__/load_fixture.js';
import type { AttentionModule } from './attention_module.js';
import { BahdanauAttention } from './bahdanau_attention.js';
import { LuongAttention } from './luong_attention.js';

// BahdanauAttention and LuongAttention against the PyTorch modules of tools/fixtures/seq2seq_attention.py
// on the same weights: outputs, and the gradients of sum(context·Pc) + sum(weights·Pw) with respect to
// the query, the keys and every parameter.

const fixture = loadAttentionFixture();

describe('attention fixture', () => {
  it(`holds the ${ATTENTION_FIXTURE_CASES} cases tools/fixtures/seq2seq_attention.py writes`, () => {
    expect(fixture.count).toBe(ATTENTION_FIXTURE_CASES);
    expect(fixture.cases).toHaveLength(ATTENTION_FIXTURE_CASES);
  });
});

function moduleFor(c: AttentionFixtureCase): AttentionModule {
  const sizes = { querySize: c.querySize, keySize: c.keySize, attentionSize: c.attentionSize, seed: 1 };
  return c.kind === 'bahdanau'
    ? new BahdanauAttention(sizes)
    : new LuongAttention({ ...sizes, score: c.kind });
}

function loadFixtureState(module: AttentionModule, c: AttentionFixtureCase): void {
  const state: Record<string, tf.Tensor> = {};
  for (const [name, { shape, values }] of Object.entries(c.state)) state[name] = tf.tensor(values, shape);
  module.loadStateDict(state);
  tf.dispose(Object.values(state));
}

const caseName = (c: AttentionFixtureCase) => `${c.kind}, tgtLen ${c.tgtLen}`;

describeWithBackends('attention modules vs PyTorch', () => {
  for (const c of fixture.cases) {
    for (const form of ['keyLengths', 'mask'] as const) {
      it(`${caseName(c)} (${form}): context, weights and every gradient`, async () => {
        const module = moduleFor(c);
        loadFixtureState(module, c);
        const query = tf.tensor3d(c.query, [c.batch, c.tgtLen, c.querySize]);
        const keys = tf.tensor3d(c.keys, [c.batch, c.srcLen, c.keySize]);
        const pc = tf.tensor3d(c.projContext, [c.batch, c.tgtLen, c.keySize]);
        const pw = tf.tensor3d(c.projWeights, [c.batch, c.tgtLen, c.srcLen]);
        const valid = c.keyLengths.flatMap((n) =>
          Array.from({ length: c.srcLen }, (_, s) => (s < n ? 1 : 0)),
        );
        const mask = tf.tensor2d(valid, [c.batch, c.srcLen], 'bool');
        const options = form === 'keyLengths' ? { keyLengths: c.keyLengths } : { mask };
        const names = module.namedParameters().map(([n]) => n);
        expect(names.sort()).toEqual(Object.keys(c.state).sort());

        const out = module.apply(query, keys, options);
        expectArraysClose(await out.context.data(), c.context);
        expectArraysClose(await out.weights.data(), c.weights);
        tf.dispose([out.context, out.weights]);

        const f = (q: tf.Tensor, k: tf.Tensor, ..._params: tf.Tensor[]) => {
          const r = module.apply(q as tf.Tensor3D, k as tf.Tensor3D, options);
          return tf.add(tf.sum(tf.mul(r.context, pc)), tf.sum(tf.mul(r.weights, pw))) as tf.Scalar;
        };
        const vars = module.parameters();
        // 'dot' has no parameters, and variableGrads needs at least one.
        const { grads } = vars.length
          ? tf.variableGrads(() => f(query, keys), vars)
          : { grads: {} as tf.NamedTensorMap };
        const [gq, gk] = tf.grads((q, k) => f(q, k))([query, keys]);
        expectArraysClose(await gq!.data(), c.gradQuery);
        expectArraysClose(await gk!.data(), c.gradKeys);
        for (const [name, v] of module.namedParameters()) {
          const g = grads[v.name];
          expect(g, name).toBeDefined();
          expectArraysClose(await g!.data(), c.gradState[name]!);
        }
        tf.dispose([gq!, gk!, ...Object.values(grads), query, keys, pc, pw, mask]);
        module.dispose();
      });
    }
  }

  it('weights sum to 1 over valid positions and are exactly 0 on padding', async () => {
    const lengths = [7, 2, 1, 4];
    for (const module of [
      new BahdanauAttention({ querySize: 3, keySize: 5, seed: 3 }),
      new LuongAttention({ score: 'dot', querySize: 5, seed: 3 }),
      new LuongAttention({ score: 'general', querySize: 3, keySize: 5, seed: 3 }),
      new LuongAttention({ score: 'concat', querySize: 3, keySize: 5, attentionSize: 4, seed: 3 }),
    ]) {
      const query = tf.randomNormal([4, 3, module.querySize], 0, 3, 'float32', 5) as tf.Tensor3D;
      const keys = tf.randomNormal([4, 7, module.keySize], 0, 3, 'float32', 6) as tf.Tensor3D;
      const { context, weights } = module.apply(query, keys, { keyLengths: lengths });
      expect(context.shape).toEqual([4, 3, module.keySize]);
      const w = await weights.data();
      for (let b = 0; b < 4; b++) {
        for (let t = 0; t < 3; t++) {
          const row = Array.from(w.subarray((b * 3 + t) * 7, (b * 3 + t + 1) * 7));
          expect(
            row.slice(lengths[b]).every((x) => x === 0),
            `${module.className} row ${b},${t}`,
          ).toBe(true);
          expect(Math.abs(row.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-5);
        }
      }
      tf.dispose([query, keys, context, weights]);
      module.dispose();
    }
  });

  it('leaves the tensor count flat across a forward and backward pass', async () => {
    const module = new LuongAttention({ score: 'concat', querySize: 4, keySize: 6, seed: 2 });
    const query = tf.ones([2, 3, 4]) as tf.Tensor3D;
    const keys = tf.ones([2, 5, 6]) as tf.Tensor3D;
    const step = () => {
      const { value, grads } = tf.variableGrads(() => {
        const r = module.apply(query, keys, { keyLengths: [5, 2] });
        return tf.add(tf.sum(r.context), tf.sum(tf.square(r.weights))) as tf.Scalar;
      }, module.parameters());
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    expectNoTensorLeak(step);
    const projected = module.projectKeys(keys);
    expectNoTensorLeak(() => {
      const r = module.applyProjected(query, projected, keys);
      tf.dispose([r.context, r.weights]);
    });
    tf.dispose([projected, query, keys]);
    module.dispose();
  });

  it('applyProjected with keys projected once equals apply', async () => {
    const module = new BahdanauAttention({ querySize: 4, keySize: 6, seed: 9 });
    const query = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
    const keys = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 2) as tf.Tensor3D;
    const mask = tf.tensor2d([1, 1, 1, 0, 0, 1, 1, 1, 1, 1], [2, 5], 'bool');
    const full = module.apply(query, keys, { mask });
    const projected = module.projectKeys(keys);
    const steps = [0, 1, 2].map((t) =>
      module.applyProjected(tf.slice(query, [0, t, 0], [2, 1, 4]), projected, keys, mask),
    );
    const stepWeights = tf.concat(
      steps.map((s) => s.weights),
      1,
    );
    expectArraysClose(await stepWeights.data(), await full.weights.data(), { atol: 1e-6 });
    tf.dispose([query, keys, mask, full.context, full.weights, projected, stepWeights]);
    for (const s of steps) tf.dispose([s.context, s.weights]);
    module.dispose();
  });
});

describe('attention state dicts and bad input', () => {
  it('round-trips stateDict into a module with another seed', async () => {
    const a = new LuongAttention({ score: 'concat', querySize: 4, keySize: 6, seed: 1 });
    const b = new LuongAttention({ score: 'concat', querySize: 4, keySize: 6, seed: 2 });
    const state = a.stateDict();
    expect(Object.keys(state)).toEqual(['proj.weight', 'v.weight']);
    b.loadStateDict(state);
    for (const [name, v] of b.namedParameters())
      expectArraysClose(await v.data(), await state[name]!.data(), { atol: 0 });
    tf.dispose(Object.values(state));
    a.dispose();
    b.dispose();
  });

  it('names missing, extra and mis-shaped keys', () => {
    const m = new BahdanauAttention({ querySize: 4, keySize: 6, attentionSize: 5, seed: 1 });
    const state = m.stateDict();
    const missing = { ...state };
    delete missing['v.weight'];
    expect(() => m.loadStateDict(missing)).toThrow(/missing key "v\.weight"/);
    const extra = { ...state, 'v.bias': state['v.weight']! };
    expect(() => m.loadStateDict(extra)).toThrow(/unexpected key "v\.bias"/);
    const wrong = { ...state, 'key_proj.weight': state['query_proj.weight']! };
    expect(() => m.loadStateDict(wrong)).toThrow(/"key_proj\.weight" has shape \[5, 4\], expected \[5, 6\]/);
    tf.dispose(Object.values(state));
    m.dispose();
  });

  it('names the argument for bad shapes, lengths and batch mismatches', () => {
    const m = new LuongAttention({ score: 'general', querySize: 4, keySize: 6, seed: 1 });
    const q = tf.zeros([2, 3, 4]) as tf.Tensor3D;
    const k = tf.zeros([2, 5, 6]) as tf.Tensor3D;
    const k3 = tf.zeros([3, 5, 6]) as tf.Tensor3D;
    const q5 = tf.zeros([2, 3, 5]) as tf.Tensor3D;
    expect(() => m.apply(q, k3)).toThrow('LuongAttention.apply: query has batch 2 but keys has batch 3');
    expect(() => m.apply(q5, k)).toThrow('query.shape[2] = 5, expected querySize = 4');
    expect(() => m.apply(q, q)).toThrow('keys.shape[2] = 4, expected keySize = 6');
    expect(() => m.apply(q, k, { keyLengths: [5, 0] })).toThrow(
      'options.keyLengths[1] = 0 must be an integer in [1, 5]',
    );
    expect(() => m.apply(q, k, { keyLengths: [6, 1] })).toThrow('options.keyLengths[0] = 6');
    expect(() => m.apply(q, k, { keyLengths: [5] })).toThrow(
      'options.keyLengths has 1 entries, expected batch = 2',
    );
    const badMask = tf.ones([2, 4]);
    expect(() => m.apply(q, k, { mask: badMask })).toThrow('options.mask has shape [2, 4], expected [2, 5]');
    expect(() => new LuongAttention({ score: 'dot', querySize: 4, keySize: 6 })).toThrow(
      "score 'dot' needs keySize = querySize",
    );
    expect(() => new BahdanauAttention({ querySize: 0 })).toThrow(
      'options.querySize must be a positive integer',
    );
    expect(() => new BahdanauAttention({ querySize: 4, keysize: 4 } as never)).toThrow(
      'unknown option "keysize" — did you mean "keySize"?',
    );
    expect(() => m.apply(q, k, { keyLength: [5, 5] } as never)).toThrow(
      'LuongAttention.apply: unknown option "keyLength" — did you mean "keyLengths"?',
    );
    expect(() => m.applyProjected(q, k, k)).toThrow(
      'LuongAttention.applyProjected: projectedKeys has shape [2, 5, 6], expected [2, 5, 4]',
    );
    tf.dispose([q, k, k3, q5, badMask]);
    m.dispose();
  });
});
