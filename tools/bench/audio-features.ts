// Feature extraction speed for @rnnkit/audio-features: batched MFCC / log-mel / Kaldi fbank on the
// cpu, wasm and webgpu backends against meyda frame by frame, all in the same run; plus the DFT
// choice (the host FFT, one matmul with a cos/sin basis, tf.spectral.rfft: speed and float32 error;
// the package's DFT forms, 'auto' (host FFT on cpu/wasm), 'direct', 'folded' and 'factored', are
// also timed inside the features).
//   npx nx run @rnnkit/audio-features:build && npx tsx tools/bench/audio-features.ts [--seconds 60] [--runs 5] [--backends cpu,wasm,webgpu]
// Prints JSON lines. Times are medians over --runs after one warm-up run, measured on a segment of
// --seconds seconds of 16 kHz audio and extrapolated linearly to one hour (the batched path is
// linear in the length; a real hour is processed in segments like this one anyway).
import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, describeBackend, useBackend, SeededRandom } from '@rnnkit/tensor-core';
import {
  kaldiFbank,
  logMelSpectrogram,
  mfcc,
  MeydaFrameExtractor,
  meydaForBenchmark,
  windowedRfft,
  type DftMethod,
} from './audio-features-deps.js';
import { parseBenchArgs } from './cli-args.js';
import { at, loadavg1, upperMedian } from './checked.js';

const { seconds, runs, backends } = parseBenchArgs({
  name: 'audio-features',
  summary: 'Batched MFCC / log-mel / Kaldi fbank per backend against meyda, and the DFT choice.',
  options: {
    seconds: { kind: 'number', default: 60, min: 0.1, description: 'seconds of 16 kHz audio measured' },
    runs: { kind: 'int', default: 5, min: 1, description: 'timed runs (median)' },
    backends: {
      kind: 'list',
      choices: BACKEND_NAMES,
      default: ['cpu', 'wasm', 'webgpu'],
      description: 'backends to measure',
    },
  },
});
const sampleRate = 16000;
const HOUR = 3600;

function emit(record: Record<string, unknown>): void {
  console.log(
    JSON.stringify({
      bench: 'audio-features',
      ...record,
      loadavg1: Number(loadavg1().toFixed(2)),
      cpus: os.cpus().length,
    }),
  );
}

const median = upperMedian;

function makeSignal(n: number): Float32Array {
  const rng = new SeededRandom(1);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++)
    x[i] = 0.5 * Math.sin((2 * Math.PI * (200 + (i % 16000) / 4) * i) / sampleRate) + 0.05 * rng.nextNormal();
  return x;
}

async function timeIt(fn: () => Promise<void>): Promise<number> {
  await fn(); // warm-up: shader compilation, basis caches
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

// Common ASR framing for every contender: 512-point FFT, 10 ms hop (160 samples), 40 mels, 13 MFCCs.
const melkwargs = { sampleRate, nFft: 512, winLength: 400, hopLength: 160, nMels: 40, center: false };
const framesPerSecond = sampleRate / 160;

const signal = makeSignal(seconds * sampleRate);

// Baseline: meyda, one 512-sample frame at a time, hop 160.
{
  const extractor = new MeydaFrameExtractor({
    sampleRate,
    bufferSize: 512,
    melBands: 40,
    numberOfMFCCCoefficients: 13,
  });
  const frames = Math.min(2000, Math.floor((signal.length - 512) / 160));
  const raw = meydaForBenchmark(sampleRate, 512, 40, 13);
  for (const [name, fn] of [
    ['meyda.extract(mfcc) direct', (f: Float32Array) => raw(f)],
    ['MeydaFrameExtractor(mfcc)', (f: Float32Array) => extractor.extract(['mfcc'], f)],
  ] as const) {
    const ms = await timeIt(async () => {
      for (let i = 0; i < frames; i++) fn(signal.subarray(i * 160, i * 160 + 512));
    });
    const usPerFrame = (ms * 1000) / frames;
    const msPerAudioSecond = (usPerFrame * framesPerSecond) / 1000;
    emit({
      backend: 'meyda',
      feature: 'mfcc',
      contender: name,
      frames,
      usPerFrame: +usPerFrame.toFixed(2),
      msPerAudioSecond: +msPerAudioSecond.toFixed(3),
      hourSeconds: +((msPerAudioSecond * HOUR) / 1000).toFixed(1),
    });
  }
}
/** meyda's MFCC over 500 frames (5 s of audio at a 10 ms hop), in ms per second of audio. */
const meydaOnce = meydaForBenchmark(sampleRate, 512, 40, 13);
function meydaMsPerAudioSecondOnce(): number {
  const frames = 500;
  const start = performance.now();
  for (let i = 0; i < frames; i++) meydaOnce(signal.subarray(i * 160, i * 160 + 512));
  return (performance.now() - start) / (frames / framesPerSecond);
}

for (const backend of backends) {
  try {
    await useBackend(backend);
  } catch (error) {
    emit({ backend, skipped: String(error instanceof Error ? error.message : error) });
    continue;
  }
  const info = await describeBackend();
  const device = info.adapter ?? info.wasm ?? info.tensorflow ?? {};
  // Matmul DFTs on the plain-JS cpu backend and everything on lavapipe (software Vulkan) are slow:
  // their segments are kept short (matmul contenders are the ones whose name says dftMethod).
  const shortSeconds = Math.min(seconds, 10);
  const segmentFor = (feature: string) =>
    backend === 'wasm' || (backend === 'cpu' && !feature.includes('dftMethod')) ? seconds : shortSeconds;
  // 'auto' is the default (host FFT on cpu and wasm, factored matmul DFT on webgpu); the matmul forms
  // are timed too ('direct' was the default on cpu and wasm before the host FFT).
  const host = backend === 'cpu' || backend === 'wasm';
  const methods: DftMethod[] = host ? ['direct', 'folded', 'factored'] : ['direct', 'folded'];
  const melkwargs400 = { ...melkwargs, nFft: 400 };
  const contenders: Array<[string, (x: tf.Tensor1D) => tf.Tensor]> = [
    ['mfcc', (x) => mfcc(x, { sampleRate, nMfcc: 13, logMels: true, melkwargs })],
    ...methods.map((dftMethod): [string, (x: tf.Tensor1D) => tf.Tensor] => [
      `mfcc (dftMethod ${dftMethod})`,
      (x) => mfcc(x, { sampleRate, nMfcc: 13, logMels: true, melkwargs: { ...melkwargs, dftMethod } }),
    ]),
    ['logMelSpectrogram', (x) => logMelSpectrogram(x, melkwargs)],
    [
      'logMelSpectrogram (dftMethod direct)',
      (x) => logMelSpectrogram(x, { ...melkwargs, dftMethod: 'direct' }),
    ],
    ['logMelSpectrogram nFft 400', (x) => logMelSpectrogram(x, melkwargs400)],
    [
      'logMelSpectrogram nFft 400 (dftMethod direct)',
      (x) => logMelSpectrogram(x, { ...melkwargs400, dftMethod: 'direct' }),
    ],
    ['kaldiFbank', (x) => kaldiFbank(x, { numMelBins: 40 })],
    ['kaldiFbank (dftMethod direct)', (x) => kaldiFbank(x, { numMelBins: 40, dftMethod: 'direct' })],
  ];
  for (const [feature, compute] of contenders) {
    const segSeconds = segmentFor(feature);
    const seg = signal.subarray(0, segSeconds * sampleRate);
    const before = tf.memory().numTensors;
    const once = async () => {
      const out = tf.tidy(() => compute(tf.tensor1d(seg)));
      await out.data();
      out.dispose();
    };
    await once(); // warm-up: shader compilation, basis caches
    // Alternate meyda and the contender so both see the same machine load (other jobs share the cores).
    const ours: number[] = [];
    const theirs: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < runs; r++) {
      const m = meydaMsPerAudioSecondOnce();
      const start = performance.now();
      await once();
      const c = (performance.now() - start) / segSeconds;
      ours.push(c);
      theirs.push(m);
      ratios.push(m / c);
    }
    const msPerAudioSecond = median(ours);
    emit({
      backend,
      device,
      feature,
      segmentSeconds: segSeconds,
      msPerAudioSecond: +msPerAudioSecond.toFixed(3),
      hourSecondsExtrapolated: +((msPerAudioSecond * HOUR) / 1000).toFixed(1),
      meydaMfccMsPerAudioSecondSameRuns: +median(theirs).toFixed(3),
      speedupVsMeydaMfcc: +median(ratios).toFixed(1),
      leakedTensors: tf.memory().numTensors - before,
    });
  }

  // DFT: windowed 512-point power spectrum of 200 frames, matmul basis vs tf.spectral.rfft.
  const nFft = 512;
  const frames = 200;
  const framesHost = new Float32Array(frames * nFft);
  for (let f = 0; f < frames; f++) framesHost.set(signal.subarray(f * 160, f * 160 + nFft), f * nFft);
  const cosSin = new Float32Array(nFft * (nFft + 2));
  const win = new Float32Array(nFft).map((_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / nFft));
  for (let n = 0; n < nFft; n++) {
    for (let k = 0; k <= nFft / 2; k++) {
      const a = (2 * Math.PI * ((n * k) % nFft)) / nFft;
      cosSin[n * (nFft + 2) + k] = at(win, n, 'window') * Math.cos(a);
      cosSin[n * (nFft + 2) + nFft / 2 + 1 + k] = -at(win, n, 'window') * Math.sin(a);
    }
  }
  const x = tf.tensor2d(framesHost, [frames, nFft]);
  const basis = tf.tensor2d(cosSin, [nFft, nFft + 2]);
  const w = tf.tensor1d(win);
  const viaMatmul = () =>
    tf.tidy(() => {
      const [re, im] = tf.split(tf.matMul(x, basis), 2, 1);
      if (!re || !im) throw new Error('tf.split returned fewer than 2 parts');
      return tf.add(tf.square(re), tf.square(im));
    });
  const viaRfft = () =>
    tf.tidy(() => {
      const spec = tf.spectral.rfft(tf.mul(x, w));
      return tf.add(tf.square(tf.real(spec)), tf.square(tf.imag(spec)));
    });
  // float64 reference for frame 0..9
  const ref: number[] = [];
  for (let f = 0; f < 10; f++) {
    for (let k = 0; k <= nFft / 2; k++) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < nFft; n++) {
        const v = at(framesHost, f * nFft + n, 'frames') * at(win, n, 'window');
        re += v * Math.cos((2 * Math.PI * n * k) / nFft);
        im -= v * Math.sin((2 * Math.PI * n * k) / nFft);
      }
      ref.push(re * re + im * im);
    }
  }
  const viaHostFft = () =>
    tf.tidy(() => {
      const { real, imag } = windowedRfft(x, nFft, win, 0, { method: 'fft' });
      return tf.add(tf.square(real), tf.square(imag));
    });
  const dftContenders: Array<[string, () => tf.Tensor]> = [
    ['matmul basis', viaMatmul],
    ['tf.spectral.rfft', viaRfft],
  ];
  if (host) dftContenders.unshift(['host FFT (windowedRfft fft)', viaHostFft]);
  for (const [method, fn] of dftContenders) {
    try {
      const out = fn();
      const vals = await out.data();
      out.dispose();
      let peak = 0;
      for (const v of ref) peak = Math.max(peak, v);
      let maxRel = 0;
      for (let i = 0; i < ref.length; i++)
        maxRel = Math.max(maxRel, Math.abs(at(vals, i, 'DFT output') - at(ref, i, 'reference')) / peak);
      const ms = await timeIt(async () => {
        const o = fn();
        await o.data();
        o.dispose();
      });
      emit({
        backend,
        feature: 'power spectrum 200x512',
        method,
        ms: +ms.toFixed(2),
        maxErrorRelativeToPeak: maxRel,
      });
    } catch (error) {
      emit({
        backend,
        feature: 'power spectrum 200x512',
        method,
        error: String(error instanceof Error ? error.message : error),
      });
    }
  }
  tf.dispose([x, basis, w]);
}
