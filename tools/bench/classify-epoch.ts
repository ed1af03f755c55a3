/**
 * Benchmark: one training epoch of the Keras seed classifier — Embedding(10000, 32) → SimpleRNN(32) →
 * Dense(1, sigmoid), RMSprop(lr 0.001, rho 0.9, eps 1e-7), binary cross-entropy, batch 128 — on
 * IMDB-shaped data (25,000 random sequences of 500 ids below 10,000), by rnnkit, by tfjs-layers (same
 * model, same backend) and by PyTorch CPU (tools/bench/classify_epoch_pytorch.py), in the same run.
 *
 *   npm run bench:classify                       # wasm and cpu, every library; JSON lines on stdout
 *   npm run bench:classify -- --backends wasm --epochs 3 --tfjs-batches 20 --pytorch-threads 1,0
 *
 * Each library gets the data as one prebuilt tensor and fits with its own API (rnnkit and tfjs-layers:
 * `model.fit`, PyTorch: a plain loop), after `--warmup` untimed batches; the median of `--epochs` timed
 * epochs is reported. tfjs-layers is far slower (its Embedding gradient is an UnsortedSegmentSum, a
 * loop over the 10,000 rows on cpu, and missing on wasm, where it cannot train this model at all), so
 * it is timed on `--tfjs-batches` batches of one fit call after one warm-up batch and scaled to the
 * epoch (`measured` says so; `--tfjs-batches 0` times whole epochs: hours on cpu).
 * Each (library, backend) runs in a child process of its own (`--only rnnkit:cpu`), stopped after
 * `--child-timeout` seconds (default 900; reported as unfinished, a lower bound): a fit that fails
 * inside tfjs's gradient tape (tfjs-layers on wasm) leaves the engine recording, which made everything
 * measured after it in the same process many times slower.
 * Threads: rnnkit on wasm uses its default helper threads (`rnnkit_threads`), tfjs's wasm backend its
 * own; PyTorch runs once per `--pytorch-threads` entry (0: torch's default, all cores).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom, useBackend } from '@rnnkit/tensor-core';
import { Dense, Embedding, Sequential, SimpleRNN, rmsprop, wasmThreads } from '@rnnkit/rnn-layers';

import { parseBenchArgs } from './cli-args.js';
import { registerChainedOps } from './rnn-chained-ops.js';
import { median } from './checked.js';

const args = parseBenchArgs({
  name: 'classify-epoch',
  summary: 'One training epoch of the Keras seed classifier by rnnkit, tfjs-layers and PyTorch CPU.',
  options: {
    backends: { kind: 'list', choices: ['wasm', 'cpu'], default: ['wasm', 'cpu'], description: 'backends' },
    samples: { kind: 'int', default: 25000, min: 1, description: 'training sequences' },
    length: { kind: 'int', default: 500, min: 1, description: 'ids per sequence' },
    vocab: { kind: 'int', default: 10000, min: 2, description: 'vocabulary size' },
    batch: { kind: 'int', default: 128, min: 1, description: 'batch size' },
    warmup: { kind: 'int', default: 5, min: 0, description: 'untimed batches first' },
    epochs: { kind: 'int', default: 1, min: 1, description: 'timed epochs (median)' },
    'tfjs-batches': {
      kind: 'int',
      default: 3,
      min: 0,
      description: 'tfjs-layers: timed batches scaled to the epoch (0: whole epochs)',
    },
    'pytorch-threads': {
      kind: 'int-list',
      default: [0, 1],
      min: 0,
      description: "PyTorch runs, one per thread count (0: torch's default)",
    },
    skip: {
      kind: 'list',
      choices: ['rnnkit', 'tfjs-layers', 'pytorch'],
      default: [],
      description: 'libraries not to run',
    },
    only: { kind: 'string', placeholder: 'library:backend', description: 'run one (library, backend) here' },
    'child-timeout': { kind: 'int', default: 900, min: 1, description: 'seconds per child process' },
  },
});
const cfg = {
  samples: args.samples,
  length: args.length,
  vocab: args.vocab,
  batch: args.batch,
  warmup: args.warmup,
  epochs: args.epochs,
  tfjsBatches: args['tfjs-batches'],
};
const backends: string[] = args.backends;
const skip = new Set<string>(args.skip);
const torchThreads = args['pytorch-threads'];
const batchesPerEpoch = Math.ceil(cfg.samples / cfg.batch);
const round = (v: number) => Math.round(v * 100) / 100;

/** The same random ids and labels for every JS library (PyTorch draws its own of the same shape). */
function makeData(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const random = new SeededRandom(0);
  const ids = new Int32Array(cfg.samples * cfg.length);
  for (let i = 0; i < ids.length; i++) ids[i] = 1 + random.nextInt(cfg.vocab - 1);
  const labels = Float32Array.from({ length: cfg.samples }, () => (random.nextFloat() < 0.5 ? 0 : 1));
  return {
    x: tf.tensor2d(ids, [cfg.samples, cfg.length], 'int32'),
    y: tf.tensor2d(labels, [cfg.samples, 1]),
  };
}

/** Seconds per epoch: `fitEpoch(rows)` trains one epoch on the first `rows` samples. */
async function timeEpochs(
  fitEpoch: (rows: number) => Promise<void>,
  partialBatches: number,
  warmup = cfg.warmup,
): Promise<{ seconds: number[]; measured: string }> {
  if (warmup > 0) await fitEpoch(Math.min(cfg.samples, warmup * cfg.batch));
  const rows = partialBatches > 0 ? Math.min(cfg.samples, partialBatches * cfg.batch) : cfg.samples;
  const scale = cfg.samples / rows;
  const seconds: number[] = [];
  for (let e = 0; e < cfg.epochs; e++) {
    const t0 = performance.now();
    await fitEpoch(rows);
    seconds.push(((performance.now() - t0) / 1000) * scale);
  }
  return {
    seconds,
    measured:
      rows === cfg.samples
        ? 'full epoch'
        : `${Math.ceil(rows / cfg.batch)} of ${batchesPerEpoch} batches, scaled to the epoch`,
  };
}

const slice = (t: tf.Tensor2D, rows: number) => (rows === t.shape[0] ? t : tf.slice(t, [0, 0], [rows, -1]));

async function benchRnnkit(x: tf.Tensor2D, y: tf.Tensor2D) {
  const model = new Sequential([
    new Embedding({ inputDim: cfg.vocab, outputDim: 32, seed: 1 }),
    new SimpleRNN({ hiddenSize: 32, seed: 2 }),
    new Dense({ units: 1, activation: 'sigmoid', seed: 3 }),
  ]);
  const optimizer = rmsprop(0.001, 0.9, 0, 1e-7);
  model.compile({ optimizer, loss: 'binary_crossentropy', metrics: ['acc'] });
  try {
    return await timeEpochs(async (rows) => {
      const xs = slice(x, rows);
      const ys = slice(y, rows);
      await model.fit(xs, ys, { epochs: 1, batchSize: cfg.batch, verbose: 0, seed: 1 });
      if (xs !== x) tf.dispose([xs, ys]);
    }, 0);
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

async function benchTfjsLayers(x: tf.Tensor2D, y: tf.Tensor2D) {
  registerChainedOps();
  const tfl = await import('@tensorflow/tfjs-layers');
  const model = tfl.sequential({
    layers: [
      tfl.layers.embedding({ inputDim: cfg.vocab, outputDim: 32, inputLength: cfg.length }),
      tfl.layers.simpleRNN({ units: 32 }),
      tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({
    optimizer: tf.train.rmsprop(0.001, 0.9, 0, 1e-7),
    loss: 'binaryCrossentropy',
    metrics: ['acc'],
  });
  try {
    const timing = await timeEpochs(
      async (rows) => {
        const xs = slice(x, rows);
        const ys = slice(y, rows);
        await model.fit(xs, ys, { epochs: 1, batchSize: cfg.batch, verbose: 0 });
        if (xs !== x) tf.dispose([xs, ys]);
      },
      cfg.tfjsBatches,
      Math.min(cfg.warmup, 1),
    ); // one warm-up batch: a cpu batch takes about a minute
    return { ...timing, version: tfl.version_layers };
  } finally {
    model.optimizer?.dispose();
    model.dispose();
  }
}

function benchPytorch(threads: number): Record<string, unknown> {
  const script = new URL('./classify_epoch_pytorch.py', import.meta.url).pathname;
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const run = spawnSync(
    python,
    [
      script,
      '--samples',
      `${cfg.samples}`,
      '--length',
      `${cfg.length}`,
      '--vocab',
      `${cfg.vocab}`,
      '--batch',
      `${cfg.batch}`,
      '--warmup',
      `${cfg.warmup}`,
      '--epochs',
      `${cfg.epochs}`,
      '--threads',
      `${threads}`,
      '--json',
    ],
    { encoding: 'utf8' },
  );
  const line = run.stdout?.trim().split('\n').pop();
  if (run.status !== 0 || !line)
    return {
      bench: 'classify-epoch',
      library: 'pytorch',
      error: `${python} ${script} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr?.trim().slice(-400)}`,
    };
  return JSON.parse(line) as Record<string, unknown>;
}

const machine = () => ({
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cpus: os.cpus().length,
  loadavg: os.loadavg().map(round),
  node: process.version,
});
const common = {
  bench: 'classify-epoch',
  samples: cfg.samples,
  length: cfg.length,
  vocab: cfg.vocab,
  batch: cfg.batch,
  warmup_batches: cfg.warmup,
  epochs_timed: cfg.epochs,
};

/** One library on one backend, in this process: its JSON result on stdout (`--only`). */
async function measureHere(library: string, backend: string): Promise<void> {
  await useBackend(backend);
  const before = tf.memory().numTensors;
  const { x, y } = makeData();
  let line: Record<string, unknown>;
  if (library === 'rnnkit') {
    const r = await benchRnnkit(x, y);
    const leaked = tf.memory().numTensors - before - 2;
    if (leaked !== 0) console.error(`classify-epoch: rnnkit left ${leaked} tensors on ${backend}`);
    line = {
      seconds: r.seconds,
      measured: r.measured,
      ...(backend === 'wasm' ? { rnnkit_threads: wasmThreads() } : {}),
    };
  } else {
    // tfjs-layers' Embedding gradient needs UnsortedSegmentSum, which tfjs's wasm backend lacks: reported, not fatal.
    line = await benchTfjsLayers(x, y).catch((error: Error) => ({ error: error.message }));
  }
  tf.dispose([x, y]);
  console.log(JSON.stringify(line));
}

/** Runs `--only library:backend` in a child process and returns its result line. */
function measureInChild(library: string, backend: string): Record<string, unknown> {
  const script = new URL(import.meta.url).pathname;
  const forwarded = process.argv
    .slice(2)
    .filter((a, i, all) => a !== '--only' && all[i - 1] !== '--only' && !a.startsWith('--only='));
  const limit = args['child-timeout'];
  const run = spawnSync(
    process.execPath,
    [...process.execArgv, script, ...forwarded, '--only', `${library}:${backend}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: limit * 1000 },
  );
  const line = run.stdout?.trim().split('\n').pop();
  // A run past the limit is a lower bound, not a failure of the library (tfjs-layers on cpu: minutes per batch).
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    return {
      error: `did not finish its warm-up and timed batches within --child-timeout ${limit} s`,
      unfinished_after_seconds: limit,
    };
  }
  if (run.status !== 0 || !line)
    return { error: `the ${library} ${backend} run failed (${run.error?.message ?? `exit ${run.status}`})` };
  return JSON.parse(line) as Record<string, unknown>;
}

if (args.only) {
  const [library, backend] = args.only.split(':');
  if (
    (library !== 'rnnkit' && library !== 'tfjs-layers') ||
    backend === undefined ||
    !backends.includes(backend)
  ) {
    console.error(
      `classify-epoch: --only must be rnnkit:<backend> or tfjs-layers:<backend>, got ${args.only}`,
    );
    process.exit(2);
  }
  await measureHere(library, backend);
  process.exit(0);
}

const torch = skip.has('pytorch') ? [] : torchThreads.map((t) => benchPytorch(t));
for (const line of torch) console.log(JSON.stringify(line));
const torchBest = torch.map((t) => t.epoch_seconds).filter((v): v is number => typeof v === 'number');
for (const backend of backends) {
  const rnnkit = skip.has('rnnkit') ? null : measureInChild('rnnkit', backend);
  const layers = skip.has('tfjs-layers') ? null : measureInChild('tfjs-layers', backend);
  const seconds = (r: Record<string, unknown> | null) =>
    r && Array.isArray(r.seconds) ? median(r.seconds as number[]) : null;
  const rnnkitSeconds = seconds(rnnkit);
  const layersSeconds = seconds(layers);
  if (rnnkit && rnnkitSeconds === null)
    console.log(
      JSON.stringify({
        ...common,
        library: 'rnnkit',
        backend,
        epoch_seconds: null,
        error: rnnkit.error,
        machine: machine(),
      }),
    );
  if (rnnkit && rnnkitSeconds !== null) {
    console.log(
      JSON.stringify({
        ...common,
        library: 'rnnkit',
        backend,
        epoch_seconds: round(rnnkitSeconds),
        epoch_runs_seconds: (rnnkit.seconds as number[]).map(round),
        measured: rnnkit.measured,
        ...(rnnkit.rnnkit_threads !== undefined ? { rnnkit_threads: rnnkit.rnnkit_threads } : {}),
        speedup_vs_tfjs_layers: layersSeconds ? round(layersSeconds / rnnkitSeconds) : null,
        speedup_vs_pytorch: Object.fromEntries(
          torch
            .filter((t) => typeof t.epoch_seconds === 'number')
            .map((t) => [
              `threads_${t.threads}_blas_${t.blas_threads}`,
              round((t.epoch_seconds as number) / rnnkitSeconds),
            ]),
        ),
        faster_than_pytorch: torchBest.length > 0 ? rnnkitSeconds < Math.min(...torchBest) : null,
        machine: machine(),
      }),
    );
  }
  if (layers && layersSeconds === null) {
    console.log(
      JSON.stringify({
        ...common,
        library: 'tfjs-layers',
        backend,
        epoch_seconds: null,
        error: layers.error,
        ...(layers.unfinished_after_seconds
          ? { unfinished_after_seconds: layers.unfinished_after_seconds }
          : {}),
        machine: machine(),
      }),
    );
  }
  if (layers && layersSeconds !== null) {
    console.log(
      JSON.stringify({
        ...common,
        library: 'tfjs-layers',
        version: layers.version,
        backend,
        epoch_seconds: round(layersSeconds),
        epoch_runs_seconds: (layers.seconds as number[]).map(round),
        measured: layers.measured,
        machine: machine(),
      }),
    );
  }
}
