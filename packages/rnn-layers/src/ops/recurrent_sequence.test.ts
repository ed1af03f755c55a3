import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom, randomUniform } from '@rnnkit/tensor-core';
import { describeWithBackends, expectArraysClose, expectNoTensorLeak } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { gateCount, type CellKind } from './cell_kind.js';
import { gruSequence } from './gru_sequence.js';
import { lstmSequence } from './lstm_sequence.js';
import {
  hasFusedRecurrenceKernel,
  recurrentSequence,
  recurrentSequenceParts,
  type RecurrenceImplementation,
  type RecurrentSequenceOptions,
} from './recurrent_sequence.js';
import { rnnSequence } from './rnn_sequence.js';
import type { RecurrentWeights } from './sequence_types.js';

const CELLS: CellKind[] = ['lstm', 'gru', 'rnn_tanh', 'rnn_relu'];

interface Problem {
  cell: CellKind;
  values: Record<string, { data: Float32Array; shape: number[] }>;
}

function makeProblem(
  cell: CellKind,
  time: number,
  batch: number,
  input: number,
  hidden: number,
  seed: number,
): Problem {
  const rng = new SeededRandom(seed);
  const g = gateCount(cell) * hidden;
  const shapes: Record<string, number[]> = {
    x: [time, batch, input],
    weightIh: [g, input],
    weightHh: [g, hidden],
    biasIh: [g],
    biasHh: [g],
    h0: [batch, hidden],
    c0: [batch, hidden],
    R: [time, batch, hidden],
    S: [batch, hidden],
    Q: [batch, hidden],
  };
  const values: Problem['values'] = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = rng.nextFloat() * 1.6 - 0.8;
    values[name] = { data, shape };
  }
  return { cell, values };
}

const PARAMS = ['x', 'weightIh', 'weightHh', 'biasIh', 'biasHh', 'h0', 'c0'] as const;
/** c0 only exists for LSTM (tf.grads rejects an unused input). */
const paramsOf = (cell: CellKind): readonly string[] => (cell === 'lstm' ? PARAMS : PARAMS.slice(0, 6));

/** loss = sum(output*R) + sum(hN*S) [+ sum(cN*Q)] as a function of the tensors in PARAMS order. */
function lossFn(
  p: Problem,
  options: { lengths?: number[]; reverse?: boolean; implementation?: RecurrenceImplementation },
) {
  const R = tf.tensor(p.values['R']!.data, p.values['R']!.shape);
  const S = tf.tensor(p.values['S']!.data, p.values['S']!.shape);
  const Q = tf.tensor(p.values['Q']!.data, p.values['Q']!.shape);
  const f = (...args: tf.Tensor[]): tf.Scalar => {
    const { x, weightIh, weightHh, biasIh, biasHh, h0, c0 } = named(args);
    const weights: RecurrentWeights = { weightIh, weightHh, biasIh, biasHh };
    const r = recurrentSequence(p.cell, x, weights, h0, c0, options);
    let loss = tf.add(tf.sum(tf.mul(r.output, R)), tf.sum(tf.mul(r.hN, S)));
    if (r.cN) loss = tf.add(loss, tf.sum(tf.mul(r.cN, Q)));
    return loss as tf.Scalar;
  };
  return { f, dispose: () => tf.dispose([R, S, Q]) };
}

function tensorsOf(p: Problem): tf.Tensor[] {
  return paramsOf(p.cell).map((n) => tf.tensor(p.values[n]!.data, p.values[n]!.shape));
}

/** Tensors in PARAMS order by name; c0 is undefined where the cell has none. */
function named(args: readonly tf.Tensor[]) {
  const [x, weightIh, weightHh, biasIh, biasHh, h0, c0] = args;
  return { x: x!, weightIh: weightIh!, weightHh: weightHh!, biasIh: biasIh!, biasHh: biasHh!, h0: h0!, c0 };
}

const VARIANTS = [
  { label: 'forward, full length', reverse: false, lengths: undefined },
  { label: 'reverse, lengths [3, 1, 2]', reverse: true, lengths: [3, 1, 2] },
  { label: 'forward, lengths [1, 3, 2]', reverse: false, lengths: [1, 3, 2] },
];

describeWithBackends(
  'fused recurrence kernels vs the tfjs-core reference',
  () => {
    for (const cell of CELLS) {
      for (const v of VARIANTS) {
        it(`${cell}, ${v.label}: outputs, states and all gradients agree`, async () => {
          expect(hasFusedRecurrenceKernel(cell)).toBe(true);
          const p = makeProblem(cell, 3, 3, 4, 5, 11);
          const results: Float32Array[][] = [];
          for (const implementation of ['fused', 'reference'] as const) {
            const { f, dispose } = lossFn(p, { reverse: v.reverse, lengths: v.lengths, implementation });
            const inputs = tensorsOf(p);
            const { x, weightIh, weightHh, biasIh, biasHh, h0, c0 } = named(inputs);
            const r = recurrentSequence(
              cell,
              x,
              { weightIh, weightHh, biasIh, biasHh },
              h0,
              cell === 'lstm' ? c0 : undefined,
              { reverse: v.reverse, lengths: v.lengths, implementation },
            );
            const grads = tf.grads(f)(inputs);
            const all = [r.output, r.hN, ...(r.cN ? [r.cN] : []), ...grads];
            results.push(await Promise.all(all.map(async (t) => (await t.data()) as Float32Array)));
            tf.dispose([...all, ...inputs]);
            dispose();
          }
          for (let i = 0; i < results[0]!.length; i++)
            expectArraysClose(results[0]![i]!, results[1]![i]!, { atol: 1e-5 });
        });
      }
    }
  },
  { backends: ['cpu', 'wasm'] },
);

describeWithBackends(
  'fused recurrence BPTT vs finite differences',
  () => {
    for (const cell of CELLS) {
      for (const v of VARIANTS.slice(0, 2)) {
        it(`${cell}, ${v.label}`, async () => {
          const p = makeProblem(cell, 3, 3, 2, 3, 5);
          const { f, dispose } = lossFn(p, { reverse: v.reverse, lengths: v.lengths });
          const inputs = tensorsOf(p);
          const grads = tf.grads(f)(inputs);
          const eps = 1e-2;
          for (let k = 0; k < inputs.length; k++) {
            const name = PARAMS[k]!;
            const analytic = await grads[k]!.data();
            const base = p.values[name]!;
            const numeric = new Float32Array(base.data.length);
            for (let i = 0; i < base.data.length; i++) {
              const evalAt = async (delta: number): Promise<number> => {
                const data = Float32Array.from(base.data);
                data[i] = data[i]! + delta;
                const args = inputs.map((t, j) => (j === k ? tf.tensor(data, base.shape) : t));
                const loss = f(...args);
                const value = (await loss.data())[0]!;
                tf.dispose([loss, args[k]!]);
                return value;
              };
              numeric[i] = ((await evalAt(eps)) - (await evalAt(-eps))) / (2 * eps);
            }
            expectArraysClose(analytic, numeric, { atol: 3e-3 });
          }
          tf.dispose([...grads, ...inputs]);
          dispose();
        });
      }
    }
  },
  { backends: ['cpu', 'wasm'] },
);

describeWithBackends('sequence ops', () => {
  it('lstmSequence/gruSequence/rnnSequence return PyTorch shapes and zero padding', async () => {
    const p = makeProblem('lstm', 4, 2, 3, 5, 1);
    const { x, weightIh, weightHh, biasIh, biasHh, h0, c0 } = named(tensorsOf(p));
    const r0 = gruSequence(
      x,
      {
        weightIh: tf.slice(weightIh, 0, 15),
        weightHh: tf.slice(weightHh, 0, 15),
        biasIh: tf.slice(biasIh, 0, 15),
        biasHh: tf.slice(biasHh, 0, 15),
      },
      h0,
    );
    expect(r0.output.shape).toEqual([4, 2, 5]);
    expect(r0.hN.shape).toEqual([2, 5]);
    const r1 = rnnSequence(
      x,
      { weightIh: tf.slice(weightIh, 0, 5), weightHh: tf.slice(weightHh, 0, 5) },
      h0,
      { nonlinearity: 'relu' },
    );
    expect(r1.output.shape).toEqual([4, 2, 5]);
    expect(((await r1.output.data()) as Float32Array).every((v) => v >= 0)).toBe(true);
    const r = lstmSequence(x, { weightIh, weightHh, biasIh, biasHh }, h0, c0!, { lengths: [2, 4] });
    expect(r.output.shape).toEqual([4, 2, 5]);
    expect(r.hN.shape).toEqual([2, 5]);
    expect(r.cN.shape).toEqual([2, 5]);
    const out = (await r.output.array()) as number[][][];
    expect(out[2]![0]!.every((v) => v === 0) && out[3]![0]!.every((v) => v === 0)).toBe(true);
    expect(out[3]![1]!.some((v) => v !== 0)).toBe(true);
    // hN of sequence 0 is its output at its own last step (t = 1).
    expectArraysClose(((await r.hN.array()) as number[][])[0]!, out[1]![0]!, { atol: 0 });
    tf.dispose([x, weightIh, weightHh, biasIh, biasHh, h0, c0, r.output, r.hN, r.cN]);
  });

  it('creates no tensors beyond its results, forward and backward', async () => {
    for (const cell of CELLS) {
      const p = makeProblem(cell, 3, 2, 2, 3, 2);
      const inputs = tensorsOf(p);
      const { f, dispose } = lossFn(p, { lengths: [3, 2], reverse: true });
      expectNoTensorLeak(() => tf.tidy(() => f(...inputs)), `${cell} forward`);
      expectNoTensorLeak(() => tf.grads(f)(inputs), `${cell} backward`);
      tf.dispose(inputs);
      dispose();
    }
  });

  it("recurrentSequenceParts gives recurrentSequence's states and their gradients, without the output on the tape", async () => {
    const states = { output: false, hN: true, cN: true };
    const recurrentStates = (...a: Parameters<typeof recurrentSequence>) =>
      recurrentSequenceParts(a[0], a[1], a[2], a[3], a[4], a[5] ?? {}, states);
    for (const cell of CELLS) {
      const p = makeProblem(cell, 4, 3, 2, 5, 7);
      const inputs = tensorsOf(p);
      const S = tf.tensor(p.values['S']!.data, p.values['S']!.shape);
      const Q = tf.tensor(p.values['Q']!.data, p.values['Q']!.shape);
      const loss =
        (
          run: (...a: Parameters<typeof recurrentSequence>) => Partial<ReturnType<typeof recurrentSequence>>,
        ) =>
        (...args: tf.Tensor[]): tf.Scalar => {
          const { x, weightIh, weightHh, biasIh, biasHh, h0, c0 } = named(args);
          const r = run(cell, x, { weightIh, weightHh, biasIh, biasHh }, h0, c0, { lengths: [4, 2, 3] });
          return (
            r.cN ? tf.add(tf.sum(tf.mul(r.hN!, S)), tf.sum(tf.mul(r.cN, Q))) : tf.sum(tf.mul(r.hN!, S))
          ) as tf.Scalar;
        };
      const statesGrads = tf.grads(loss(recurrentStates))(inputs);
      const sequence = tf.grads(loss(recurrentSequence))(inputs);
      for (let i = 0; i < statesGrads.length; i++)
        expectArraysClose(await statesGrads[i]!.data(), await sequence[i]!.data(), { atol: 1e-6 });
      // Without biases, full length.
      const unbiasedStates = (options?: RecurrentSequenceOptions) => {
        const { x, weightIh, weightHh, h0, c0 } = named(inputs);
        return recurrentStates(cell, x, { weightIh, weightHh }, h0, c0, options);
      };
      const r = unbiasedStates();
      expect('output' in r).toBe(false);
      for (const implementation of ['fused', 'reference'] as const) {
        if (implementation === 'fused' && !hasFusedRecurrenceKernel(cell)) continue;
        expectNoTensorLeak(() => {
          const r = unbiasedStates({ implementation });
          return [r.hN!, ...(r.cN ? [r.cN] : [])];
        }, `${cell} ${implementation} states`);
      }
      tf.dispose([...inputs, S, Q, ...statesGrads, ...sequence, r.hN!, r.cN ?? []]);
    }
  });

  it('works without biases', async () => {
    const x = randomUniform([3, 2, 2], -1, 1, 1);
    for (const cell of CELLS) {
      const g = gateCount(cell) * 3;
      const weights = {
        weightIh: randomUniform([g, 2], -1, 1, 2),
        weightHh: randomUniform([g, 3], -1, 1, 3),
      };
      const h0 = tf.zeros([2, 3]);
      const fused = recurrentSequence(cell, x, weights, h0, cell === 'lstm' ? h0 : undefined);
      const ref = recurrentSequence(cell, x, weights, h0, cell === 'lstm' ? h0 : undefined, {
        implementation: 'reference',
      });
      expectArraysClose(await fused.output.data(), await ref.output.data(), { atol: 1e-5 });
      tf.dispose([
        weights.weightIh,
        weights.weightHh,
        h0,
        fused.output,
        fused.hN,
        ref.output,
        ref.hN,
        ...(fused.cN ? [fused.cN, ref.cN!] : []),
      ]);
    }
    x.dispose();
  });
});

describe('sequence op argument checks', () => {
  const x = tf.zeros([4, 2, 3]);
  const w = {
    weightIh: tf.zeros([20, 3]),
    weightHh: tf.zeros([20, 5]),
    biasIh: tf.zeros([20]),
    biasHh: tf.zeros([20]),
  };
  const h0 = tf.zeros([2, 5]);
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'rank of x',
      () => lstmSequence(tf.zeros([4, 3]), w, h0, h0),
      /lstmSequence: x must be rank 3 \[time, batch, inputSize\], got shape \[4, 3\]/,
    ],
    [
      'inputSize mismatch',
      () => lstmSequence(tf.zeros([4, 2, 7]), w, h0, h0),
      /lstmSequence: weights\.weightIh must have shape \[20, 7\], got \[20, 3\]/,
    ],
    [
      'h0 shape',
      () => lstmSequence(x, w, tf.zeros([3, 5]), h0),
      /lstmSequence: h0 must have shape \[2, 5\], got \[3, 5\]/,
    ],
    [
      'c0 missing',
      () => lstmSequence(x, w, h0, undefined as unknown as tf.Tensor),
      /lstmSequence: c0 is required/,
    ],
    [
      'lengths too long',
      () => lstmSequence(x, w, h0, h0, { lengths: [4, 5] }),
      /lstmSequence: lengths\[1\] = 5 exceeds the sequence length 4/,
    ],
    [
      'zero length',
      () => lstmSequence(x, w, h0, h0, { lengths: [0, 4] }),
      /lstmSequence: lengths\[0\] = 0 must be >= 1/,
    ],
    [
      'lengths count',
      () => lstmSequence(x, w, h0, h0, { lengths: [4] }),
      /lstmSequence: lengths has 1 entries, expected batch size 2/,
    ],
    [
      'gru gate count',
      () => gruSequence(x, w, h0),
      /gruSequence: weights\.weightIh must have shape \[15, 3\], got \[20, 3\]/,
    ],
    [
      'rnn nonlinearity',
      () => rnnSequence(x, w, h0, { nonlinearity: 'sigmoid' as 'tanh' }),
      /rnnSequence: nonlinearity must be 'tanh' or 'relu'/,
    ],
    [
      'one bias only',
      () => lstmSequence(x, { ...w, biasHh: undefined }, h0, h0),
      /biasIh and weights\.biasHh must both be given/,
    ],
  ];
  for (const [label, fn, message] of cases) {
    it(label, () => {
      expect(fn).toThrow(message);
    });
  }
});
