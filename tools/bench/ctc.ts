/**
 * Benchmark: the CTC loss, forward + backward, by @rnnkit/seq2seq's ctcLoss on cpu and wasm (and
 * webgpu on request) and by PyTorch CPU's F.ctc_loss (1 and 2 threads), in the same run.
 *
 *   npm run bench:ctc                      # N = 32, T = 400, C = 30, S = 60; JSON lines on stdout
 *   npm run bench:ctc -- --backends wasm --runs 20 --pytorch-threads 1
 *   npm run bench:ctc -- --backends webgpu  # the WGSL kernel; its line names the adapter (a software
 *                                          # one such as lavapipe gives meaningless timings)
 *
 * Both sides get log-probabilities as a leaf (log_softmax is not timed), full input lengths, and
 * targets of S random non-blank labels (blank 0), reduction 'mean'. One forward + backward is the loss
 * and d loss / d logProbs, ending with a read of the gradient; forward alone ends with a read of the
 * loss. Figures are medians over --runs timed runs after --warmup untimed ones. PyTorch runs in
 * /usr/bin/python3 (Debian's python3-torch), once per --pytorch-threads entry; its CTC uses no BLAS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom, describeBackend, useBackend } from '@rnnkit/tensor-core';
import { ctcLoss } from '@rnnkit/seq2seq';

import { parseBenchArgs } from './cli-args.js';
import { median } from './checked.js';
import { installNodeWebGpu } from './node-webgpu.js';

const args = parseBenchArgs({
  name: 'bench:ctc',
  summary: 'CTC loss forward + backward: rnnkit ctcLoss (cpu, wasm, webgpu) vs PyTorch CPU F.ctc_loss.',
  options: {
    backends: {
      kind: 'list',
      choices: ['cpu', 'wasm', 'webgpu'],
      default: ['cpu', 'wasm'],
      description: 'backends',
    },
    batch: { kind: 'int', default: 32, min: 1, description: 'batch size N' },
    time: { kind: 'int', default: 400, min: 1, description: 'frames T' },
    classes: { kind: 'int', default: 30, min: 2, description: 'classes C, blank included' },
    target: { kind: 'int', default: 60, min: 0, description: 'labels per target S' },
    warmup: { kind: 'int', default: 3, min: 0, description: 'untimed runs first' },
    runs: { kind: 'int', default: 10, min: 1, description: 'timed runs (median)' },
    'pytorch-threads': {
      kind: 'int-list',
      default: [1, 2],
      min: 1,
      description: 'PyTorch runs, one per thread count (empty: none)',
    },
  },
});
const { batch: N, time: T, classes: C, target: S, warmup, runs } = args;
const round = (v: number) => Math.round(v * 100) / 100;
const common = { bench: 'ctc', N, T, C, S, reduction: 'mean', warmup, runs };

async function timed(fn: () => Promise<void>): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return round(median(ms));
}

async function benchRnnkit(backend: string): Promise<Record<string, unknown>> {
  if (backend === 'webgpu') await installNodeWebGpu();
  await useBackend(backend);
  const { adapter } = await describeBackend();
  const random = new SeededRandom(0);
  const logits = Float32Array.from({ length: T * N * C }, () => random.nextNormal());
  const labels = Int32Array.from({ length: N * S }, () => 1 + random.nextInt(C - 1));
  const logProbs = tf.tidy(() => tf.logSoftmax(tf.tensor3d(logits, [T, N, C])));
  const targets = tf.tensor2d(labels, [N, S], 'int32');
  const inputLengths = new Array<number>(N).fill(T);
  const targetLengths = new Array<number>(N).fill(S);
  const loss = (lp: tf.Tensor) => ctcLoss(lp, targets, inputLengths, targetLengths);
  const before = tf.memory().numTensors;
  const forward = await timed(async () => {
    const value = loss(logProbs);
    await value.data();
    value.dispose();
  });
  const forwardBackward = await timed(async () => {
    const { value, grad } = tf.valueAndGrad(loss)(logProbs);
    await grad.data();
    tf.dispose([value, grad]);
  });
  const leaked = tf.memory().numTensors - before;
  tf.dispose([logProbs, targets]);
  return {
    ...common,
    impl: 'rnnkit ctcLoss',
    backend,
    ...(adapter ? { adapter } : {}),
    forward_ms: forward,
    forward_backward_ms: forwardBackward,
    ...(leaked !== 0 ? { leaked_tensors: leaked } : {}),
  };
}

// The PyTorch side, inline: the same shapes, its own random data.
const PYTORCH = `
import json, statistics, sys, time
import torch
import torch.nn.functional as F
N, T, C, S, warmup, runs, threads = map(int, sys.argv[1:8])
torch.set_num_threads(threads)
g = torch.Generator().manual_seed(0)
lp = torch.randn(T, N, C, generator=g).log_softmax(2).detach().requires_grad_()
targets = torch.randint(1, C, (N, S), generator=g)
il = torch.full((N,), T, dtype=torch.long)
tl = torch.full((N,), S, dtype=torch.long)
def forward():
    with torch.no_grad():
        F.ctc_loss(lp, targets, il, tl).item()
def forward_backward():
    lp.grad = None
    F.ctc_loss(lp, targets, il, tl).backward()
def timed(fn):
    for _ in range(warmup):
        fn()
    ms = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(ms), 2)
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                  "forward_ms": timed(forward), "forward_backward_ms": timed(forward_backward)}))
`;

function benchPytorch(threads: number): Record<string, unknown> {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const argv = [N, T, C, S, warmup, runs, threads].map(String);
  const run = spawnSync(python, ['-c', PYTORCH, ...argv], { encoding: 'utf8' });
  const line = run.stdout?.trim().split('\n').pop();
  const base = { ...common, impl: 'pytorch F.ctc_loss (CPU)', threads };
  if (run.status !== 0 || !line)
    return {
      ...base,
      error: `${python} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr?.trim().slice(-400)}`,
    };
  return { ...base, ...(JSON.parse(line) as Record<string, unknown>) };
}

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cpus: os.cpus().length,
  node: process.version,
};

const baselines = args['pytorch-threads'].map(benchPytorch);
for (const line of baselines) console.log(JSON.stringify({ ...line, machine }));
for (const backend of args.backends) {
  const line = await benchRnnkit(backend);
  // How many times faster than each PyTorch run, forward + backward (above 1: rnnkit is faster).
  const speedup: Record<string, number> = {};
  for (const b of baselines)
    if (typeof b['forward_backward_ms'] === 'number' && typeof line['forward_backward_ms'] === 'number')
      speedup[`pytorch_${b['threads']}t`] = round(b['forward_backward_ms'] / line['forward_backward_ms']);
  console.log(
    JSON.stringify({ ...line, speedup_vs_pytorch: speedup, loadavg: os.loadavg().map(round), machine }),
  );
}
