import { describe, expect, it } from 'vitest';

import { expNonPositive, logAdd } from './log_space_math.js';

// The tabulated log-add and exponential against Math's, over the ranges the CTC recursions use.

describe('log-space math', () => {
  it('logAdd is within 1e-10 of log(exp(a) + exp(b)), both orders, across the table and past it', () => {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const d = (i / 200_000) * 45; // the table ends at 37
      const a = -3 - (i % 17) * 40; // magnitudes of log-probabilities and alphas
      const exact = a + Math.log1p(Math.exp(-d));
      worst = Math.max(worst, Math.abs(logAdd(a, a - d) - exact), Math.abs(logAdd(a - d, a) - exact));
    }
    expect(worst).toBeLessThan(1e-10);
  });

  it('logAdd handles -Infinity and NaN exactly', () => {
    expect(logAdd(-Infinity, -Infinity)).toBe(-Infinity);
    expect(logAdd(-Infinity, -2.5)).toBe(-2.5);
    expect(logAdd(-7, -Infinity)).toBe(-7);
    expect(logAdd(-1, -1)).toBeCloseTo(-1 + Math.LN2, 12);
    expect(logAdd(NaN, -1)).toBeNaN();
    expect(logAdd(-1, NaN)).toBeNaN();
  });

  it('expNonPositive is within 1e-11 (relative) of Math.exp on (-700, 0], 0 from -700 down, NaN for NaN', () => {
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = -((i / 200_000) ** 2) * 700; // (-700, 0]
      const exact = Math.exp(x);
      worst = Math.max(worst, Math.abs(expNonPositive(x) - exact) / exact);
    }
    expect(worst).toBeLessThan(1e-11);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-800)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expNonPositive(NaN)).toBeNaN();
    expect(Math.abs(expNonPositive(1e-13) - 1)).toBeLessThan(1e-12); // rounding just above 0
  });
});
