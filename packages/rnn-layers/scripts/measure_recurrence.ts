// Quick timing of one fused sequence op against its tfjs-core reference on one backend (not a test).
// Usage: npx tsx scripts/measure_recurrence.ts [--backend cpu] [--cell lstm] [--batch 32] [--time 100]
//        [--input 32] [--hidden 128] [--runs 5] [--impl fused|reference|both]. Prints one JSON line per implementation (medians, ms).
import * as tf from '@tensorflow/tfjs-core';
import { randomUniform, useBackend } from '@rnnkit/tensor-core';

import { gateCount, type CellKind } from '../src/ops/cell_kind.js';
import { recurrentSequence } from '../src/ops/recurrent_sequence.js';

const args = new Map<string, string>();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const [key, value] = [argv[i], argv[i + 1]];
  if (key === undefined || value === undefined) throw new Error(`measure_recurrence: ${key} needs a value`);
  args.set(key.replace(/^--/, ''), value);
}
const num = (k: string, d: number): number => Number(args.get(k) ?? d);
const backend = args.get('backend') ?? 'cpu';
const cell = (args.get('cell') ?? 'lstm') as CellKind;
const [B, T, I, H, runs] = [
  num('batch', 32),
  num('time', 100),
  num('input', 32),
  num('hidden', 128),
  num('runs', 5),
];

await useBackend(backend as 'cpu');
const g = gateCount(cell) * H;
const x = randomUniform([T, B, I], -1, 1, 1);
const weights = {
  weightIh: randomUniform([g, I], -0.1, 0.1, 2),
  weightHh: randomUniform([g, H], -0.1, 0.1, 3),
  biasIh: randomUniform([g], -0.1, 0.1, 4),
  biasHh: randomUniform([g], -0.1, 0.1, 5),
};
const h0 = tf.zeros([B, H]);
const c0 = cell === 'lstm' ? tf.zeros([B, H]) : undefined;

const median = (v: number[]): number => {
  const m = [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  if (m === undefined) throw new Error('measure_recurrence: median of no runs');
  return m;
};

// Wall time and this process's CPU time (user + system): on a loaded shared machine the CPU time is the
// steadier figure for a single-threaded backend.
let lastCpuMs = 0;
async function time(fn: () => tf.Tensor[]): Promise<number> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const out = fn();
  await Promise.all(out.map((t) => t.data()));
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  lastCpuMs = (used.user + used.system) / 1000;
  tf.dispose(out);
  return ms;
}

const impl = args.get('impl') ?? 'both';
for (const implementation of (['fused', 'reference'] as const).filter((i) => impl === 'both' || impl === i)) {
  const forward = () => {
    const r = recurrentSequence(cell, x, weights, h0, c0, { implementation });
    return [r.output, r.hN, ...(r.cN ? [r.cN] : [])];
  };
  const f: number[] = [];
  const fb: number[] = [];
  const fCpu: number[] = [];
  const fbCpu: number[] = [];
  for (let r = 0; r < runs + 1; r++) {
    const tf1 = await time(forward);
    if (r > 0) {
      f.push(tf1);
      fCpu.push(lastCpuMs);
    }
  }
  const variables = {
    weightIh: tf.variable(weights.weightIh),
    weightHh: tf.variable(weights.weightHh),
    biasIh: tf.variable(weights.biasIh),
    biasHh: tf.variable(weights.biasHh),
  };
  const vars = [variables.weightIh, variables.weightHh, variables.biasIh, variables.biasHh];
  const trainStep = () => {
    const { value, grads } = tf.variableGrads(() => {
      const r = recurrentSequence(cell, x, variables, h0, c0, { implementation });
      return tf.sum(r.output) as tf.Scalar;
    }, vars);
    return [value, ...Object.values(grads)];
  };
  for (let r = 0; r < runs + 1; r++) {
    const t1 = await time(trainStep);
    if (r > 0) {
      fb.push(t1);
      fbCpu.push(lastCpuMs);
    }
  }
  tf.dispose(vars);
  console.log(
    JSON.stringify({
      backend,
      cell,
      implementation,
      batch: B,
      time: T,
      input: I,
      hidden: H,
      runs,
      forward_ms: +median(f).toFixed(1),
      forward_backward_ms: +median(fb).toFixed(1),
      forward_cpu_ms: +median(fCpu).toFixed(1),
      forward_backward_cpu_ms: +median(fbCpu).toFixed(1),
      loadavg: (await import('node:os')).loadavg()[0],
    }),
  );
}
