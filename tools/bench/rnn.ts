/**
 * Benchmark: rnnkit's recurrent layers vs @tensorflow/tfjs-layers 4.22.0 on the same backend, same run.
 *
 *   npm run bench:rnn -- --backend cpu --cell lstm --batch 32 --time 100 --input 32 --hidden 128 --json
 *
 * A training step is forward + Dense(1, sigmoid) on the last hidden state + binary cross-entropy +
 * backward + RMSprop(lr 0.001, rho 0.9, eps 1e-7) update, ending with a read of the loss (so a GPU
 * queue is drained). Inference is forward + Dense on the same batch, ending with a read of the output.
 * Figures are medians over --runs timed runs after --warmup untimed ones. Prints one JSON line.
 * On wasm, rnnkit's fused recurrences and projections split batch rows across helper threads (the
 * library's default, or --threads N; the line's rnnkit_threads); tfjs-layers runs one thread there.
 *
 * On the GPU machine (no Node.js there): ../shared/gpu/prepare.sh tools/bench/rnn.ts, then
 *   bash .gpu/run.sh .gpu/rnn.mjs --backend webgpu --cell lstm ... --json
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, useBackend } from '@rnnkit/tensor-core';

import { parseRnnBenchArgs, type RnnBenchConfig } from './rnn-args.js';
import { timeMatmulFloor } from './rnn-floor.js';
import { countHostOps, type HostOps } from './webgpu-host-ops.js';
import { installNodeWebGpu } from './node-webgpu.js';
import { registerChainedOps } from './rnn-chained-ops.js';
import { median, required } from './checked.js';

interface Timing {
  train_ms_per_batch: number | null;
  infer_ms_per_batch: number | null;
  train_runs_ms?: number[];
  infer_runs_ms?: number[];
}

async function time(label: string, cfg: RnnBenchConfig, fn: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < cfg.warmup; i++) await fn();
  const runs: number[] = [];
  for (let i = 0; i < cfg.runs; i++) {
    const t0 = performance.now();
    await fn();
    runs.push(performance.now() - t0);
  }
  if (!cfg.json) console.error(`${label}: median ${median(runs).toFixed(1)} ms over ${cfg.runs} runs`);
  return runs;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function summarise(train: number[] | null, infer: number[] | null): Timing {
  return {
    train_ms_per_batch: train ? round(median(train)) : null,
    infer_ms_per_batch: infer ? round(median(infer)) : null,
    ...(train ? { train_runs_ms: train.map(round) } : {}),
    ...(infer ? { infer_runs_ms: infer.map(round) } : {}),
  };
}

/** Fixed inputs for both implementations: x ~ N(0, 1), labels 0/1, from a fixed seed. */
function makeData(cfg: RnnBenchConfig): { x: tf.Tensor3D; y: tf.Tensor2D } {
  const x = tf.randomNormal([cfg.batch, cfg.time, cfg.input], 0, 1, 'float32', 1) as tf.Tensor3D;
  const y = tf.tidy(() =>
    tf.cast(tf.greater(tf.randomUniform([cfg.batch, 1], 0, 1, 'float32', 2), 0.5), 'float32'),
  ) as tf.Tensor2D;
  return { x, y };
}

async function benchRnnkit(
  cfg: RnnBenchConfig,
  x: tf.Tensor3D,
  y: tf.Tensor2D,
): Promise<
  Timing & {
    rnnkit_error?: string;
    train_step_gpu_pass_ms?: Record<string, number>;
    train_step_host_ops?: HostOps;
  }
> {
  let lib: typeof import('../../packages/rnn-layers/src/index.js');
  let meanLoss: (typeof import('../../packages/rnn-layers/src/internal.js'))['meanLoss'];
  try {
    lib = await import('../../packages/rnn-layers/src/index.js');
    ({ meanLoss } = await import('../../packages/rnn-layers/src/internal.js'));
  } catch (error) {
    return {
      train_ms_per_batch: null,
      infer_ms_per_batch: null,
      rnnkit_error: `rnnkit layers not available yet: ${(error as Error).message}`,
    };
  }
  if (cfg.backend === 'wasm') {
    if (cfg.threads > 0) lib.setWasmThreads(cfg.threads);
    const helpers = await import('../../packages/rnn-layers/src/ops/wasm/wasm_helper_threads.js');
    await helpers.helperThreads()?.started(); // they start asynchronously: time them running
  }
  const Cell = { lstm: lib.LSTM, gru: lib.GRU, rnn: lib.SimpleRNN }[cfg.cell];
  if (!Cell)
    return {
      train_ms_per_batch: null,
      infer_ms_per_batch: null,
      rnnkit_error: `rnnkit layers not available yet: no ${cfg.cell} class exported`,
    };
  const rnn = new Cell({ inputSize: cfg.input, hiddenSize: cfg.hidden, numLayers: cfg.layers, seed: 1 });
  const dense = new lib.Dense({ units: 1, activation: 'sigmoid', seed: 2, inputDim: cfg.hidden });
  const variables = [...rnn.parameters(), ...dense.namedWeights().map(([, v]) => v)];
  // rnnkit's RMSprop: tfjs-core's rule, one fused kernel per variable where the backend has it (webgpu).
  const optimizer = lib.rmsprop(0.001, 0.9, 0, 1e-7);
  const trainStep = async () => {
    // minimize tidies the forward pass and disposes the gradients; only the loss comes back.
    const loss = required(
      optimizer.minimize(
        () => meanLoss(lib.binaryCrossentropy(y, dense.apply(rnn.apply(x)))),
        true,
        variables,
      ),
      'the cost optimizer.minimize returns',
    );
    await loss.data();
    loss.dispose();
  };
  const before = tf.memory().numTensors;
  try {
    const train = cfg.mode === 'infer' ? null : await time('rnnkit train', cfg, trainStep);
    const infer =
      cfg.mode === 'train'
        ? null
        : await time('rnnkit infer', cfg, async () => {
            const out = tf.tidy(() => dense.apply(rnn.apply(x)));
            await out.data();
            out.dispose();
          });
    // On webgpu, one more training step with timestamp queries (how much of it the fused passes take)
    // and counts of its host-side WebGPU work.
    let webgpu: Record<string, unknown> | undefined;
    if (cfg.backend === 'webgpu' && cfg.mode !== 'infer') {
      const timing = await import('../../packages/rnn-layers/src/ops/webgpu/recurrence_pass_timing.js');
      const hostOps = await countHostOps(trainStep); // first: the timing below creates query buffers
      timing.startRecurrencePassTiming();
      await trainStep();
      const passes: Record<string, number> = {};
      for (const p of await timing.stopRecurrencePassTiming())
        passes[p.pass] = round((passes[p.pass] ?? 0) + p.gpuMs);
      webgpu = { train_step_gpu_pass_ms: passes, train_step_host_ops: hostOps };
    }
    return { ...summarise(train, infer), ...webgpu };
  } finally {
    optimizer.dispose();
    rnn.dispose();
    dense.dispose();
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0 && !cfg.json) console.error(`rnnkit: ${leaked} tensors left after the benchmark`);
  }
}

async function benchTfjsLayers(
  cfg: RnnBenchConfig,
  x: tf.Tensor3D,
  y: tf.Tensor2D,
): Promise<Timing & { baseline_error?: string; train_step_host_ops?: HostOps }> {
  registerChainedOps();
  const tfl = await import('@tensorflow/tfjs-layers');
  const make = { lstm: tfl.layers.lstm, gru: tfl.layers.gru, rnn: tfl.layers.simpleRNN }[cfg.cell];
  const model = tfl.sequential();
  for (let l = 0; l < cfg.layers; l++) {
    model.add(
      make({
        units: cfg.hidden,
        returnSequences: l < cfg.layers - 1,
        ...(l === 0 ? { inputShape: [cfg.time, cfg.input] } : {}),
      }),
    );
  }
  model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.rmsprop(0.001, 0.9, 0, 1e-7), loss: 'binaryCrossentropy' });
  try {
    const train =
      cfg.mode === 'infer'
        ? null
        : await time('tfjs-layers train', cfg, async () => {
            await model.trainOnBatch(x, y); // reads the loss back
          });
    const infer =
      cfg.mode === 'train'
        ? null
        : await time('tfjs-layers infer', cfg, async () => {
            const out = model.predict(x) as tf.Tensor;
            await out.data();
            out.dispose();
          });
    const hostOps =
      cfg.backend === 'webgpu' && cfg.mode !== 'infer'
        ? await countHostOps(async () => void (await model.trainOnBatch(x, y)))
        : undefined;
    return { ...summarise(train, infer), ...(hostOps ? { train_step_host_ops: hostOps } : {}) };
  } finally {
    model.optimizer?.dispose();
    model.dispose();
  }
}

/** Runs tools/bench/rnn_pytorch.py for the same config (CUDA/cuDNN when present) and returns its JSON; on the
 *  reference BLAS it exits 3 and its message lands in pytorch_error. */
function benchPytorch(cfg: RnnBenchConfig): Record<string, unknown> {
  const python = cfg.pytorch || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const script = new URL('./rnn_pytorch.py', import.meta.url).pathname;
  const path = existsSync(script) ? script : 'tools/bench/rnn_pytorch.py'; // a bundle runs from the project root
  const args = [
    path,
    '--cell',
    cfg.cell,
    '--batch',
    `${cfg.batch}`,
    '--time',
    `${cfg.time}`,
    '--input',
    `${cfg.input}`,
    '--hidden',
    `${cfg.hidden}`,
    '--layers',
    `${cfg.layers}`,
    '--warmup',
    `${cfg.warmup}`,
    '--runs',
    `${cfg.runs}`,
    '--threads',
    `${cfg.pytorchThreads}`,
    '--json',
  ];
  const run = spawnSync(python, args, { encoding: 'utf8' });
  const line = run.stdout?.trim().split('\n').at(-1);
  if (run.status !== 0 || !line)
    return {
      pytorch_error: `${python} ${path} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr?.trim().slice(-500)}`,
    };
  return JSON.parse(line) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const cfg = parseRnnBenchArgs(process.argv.slice(2));
  if (cfg.backend === 'webgpu') await installNodeWebGpu();
  const info = await useBackend(cfg.backend);
  if (info.name !== cfg.backend)
    throw new Error(`bench:rnn: asked for backend ${cfg.backend} but ${info.name} is active`);
  const { x, y } = makeData(cfg);
  const started = new Date().toISOString();
  const loadAtStart = os.loadavg().map((v) => round(v));
  const rnnkit = cfg.skipRnnkit ? null : await benchRnnkit(cfg, x, y);
  const baseline = cfg.skipBaseline ? null : await benchTfjsLayers(cfg, x, y);
  tf.dispose([x, y]);
  const floor = cfg.floor ? await timeMatmulFloor(cfg, (fn) => time('matmul floor', cfg, fn)) : null;
  const torch = cfg.pytorch === null ? null : benchPytorch(cfg);
  const result = {
    bench: 'rnn',
    backend: cfg.backend,
    cell: cfg.cell,
    batch: cfg.batch,
    time: cfg.time,
    input: cfg.input,
    hidden: cfg.hidden,
    layers: cfg.layers,
    warmup: cfg.warmup,
    runs: cfg.runs,
    train_ms_per_batch: rnnkit?.train_ms_per_batch ?? null,
    infer_ms_per_batch: rnnkit?.infer_ms_per_batch ?? null,
    baseline_train_ms_per_batch: baseline?.train_ms_per_batch ?? null,
    baseline_infer_ms_per_batch: baseline?.infer_ms_per_batch ?? null,
    speedup_train:
      rnnkit?.train_ms_per_batch && baseline?.train_ms_per_batch
        ? round(baseline.train_ms_per_batch / rnnkit.train_ms_per_batch)
        : null,
    speedup_infer:
      rnnkit?.infer_ms_per_batch && baseline?.infer_ms_per_batch
        ? round(baseline.infer_ms_per_batch / rnnkit.infer_ms_per_batch)
        : null,
    ...(floor
      ? {
          floor_infer_ms_per_batch: round(median(floor)),
          max_speedup_infer: baseline?.infer_ms_per_batch
            ? round(baseline.infer_ms_per_batch / median(floor))
            : null,
        }
      : {}),
    ...(cfg.backend === 'wasm' && rnnkit
      ? { rnnkit_threads: (await import('../../packages/rnn-layers/src/index.js')).wasmThreads() }
      : {}),
    ...(rnnkit?.rnnkit_error ? { rnnkit_error: rnnkit.rnnkit_error } : {}),
    ...(rnnkit?.train_step_gpu_pass_ms
      ? {
          train_step_gpu_pass_ms: rnnkit.train_step_gpu_pass_ms,
          train_step_host_ops: rnnkit.train_step_host_ops,
        }
      : {}),
    ...(baseline?.train_step_host_ops ? { baseline_train_step_host_ops: baseline.train_step_host_ops } : {}),
    ...(torch
      ? {
          pytorch_train_ms_per_batch: torch.train_ms_per_batch ?? null,
          pytorch_infer_ms_per_batch: torch.infer_ms_per_batch ?? null,
          pytorch_backend: torch.backend ?? null,
          pytorch_blas: torch.torch_blas ?? null, // rnn_pytorch.py refuses Debian's reference BLAS (torch_blas.py)
          ...(torch.pytorch_error
            ? { pytorch_error: torch.pytorch_error }
            : { pytorch_machine: torch.machine }),
        }
      : {}),
    baseline_name: '@tensorflow/tfjs-layers',
    baseline_version: (await import('@tensorflow/tfjs-layers')).version_layers,
    rnnkit_runs_ms: { train: rnnkit?.train_runs_ms ?? null, infer: rnnkit?.infer_runs_ms ?? null },
    baseline_runs_ms: { train: baseline?.train_runs_ms ?? null, infer: baseline?.infer_runs_ms ?? null },
    machine: {
      backend_info: await describeBackend(),
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cpus: os.cpus().length,
      loadavg_at_start: loadAtStart,
      loadavg_at_end: os.loadavg().map((v) => round(v)),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      started,
    },
  };
  console.log(JSON.stringify(result));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
