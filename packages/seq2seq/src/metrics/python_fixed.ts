/**
 * Python's `f'{x:.{digits}f}'` for a finite number. Both languages print the exact binary value rounded to
 * `digits` decimals, but on an exact tie (6.25 to one decimal) Python rounds half to even and
 * `Number.prototype.toFixed` rounds up; sacreBLEU's signatures and score lines go through Python's rule.
 */
export function formatFixed(x: number, digits: number): string {
  const rounded = x.toFixed(digits);
  // A tie is a dyadic rational with few fractional bits, so 100 decimals are its exact expansion.
  const exact = Math.abs(x) < 1e21 ? x.toFixed(100) : rounded;
  const point = exact.indexOf('.');
  if (point < 0) return rounded;
  const tail = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(tail)) return rounded;
  const truncated = exact.slice(0, digits === 0 ? point : point + 1 + digits);
  const lastDigit = Number(truncated[truncated.length - 1]);
  return lastDigit % 2 === 0 ? truncated : rounded;
}
