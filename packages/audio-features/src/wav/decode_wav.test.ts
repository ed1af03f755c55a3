import { encodeWaveFromFloat32Channels, SampleFormat } from '@echogarden/wave-codec';
import { describe, expect, it } from 'vitest';

import { decodeWav } from './decode_wav.js';

/** A canonical 44-byte-header WAV written by hand (independent of the decoder's library). */
function wavBytes(
  formatTag: number,
  bitDepth: number,
  channels: number,
  sampleRate: number,
  payload: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(44 + payload.length);
  const v = new DataView(out.buffer);
  const ascii = (s: string, at: number) => [...s].forEach((ch, i) => (out[at + i] = ch.charCodeAt(0)));
  ascii('RIFF', 0);
  v.setUint32(4, 36 + payload.length, true);
  ascii('WAVE', 8);
  ascii('fmt ', 12);
  v.setUint32(16, 16, true);
  v.setUint16(20, formatTag, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, (sampleRate * channels * bitDepth) / 8, true);
  v.setUint16(32, (channels * bitDepth) / 8, true);
  v.setUint16(34, bitDepth, true);
  ascii('data', 36);
  v.setUint32(40, payload.length, true);
  out.set(payload, 44);
  return out;
}

describe('decodeWav', () => {
  it('decodes 16-bit PCM by hand-made bytes, scaled like torchaudio.load (x / 32768)', () => {
    const pcm = new Int16Array([0, 16384, -32768, 32767, -1]);
    const out = decodeWav(wavBytes(1, 16, 1, 8000, new Uint8Array(pcm.buffer)));
    expect(out.sampleRate).toBe(8000);
    expect(out.source).toEqual({
      sampleRate: 8000,
      numChannels: 1,
      bitDepth: 16,
      sampleFormat: 'pcm',
      numFrames: 5,
    });
    expect(Array.from(out.samples)).toEqual(Array.from(pcm).map((v) => v / 32768));
  });

  it('decodes 8-bit unsigned and 24-bit PCM and mixes stereo down by averaging', () => {
    const u8 = decodeWav(wavBytes(1, 8, 1, 16000, new Uint8Array([128, 255, 0, 192])));
    expect(Array.from(u8.samples)).toEqual([0, 127 / 128, -1, 0.5]);
    // 24-bit stereo: L = 2^22 (0.5), R = -2^21 (-0.25) -> mean 0.125.
    const b = new Uint8Array([0x00, 0x00, 0x40, 0x00, 0x00, 0xe0]);
    const st = decodeWav(wavBytes(1, 24, 2, 16000, b), { keepChannels: true });
    expect(Array.from(st.samples)).toEqual([0.125]);
    expect(st.channels!.map((c) => Array.from(c))).toEqual([[0.5], [-0.25]]);
  });

  for (const [bitDepth, format, tol] of [
    [8, SampleFormat.PCM, 1 / 128],
    [16, SampleFormat.PCM, 1 / 32768],
    [24, SampleFormat.PCM, 1 / 2 ** 23],
    [32, SampleFormat.PCM, 1e-7],
    [32, SampleFormat.Float, 0],
    [64, SampleFormat.Float, 1e-7],
  ] as const) {
    it(`round-trips ${bitDepth}-bit ${SampleFormat[format]} with 3 channels (WAVE_FORMAT_EXTENSIBLE for > 2)`, () => {
      const chans = [0, 1, 2].map((c) => new Float32Array(50).map((_, i) => 0.9 * Math.sin(i * 0.3 + c)));
      const bytes = encodeWaveFromFloat32Channels(chans, 22050, bitDepth as never, format);
      const out = decodeWav(bytes);
      expect(out.source.bitDepth).toBe(bitDepth);
      expect(out.source.numChannels).toBe(3);
      const mean = chans[0]!.map((_, i) => (chans[0]![i]! + chans[1]![i]! + chans[2]![i]!) / 3);
      for (let i = 0; i < 50; i++)
        expect(Math.abs(out.samples[i]! - mean[i]!)).toBeLessThanOrEqual(tol + 1e-6);
    });
  }

  it('resamples to targetSampleRate', () => {
    const x = new Float32Array(4410).map((_, i) => Math.sin(i * 0.05));
    const out = decodeWav(encodeWaveFromFloat32Channels([x], 44100, 32, SampleFormat.Float), {
      targetSampleRate: 16000,
    });
    expect(out.sampleRate).toBe(16000);
    expect(out.samples.length).toBe(1600);
    expect(out.source.sampleRate).toBe(44100);
  });

  it('rejects truncated, corrupt and empty files with clear errors', () => {
    const good = wavBytes(1, 16, 1, 16000, new Uint8Array(200));
    expect(() => decodeWav(good.subarray(0, 100))).toThrow(/decodeWav: truncated or corrupt file/);
    expect(decodeWav(good.subarray(0, 100), { allowTruncated: true }).samples.length).toBe(28);
    expect(() => decodeWav(good.subarray(0, 8))).toThrow(/not a WAV file: 8 bytes/);
    const notWav = good.slice();
    notWav.set([0x4f, 0x67, 0x67, 0x53], 0); // "OggS"
    expect(() => decodeWav(notWav)).toThrow(/not a WAV file: starts with "OggS"/);
    const odd = wavBytes(1, 16, 2, 16000, new Uint8Array(6)); // 1.5 stereo frames
    expect(() => decodeWav(odd)).toThrow(/not a whole number of 4-byte sample frames/);
    expect(() => decodeWav(wavBytes(1, 16, 1, 16000, new Uint8Array(0)))).toThrow(/zero-length audio/);
    expect(() => decodeWav('RIFF' as never)).toThrow(/bytes must be a Uint8Array or an ArrayBuffer/);
  });

  it('names unsupported encodings', () => {
    expect(() => decodeWav(wavBytes(2, 4, 1, 8000, new Uint8Array(64)))).toThrow(
      /unsupported encoding: WAVE format tag 2 \(Microsoft ADPCM\)/,
    );
    expect(() => decodeWav(wavBytes(85, 16, 1, 8000, new Uint8Array(64)))).toThrow(
      /format tag 85 \(MPEG Layer 3/,
    );
    expect(() => decodeWav(wavBytes(1, 12, 1, 8000, new Uint8Array(60)))).toThrow(
      /unsupported encoding: .*bit depth of 12/,
    );
  });

  it('rejects NaN and infinite float samples, naming channel and index', () => {
    const f = new Float32Array([0, 0.5, Number.NaN, 0.1]);
    expect(() => decodeWav(wavBytes(3, 32, 1, 8000, new Uint8Array(f.buffer)))).toThrow(
      /channel 0 sample 2 is NaN/,
    );
    const g = new Float32Array([0, 0.5, 0.2, Number.POSITIVE_INFINITY]);
    expect(() => decodeWav(wavBytes(3, 32, 2, 8000, new Uint8Array(g.buffer)))).toThrow(
      /channel 1 sample 1 is Infinity/,
    );
  });

  it("reads chunks of odd length followed by their pad byte, as Python's wave module does", () => {
    // Python: wave.open(...).readframes(10) == bytes([128, 255, 0, 192, 64]) for both layouts.
    const u8 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    const le32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
    const fmt = wavBytes(1, 8, 1, 8000, new Uint8Array(0)).subarray(12, 36);
    const data = new Uint8Array([...u8('data'), ...le32(5), 128, 255, 0, 192, 64, 0]);
    const list = new Uint8Array([...u8('LIST'), ...le32(3), ...u8('abc'), 0]);
    const riff = (...chunks: Uint8Array[]) => {
      const body = new Uint8Array([...u8('WAVE'), ...chunks.flatMap((c) => [...c])]);
      return new Uint8Array([...u8('RIFF'), ...le32(body.length), ...body]);
    };
    for (const bytes of [riff(fmt, data, list), riff(fmt, list, data)]) {
      const out = decodeWav(bytes);
      expect(Array.from(out.samples)).toEqual([0, 127 / 128, -1, 0.5, -0.5]);
    }
  });

  it('checks every fmt field against the others, naming the field, the expected and the actual value', () => {
    const pcm = new Uint8Array(64);
    const patch = (at: number, value: number, bytes: 2 | 4) => {
      const w = wavBytes(1, 16, 1, 16000, pcm);
      const v = new DataView(w.buffer);
      if (bytes === 2) v.setUint16(at, value, true);
      else v.setUint32(at, value, true);
      return w;
    };
    expect(() => decodeWav(patch(24, 4294967295, 4))).toThrow(
      /fmt nSamplesPerSec = 4294967295, expected a sample rate in \[1, 768000\] Hz/,
    );
    expect(() => decodeWav(patch(24, 0, 4))).toThrow(/fmt nSamplesPerSec = 0/);
    expect(() => decodeWav(patch(24, 16001, 4))).toThrow(
      /fmt nAvgBytesPerSec = 32000, expected nSamplesPerSec × nBlockAlign = 16001 × 2 = 32002/,
    );
    expect(() => decodeWav(patch(34, 24, 2))).toThrow(
      /fmt nBlockAlign = 2, expected nChannels × wBitsPerSample \/ 8 = 1 × 24 \/ 8 = 3/,
    );
    expect(() => decodeWav(patch(22, 0, 2))).toThrow(/fmt nChannels = 0/);
    expect(() => decodeWav(patch(16, 12, 4))).toThrow(/decodeWav: .*chunk/);
    expect(() => decodeWav(patch(24, 0, 4), { name: 'a.wav' })).toThrow(
      /^decodeWav: a\.wav: corrupt WAV file: fmt nSamplesPerSec = 0/,
    );
  });

  it('decodes a 4001 Hz file to 16 kHz without building a 0.5 GB resampling table', () => {
    const pcm = new Int16Array(4001).map((_, i) => Math.round(8000 * Math.sin(i / 7)));
    const out = decodeWav(wavBytes(1, 16, 1, 4001, new Uint8Array(pcm.buffer)), { targetSampleRate: 16000 });
    expect(out.samples.length).toBe(16000);
    expect(out.source.sampleRate).toBe(4001);
  });

  it('type-checks its options', () => {
    const good = wavBytes(1, 16, 1, 16000, new Uint8Array(8));
    expect(() => decodeWav(good, { keepChannels: 'yes' as never })).toThrow(
      /options\.keepChannels must be a boolean, got "yes"/,
    );
    expect(() => decodeWav(good, { allowTruncated: 1 as never })).toThrow(
      /options\.allowTruncated must be a boolean/,
    );
    expect(() => decodeWav(good, { targetSampleRate: -1 })).toThrow(
      /options\.targetSampleRate must be an integer in \[1, 768000\] Hz, got -1/,
    );
  });
});
