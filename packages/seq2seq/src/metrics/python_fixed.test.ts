import { describe, expect, it } from 'vitest';

import { formatFixed } from './python_fixed.js';

// Expected strings are Python 3.11's f'{x:.Nf}'.
describe('formatFixed', () => {
  it('rounds exact ties half to even, as Python does', () => {
    expect(formatFixed(6.25, 1)).toBe('6.2');
    expect(formatFixed(6.75, 1)).toBe('6.8');
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(3.5, 0)).toBe('4');
  });

  it('rounds everything else to nearest, like toFixed', () => {
    // 0.15 is 0.1499999999999999944… in binary: no tie.
    expect(formatFixed(0.15, 1)).toBe('0.1');
    expect(formatFixed(2.675, 2)).toBe('2.67');
    expect(formatFixed(100, 2)).toBe('100.00');
    expect(formatFixed(48.892051, 2)).toBe('48.89');
    expect(formatFixed(0, 3)).toBe('0.000');
  });
});
