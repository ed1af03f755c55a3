import { describe, expect, it } from 'vitest';

import { fuzzParser } from '@rnnkit/tensor-core/testing/fuzz';
import { decodeWav } from './decode_wav.js';

const u8 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const le = (n: number, width: 2 | 4) =>
  new Uint8Array(width === 2 ? new Uint16Array([n]).buffer : new Uint32Array([n]).buffer);

/** RIFF/WAVE bytes: fmt, an odd-length LIST chunk with its pad byte, then data. */
function wav(format: number, bits: number, channels: number, rate: number, payload: Uint8Array): Uint8Array {
  const align = (channels * bits) / 8;
  const fmt = [
    ...u8('fmt '),
    ...le(16, 4),
    ...le(format, 2),
    ...le(channels, 2),
    ...le(rate, 4),
    ...le(rate * align, 4),
    ...le(align, 2),
    ...le(bits, 2),
  ];
  const list = [...u8('LIST'), ...le(5, 4), ...u8('INFOa'), 0];
  const data = [...u8('data'), ...le(payload.length, 4), ...payload, ...(payload.length % 2 ? [0] : [])];
  const body = [...u8('WAVE'), ...fmt, ...list, ...data];
  return new Uint8Array([...u8('RIFF'), ...le(body.length, 4), ...body]);
}

const pcm16 = new Int16Array(120).map((_, i) => Math.round(9000 * Math.sin(i / 5)));
const f32 = new Float32Array(40).map((_, i) => 0.5 * Math.cos(i / 3));
const bases = [
  wav(1, 16, 2, 8000, new Uint8Array(pcm16.buffer)),
  wav(3, 32, 1, 4000, new Uint8Array(f32.buffer)),
  wav(
    1,
    8,
    1,
    8000,
    Uint8Array.from({ length: 61 }, (_, i) => (i * 37) & 0xff),
  ), // odd data length + pad byte
];
// Offsets of the RIFF size, fmt fields, LIST size and data size.
const fields = [4, 16, 20, 22, 24, 28, 32, 34, 40, 54];

describe('decodeWav under seeded mutation', () => {
  it('throws a decodeWav error or decodes; resampling to 16 kHz allocates in proportion to the file', () => {
    const tally = fuzzParser({
      name: 'decodeWav',
      bases,
      parse: (bytes) => decodeWav(bytes, { targetSampleRate: 16000, name: 'fuzz.wav' }),
      project: (r) => ({ samples: Array.from(r.samples), rate: r.sampleRate, source: r.source }),
      errorPattern: /^decodeWav: fuzz\.wav: /,
      fields,
      seed: 4001,
      ciRuns: 400,
    });
    expect(tally.otherExamples).toEqual([]);
    expect(tally.cleanError).toBeGreaterThan(0);
  });
});
