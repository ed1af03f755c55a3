import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends, expectArraysClose } from '@rnnkit/tensor-core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { loadTorchCases, loadTorchTensors, type TorchCase } from '../testing/torch_fixtures.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RecurrentLayer } from './recurrent_layer.js';
import { SimpleRNN } from './simple_rnn.js';

// Forward outputs, final states and the gradients of loss = sum(output*R) + sum(hN*S) [+ sum(cN*Q)]
// w.r.t. x, h0, c0 and every parameter, against torch.nn (tools/fixtures/rnn_layers.py). The cases
// with hidden 16 run the wasm backend's fused SIMD kernels (step products, weight gradients).

function makeLayer(c: TorchCase): RecurrentLayer {
  const options = {
    inputSize: c.inputSize,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    bidirectional: c.bidirectional,
    seed: 1,
  };
  if (c.cell === 'lstm') return new LSTM(options);
  if (c.cell === 'gru') return new GRU(options);
  return new SimpleRNN({ ...options, nonlinearity: c.cell === 'rnn_relu' ? 'relu' : 'tanh' });
}

const ATOL = { atol: 1e-5 };

describeWithBackends('recurrent layers vs PyTorch', (backend) => {
  // 4 cells x 1-2 layers x uni/bidirectional x with/without lengths, plus 2 wide cases per cell.
  const cases = loadTorchCases(40);
  let numTensors = 0;
  beforeAll(() => {
    numTensors = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(numTensors);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const t = loadTorchTensors(c.name);
      const layer = makeLayer(c);
      const state: Record<string, tf.Tensor> = {};
      for (const p of c.parameters) state[p] = t[`param.${p}`]!;
      layer.loadStateDict(state);
      const isLstm = c.cell === 'lstm';
      // x, h0, c0 as variables so one backward pass gives every gradient.
      const x = tf.variable(t['x']!, true, `x_${c.name}_${backend}`);
      const h0 = tf.variable(t['h0']!, true, `h0_${c.name}_${backend}`);
      const c0 = isLstm ? tf.variable(t['c0']!, true, `c0_${c.name}_${backend}`) : undefined;
      const vars = [...layer.parameters(), x, h0, ...(c0 ? [c0] : [])];
      let out: { output: tf.Tensor; hN: tf.Tensor; cN?: tf.Tensor } | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const r = layer.forward(x, { h0, c0, lengths: c.lengths ?? undefined });
        out = { output: tf.keep(r.output), hN: tf.keep(r.hN), cN: r.cN ? tf.keep(r.cN) : undefined };
        let loss = tf.add(tf.sum(tf.mul(r.output, t['R']!)), tf.sum(tf.mul(r.hN, t['S']!)));
        if (r.cN) loss = tf.add(loss, tf.sum(tf.mul(r.cN, t['Q']!)));
        return loss as tf.Scalar;
      }, vars);
      try {
        expectArraysClose(await out!.output.data(), await t['output']!.data(), ATOL);
        expectArraysClose(await out!.hN.data(), await t['hN']!.data(), ATOL);
        if (isLstm) expectArraysClose(await out!.cN!.data(), await t['cN']!.data(), ATOL);
        for (const [name, v] of layer.namedParameters()) {
          expect(grads[v.name], name).toBeDefined();
          expectArraysClose(await grads[v.name]!.data(), await t[`grad.${name}`]!.data(), ATOL);
        }
        expectArraysClose(await grads[x.name]!.data(), await t['grad.x']!.data(), ATOL);
        expectArraysClose(await grads[h0.name]!.data(), await t['grad.h0']!.data(), ATOL);
        if (c0) expectArraysClose(await grads[c0.name]!.data(), await t['grad.c0']!.data(), ATOL);
      } finally {
        tf.dispose([
          value,
          out!.output,
          out!.hN,
          ...(out!.cN ? [out!.cN] : []),
          ...Object.values(grads),
          x,
          h0,
          ...(c0 ? [c0] : []),
        ]);
        tf.dispose(Object.values(t));
        layer.dispose();
      }
    });
  }
});
