import { describe, expect, it } from 'vitest';

import { HostRealDft } from './host_dft.js';
import { MixedRadixFft, mixedRadixFactors } from './mixed_radix_fft.js';

/** float64 DFT bins 0..floor(n/2) of a real frame. */
function naive(x: Float64Array): [Float64Array, Float64Array] {
  const n = x.length;
  const bins = Math.floor(n / 2) + 1;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    for (let j = 0; j < n; j++) {
      const a = (2 * Math.PI * ((j * k) % n)) / n;
      re[k]! += x[j]! * Math.cos(a);
      im[k]! -= x[j]! * Math.sin(a);
    }
  }
  return [re, im];
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('HostRealDft', () => {
  // Powers of two (fft.js), prime factors <= 7 (mixed radix: 400 is torchaudio's default nFft), others (Bluestein).
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 49, 64, 97, 100, 121, 200, 400, 480, 512, 1000, 1024]) {
    it(`matches a float64 DFT for nFft = ${n}, two frames at once and one alone`, () => {
      const dft = new HostRealDft(n);
      expect(dft.nFreqs).toBe(Math.floor(n / 2) + 1);
      const a = new Float64Array(n).map(
        (_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * 2.1) + (i % 5) * 0.01,
      );
      const b = new Float64Array(n).map((_, i) => Math.cos(i * 0.11) - 0.5 * Math.sin(i * 1.7));
      const [ar, ai] = naive(a);
      const [br, bi] = naive(b);
      const tol = 1e-9 * n;
      for (let i = 0; i < n; i++) {
        dft.input[2 * i] = a[i]!;
        dft.input[2 * i + 1] = b[i]!;
      }
      dft.transformPair(true);
      expect(maxAbsDiff(dft.reA, ar)).toBeLessThan(tol);
      expect(maxAbsDiff(dft.imA, ai)).toBeLessThan(tol);
      expect(maxAbsDiff(dft.reB, br)).toBeLessThan(tol);
      expect(maxAbsDiff(dft.imB, bi)).toBeLessThan(tol);
      // Alone: whatever b holds must not leak into a's spectrum.
      for (let i = 0; i < n; i++) {
        dft.input[2 * i] = b[i]!;
        dft.input[2 * i + 1] = 123;
      }
      dft.transformPair(false);
      expect(maxAbsDiff(dft.reA, br)).toBeLessThan(tol);
      expect(maxAbsDiff(dft.imA, bi)).toBeLessThan(tol);
    });
  }

  it('rejects sizes that are not positive integers', () => {
    expect(() => new HostRealDft(0)).toThrow('HostRealDft: nFft must be a positive integer, got 0');
    expect(() => new HostRealDft(2.5)).toThrow('HostRealDft: nFft must be a positive integer, got 2.5');
  });
});

describe('MixedRadixFft', () => {
  it('factors like KISS FFT and refuses prime factors above 7', () => {
    expect(mixedRadixFactors(400)).toEqual([4, 100, 4, 25, 5, 5, 5, 1]);
    expect(mixedRadixFactors(6)).toEqual([2, 3, 3, 1]);
    expect(mixedRadixFactors(97)).toBeNull();
    expect(mixedRadixFactors(22)).toBeNull();
    expect(() => new MixedRadixFft(22)).toThrow('MixedRadixFft: size 22 has a prime factor above 7');
  });

  it('computes a complex DFT (radix 2, 3, 4, 5 and 7 stages)', () => {
    const n = 2 * 3 * 4 * 5 * 7;
    const x = new Float64Array(2 * n).map((_, i) => Math.sin(i * 0.731) + 0.2 * Math.cos(i * 0.05));
    const out = new Float64Array(2 * n);
    new MixedRadixFft(n).transform(out, x);
    let err = 0;
    for (let k = 0; k < n; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < n; j++) {
        const a = (-2 * Math.PI * ((j * k) % n)) / n;
        re += x[2 * j]! * Math.cos(a) - x[2 * j + 1]! * Math.sin(a);
        im += x[2 * j]! * Math.sin(a) + x[2 * j + 1]! * Math.cos(a);
      }
      err = Math.max(err, Math.abs(out[2 * k]! - re), Math.abs(out[2 * k + 1]! - im));
    }
    expect(err).toBeLessThan(1e-9);
  });
});
