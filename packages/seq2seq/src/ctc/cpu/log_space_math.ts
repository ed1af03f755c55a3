// The two transcendental functions of the log-space CTC recursions, from tables: V8's Math.exp and
// Math.log1p cost ~20 ns each here, a lookup and a short polynomial a few. Both stay far more
// accurate than the float32 inputs and outputs (bounds in log_space_math.test.ts).

const NEG = -Infinity;

// log(1 + exp(-d)) on [0, 37) as cubic Hermite pieces, 64 per unit: error <= h^4/384 * max|f''''|,
// about 2e-11. Beyond 37 it is below 1e-16 (exp(-37) = 8.5e-17) and the larger term is the sum.
const SOFTPLUS_STEPS = 64;
const SOFTPLUS_END = 37;
const SOFTPLUS = ((): Float64Array => {
  const pieces = SOFTPLUS_END * SOFTPLUS_STEPS;
  const h = 1 / SOFTPLUS_STEPS;
  const f = (x: number) => Math.log1p(Math.exp(-x));
  const df = (x: number) => -1 / (1 + Math.exp(x));
  const table = new Float64Array(4 * pieces);
  for (let i = 0; i < pieces; i++) {
    const x0 = i * h;
    const [f0, f1, m0, m1] = [f(x0), f(x0 + h), h * df(x0), h * df(x0 + h)];
    table.set([f0, m0, 3 * (f1 - f0) - 2 * m0 - m1, 2 * (f0 - f1) + m0 + m1], 4 * i);
  }
  return table;
})();

/** log(1 + exp(-d)) for 0 <= d < 37. */
function softplusOfNegative(d: number): number {
  const x = d * SOFTPLUS_STEPS;
  const i = x | 0;
  const u = x - i;
  const k = 4 * i;
  return SOFTPLUS[k]! + u * (SOFTPLUS[k + 1]! + u * (SOFTPLUS[k + 2]! + u * SOFTPLUS[k + 3]!));
}

/** log(exp(a) + exp(b)), exact for -Infinity; NaN in, NaN out. */
export function logAdd(a: number, b: number): number {
  const d = a - b;
  if (d > 0) return d >= SOFTPLUS_END ? a : a + softplusOfNegative(d);
  if (d <= 0) return d <= -SOFTPLUS_END ? b : b + softplusOfNegative(-d);
  return a === NEG && b === NEG ? NEG : NaN; // d is NaN: both -Infinity, or a NaN input
}

// exp(x) for x <= 0 as 2^-(k/64) * exp(-r), 0 <= r < ln2/64, the powers of two from two tables and
// exp(-r) from its Taylor polynomial of degree 4 (error r^5/120 < 2e-12, relative).
const EXP_STEPS = 64;
const EXP_SCALE = EXP_STEPS / Math.LN2;
const POWERS_OF_HALF = Float64Array.from({ length: 1100 }, (_, i) => Math.pow(2, -i));
const FRACTIONAL_POWERS = Float64Array.from({ length: EXP_STEPS }, (_, j) => Math.pow(2, -j / EXP_STEPS));

/** exp(x) for x <= 0 (a rounding error above 0 is fine); below -700 it is 0, as exp(-700) < 1e-304. */
export function expNonPositive(x: number): number {
  if (!(x > -700)) return x !== x ? x : 0;
  const y = -x * EXP_SCALE;
  const k = y | 0;
  const r = (y - k) / EXP_SCALE;
  const tail = 1 - r * (1 - r * (0.5 - r * (1 / 6 - r * (1 / 24))));
  return POWERS_OF_HALF[k >> 6]! * FRACTIONAL_POWERS[k & (EXP_STEPS - 1)]! * tail;
}
