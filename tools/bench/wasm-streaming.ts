// Streaming inference on wasm: a RecurrentStream fed chunk by chunk (batch 1 by default, as for live
// audio), with the fused step kernels and packed-weight cache, and with them switched off (XNNPACK
// step products, weights prepared at every call), alternated chunk by chunk in one process.
//   npx tsx tools/bench/wasm-streaming.ts --cell lstm --batch 1 --chunk 10 --input 40 --hidden 128 --layers 2 --runs 300
// Prints one JSON line: median and fastest ms per chunk of each, and the largest output difference.
import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';
import { randomUniform, SeededRandom, useBackend } from '@rnnkit/tensor-core';

import { GRU, LSTM, SimpleRNN } from '../../packages/rnn-layers/src/index.js';
import { setFusedStepsEnabled } from '../../packages/rnn-layers/src/ops/wasm/simd_gates.js';

import { parseBenchArgs } from './cli-args.js';
import { at, loadavg1, required } from './checked.js';

const { cell, batch, chunk, input, hidden, layers, runs, warmup } = parseBenchArgs({
  name: 'wasm-streaming',
  summary: 'Streaming inference on wasm chunk by chunk, fused step kernels on vs off, alternated.',
  options: {
    cell: { kind: 'choice', choices: ['lstm', 'gru', 'rnn'], default: 'lstm', description: 'recurrent cell' },
    batch: { kind: 'int', default: 1, min: 1, description: 'batch size' },
    chunk: { kind: 'int', default: 10, min: 1, description: 'time steps per chunk' },
    input: { kind: 'int', default: 40, min: 1, description: 'input features' },
    hidden: { kind: 'int', default: 128, min: 1, description: 'hidden units' },
    layers: { kind: 'int', default: 2, min: 1, description: 'stacked layers' },
    runs: { kind: 'int', default: 300, min: 1, description: 'timed chunks' },
    warmup: { kind: 'int', default: 20, min: 0, description: 'untimed chunks first' },
  },
});

await useBackend('wasm');
const Layer = { lstm: LSTM, gru: GRU, rnn: SimpleRNN }[cell];
const layer = new Layer({ inputSize: input, hiddenSize: hidden, numLayers: layers, seed: 1 });
const x = randomUniform([chunk, batch, input], -1, 1, new SeededRandom(2));
const streams = { fused_steps: layer.stream(), xnnpack_step_product: layer.stream() };
const times: Record<string, number[]> = { fused_steps: [], xnnpack_step_product: [] };
let maxDiff = 0;
try {
  for (let run = -warmup; run < runs; run++) {
    const outputs: Float32Array[] = [];
    for (const [name, stream] of Object.entries(streams)) {
      setFusedStepsEnabled(name === 'fused_steps');
      const start = performance.now();
      const out = stream.push(x);
      outputs.push(out.dataSync() as Float32Array);
      out.dispose();
      if (run >= 0) required(times[name], `times of ${name}`).push(performance.now() - start);
    }
    const [fused, xnnpack] = outputs;
    if (!fused || !xnnpack) throw new Error('wasm-streaming: expected the outputs of both streams');
    fused.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - at(xnnpack, i, 'xnnpack output')))));
  }
} finally {
  setFusedStepsEnabled(true);
}
const round = (v: number) => Math.round(v * 1000) / 1000;
const summary = (v: number[]) => {
  const sorted = [...v].sort((a, b) => a - b);
  return {
    median: round(at(sorted, sorted.length >> 1, 'median of no runs')),
    fastest: round(at(sorted, 0, 'fastest of no runs')),
  };
};
console.log(
  JSON.stringify({
    bench: 'wasm-streaming',
    backend: tf.getBackend(),
    cell,
    batch,
    chunk,
    input,
    hidden,
    layers,
    runs,
    ms_per_chunk: Object.fromEntries(Object.entries(times).map(([name, t]) => [name, summary(t)])),
    max_abs_diff: maxDiff,
    loadavg_1m: round(loadavg1()),
    cpus: os.cpus().length,
  }),
);
Object.values(streams).forEach((s) => s.dispose());
layer.dispose();
x.dispose();
process.exit(0);
