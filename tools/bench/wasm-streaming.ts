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

const args = new Map<string, string>();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) args.set(argv[i]!.replace(/^--/, ''), argv[i + 1] ?? '');
const num = (k: string, d: number) => Number(args.get(k) ?? d);
const cell = (args.get('cell') ?? 'lstm') as 'lstm' | 'gru' | 'rnn';
const [batch, chunk, input, hidden, layers, runs] = [
  num('batch', 1),
  num('chunk', 10),
  num('input', 40),
  num('hidden', 128),
  num('layers', 2),
  num('runs', 300),
];
const warmup = num('warmup', 20);

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
      if (run >= 0) times[name]!.push(performance.now() - start);
    }
    outputs[0]!.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - outputs[1]![i]!))));
  }
} finally {
  setFusedStepsEnabled(true);
}
const round = (v: number) => Math.round(v * 1000) / 1000;
const summary = (v: number[]) => {
  const sorted = [...v].sort((a, b) => a - b);
  return { median: round(sorted[sorted.length >> 1]!), fastest: round(sorted[0]!) };
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
    loadavg_1m: round(os.loadavg()[0]!),
    cpus: os.cpus().length,
  }),
);
Object.values(streams).forEach((s) => s.dispose());
layer.dispose();
x.dispose();
process.exit(0);
