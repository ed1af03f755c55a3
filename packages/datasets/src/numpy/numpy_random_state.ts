/* eslint-disable @typescript-eslint/no-non-null-assertion -- MT19937 over a fixed 624-word Uint32Array: every index is < 624 (or % 624), and shuffle's j = interval(i) <= i < items.length */
/**
 * The Mersenne Twister (MT19937) exactly as numpy's legacy `np.random.RandomState(seed)` seeds and
 * draws it, with its `shuffle`. Only needed to reproduce the order in which Keras's `load_data`
 * returns examples (it shuffles with `RandomState(113)`); rnnkit's own shuffles use SeededRandom.
 */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`NumpyRandomState: seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    }
    // init_genrand from the reference MT19937 (numpy's mt19937_seed).
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy's random_interval: uniform in [0, max] by masking and rejection (max < 2^32 here). */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff)
      throw new Error(`NumpyRandomState.interval: max ${max} above 2^32 - 1 is not supported`);
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /** In-place shuffle identical to `RandomState.shuffle` on a 1-D array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.interval(i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff);
      let v = mt[(i + 397) % 624]! ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }
}
