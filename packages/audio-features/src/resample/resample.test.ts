import { expectArraysClose } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { fixtureCases, fixtureRow } from '../__fixtures__/load.js';
import { KERNEL_CACHE_BYTES, resample, resampleDirect, resampleKernelCacheBytes } from './resample.js';

describe('resample', () => {
  for (const c of fixtureCases('resample', 4)) {
    it(`matches torchaudio.functional.resample ${c.origFreq} -> ${c.newFreq} ${JSON.stringify(c)}`, () => {
      const input = fixtureRow(c.signal, c.row);
      const expected = fixtureRow(c.name, 0);
      const { lowpassFilterWidth, rolloff } = c as { lowpassFilterWidth?: number; rolloff?: number };
      const out = resample(input, c.origFreq, c.newFreq, { lowpassFilterWidth, rolloff });
      expect(out.length).toBe(expected.length);
      expectArraysClose(out, expected, { atol: 1e-6, rtol: 1e-5 });
    });
  }

  it('removes content above the new Nyquist frequency (anti-aliasing)', () => {
    // 7 kHz tone at 16 kHz -> 8 kHz: it would alias to 1 kHz without the low-pass filter.
    const x = new Float32Array(16000).map((_, i) => Math.sin((2 * Math.PI * 7000 * i) / 16000));
    const y = resample(x, 16000, 8000);
    let energy = 0;
    for (let i = 500; i < y.length - 500; i++) energy += y[i]! * y[i]!;
    expect(Math.sqrt(energy / (y.length - 1000))).toBeLessThan(1e-3);
  });

  it('keeps a tone below the cut-off', () => {
    const x = new Float32Array(16000).map((_, i) => Math.sin((2 * Math.PI * 440 * i) / 16000));
    const y = resample(x, 16000, 8000);
    for (let i = 200; i < 7800; i += 97)
      expect(y[i]).toBeCloseTo(Math.sin((2 * Math.PI * 440 * i) / 8000), 2);
  });

  it('rejects bad rates and options, naming the argument', () => {
    const x = new Float32Array(10);
    expect(() => resample(x, 0, 8000)).toThrow(/origFreq must be a positive integer.*got 0/);
    expect(() => resample(x, 16000, 22050.5)).toThrow(/newFreq/);
    expect(() => resample(x, 16000, 8000, { rolloff: 1.5 })).toThrow(/rolloff/);
    expect(() => resample(x, 16000, 8000, { lowpassFilterWidth: 0 })).toThrow(/lowpassFilterWidth/);
  });

  it('resamples a ratio whose polyphase table would be huge (4001 -> 16000 Hz) without building it', () => {
    // Before: a 16000 x 4015 float64 table (514 MB) was built and kept in the cache.
    const x = new Float32Array(4001).map((_, i) => Math.sin((2 * Math.PI * 440 * i) / 4001));
    const y = resample(x, 4001, 16000);
    expect(y.length).toBe(Math.ceil((16000 * 4001) / 4001));
    expect(resampleKernelCacheBytes()).toBeLessThanOrEqual(KERNEL_CACHE_BYTES);
    for (let i = 400; i < 15600; i += 331)
      expect(y[i]).toBeCloseTo(Math.sin((2 * Math.PI * 440 * i) / 16000), 2);
  });

  it('keeps the kernel cache within its byte budget across many ratios', () => {
    const x = new Float32Array(64).map((_, i) => Math.sin(i));
    for (let r = 8000; r < 8000 + 40 * 37; r += 37) {
      resample(x, r, 22050);
      expect(resampleKernelCacheBytes()).toBeLessThanOrEqual(KERNEL_CACHE_BYTES);
    }
  });

  it('evaluates tap by tap to the same values as the cached polyphase table', () => {
    const x = new Float32Array(3000).map((_, i) => Math.sin(i * 0.07) + 0.3 * Math.cos(i * 1.3));
    for (const [from, to, g] of [
      [44100, 16000, 100],
      [16000, 22050, 50],
      [8000, 11025, 25],
    ] as const) {
      const table = resample(x, from, to);
      const direct = resampleDirect(x, from / g, to / g, 6, 0.99, table.length);
      expectArraysClose(direct, table, { atol: 1e-6, rtol: 1e-5 });
    }
  });
});
