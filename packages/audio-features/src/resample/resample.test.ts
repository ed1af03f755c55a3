import { expectArraysClose } from '@rnnkit/tensor-core/testing';
import { describe, expect, it } from 'vitest';

import { cases, fixtureRow } from '../__fixtures__/load.js';
import { resample } from './resample.js';

describe('resample', () => {
  for (const c of cases.resample) {
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
    for (let i = 200; i < 7800; i += 97) expect(y[i]).toBeCloseTo(Math.sin((2 * Math.PI * 440 * i) / 8000), 2);
  });

  it('rejects bad rates and options, naming the argument', () => {
    const x = new Float32Array(10);
    expect(() => resample(x, 0, 8000)).toThrow(/origFreq must be a positive integer.*got 0/);
    expect(() => resample(x, 16000, 22050.5)).toThrow(/newFreq/);
    expect(() => resample(x, 16000, 8000, { rolloff: 1.5 })).toThrow(/rolloff/);
    expect(() => resample(x, 16000, 8000, { lowpassFilterWidth: 0 })).toThrow(/lowpassFilterWidth/);
  });
});
