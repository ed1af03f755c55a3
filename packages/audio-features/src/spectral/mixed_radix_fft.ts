/**
 * Complex FFT for sizes whose prime factors are all <= 7 (torchaudio's default nFft = 400 =
 * 4 * 4 * 5 * 5), after KISS FFT's mixed-radix decimation in time: specialised radix-2/3/4/5
 * butterflies with the twiddles folded in, a generic one for 7. fft.js covers powers of two only,
 * and Bluestein over a power of two was ~3x slower for nFft = 400 (tools/bench/audio-features.ts).
 * Forward transform, float64, interleaved [re, im] arrays.
 */
export class MixedRadixFft {
  readonly size: number;
  /** [radix, remaining length after it] per stage. */
  private readonly factors: number[] = [];
  private readonly twiddles: Float64Array;
  private readonly scratch: Float64Array;

  constructor(size: number) {
    this.size = size;
    const factors = mixedRadixFactors(size);
    if (!factors) throw new Error(`MixedRadixFft: size ${size} has a prime factor above 7`);
    this.factors = factors;
    this.twiddles = new Float64Array(2 * size);
    for (let i = 0; i < size; i++) {
      const a = (-2 * Math.PI * i) / size;
      this.twiddles[2 * i] = Math.cos(a);
      this.twiddles[2 * i + 1] = Math.sin(a);
    }
    this.scratch = new Float64Array(2 * 7);
  }

  /** out = DFT(input); both interleaved, 2 * size long, distinct arrays. */
  transform(out: Float64Array, input: Float64Array): void {
    this.work(out, 0, input, 0, 1, 0);
  }

  private work(
    out: Float64Array,
    o: number,
    f: Float64Array,
    fi: number,
    fstride: number,
    stage: number,
  ): void {
    const p = this.factors[2 * stage]!;
    const m = this.factors[2 * stage + 1]!;
    if (m === 1) {
      for (let j = 0; j < p; j++) {
        out[2 * (o + j)] = f[2 * (fi + j * fstride)]!;
        out[2 * (o + j) + 1] = f[2 * (fi + j * fstride) + 1]!;
      }
    } else {
      for (let q = 0; q < p; q++) this.work(out, o + q * m, f, fi + q * fstride, fstride * p, stage + 1);
    }
    switch (p) {
      case 2:
        this.butterfly2(out, o, fstride, m);
        break;
      case 3:
        this.butterfly3(out, o, fstride, m);
        break;
      case 4:
        this.butterfly4(out, o, fstride, m);
        break;
      case 5:
        this.butterfly5(out, o, fstride, m);
        break;
      default:
        this.butterflyGeneric(out, o, fstride, m, p);
    }
  }

  private butterfly2(x: Float64Array, o: number, fstride: number, m: number): void {
    const tw = this.twiddles;
    for (let u = 0; u < m; u++) {
      const a = 2 * (o + u);
      const b = 2 * (o + u + m);
      const t = 2 * u * fstride;
      const tr = x[b]! * tw[t]! - x[b + 1]! * tw[t + 1]!;
      const ti = x[b]! * tw[t + 1]! + x[b + 1]! * tw[t]!;
      x[b] = x[a]! - tr;
      x[b + 1] = x[a + 1]! - ti;
      x[a] = x[a]! + tr;
      x[a + 1] = x[a + 1]! + ti;
    }
  }

  private butterfly3(x: Float64Array, o: number, fstride: number, m: number): void {
    const tw = this.twiddles;
    const epi3i = tw[2 * fstride * m + 1]!; // Im exp(-2 pi i / 3)
    for (let u = 0; u < m; u++) {
      const a0 = 2 * (o + u);
      const a1 = a0 + 2 * m;
      const a2 = a1 + 2 * m;
      const t1 = 2 * u * fstride;
      const t2 = 2 * t1;
      const s1r = x[a1]! * tw[t1]! - x[a1 + 1]! * tw[t1 + 1]!;
      const s1i = x[a1]! * tw[t1 + 1]! + x[a1 + 1]! * tw[t1]!;
      const s2r = x[a2]! * tw[t2]! - x[a2 + 1]! * tw[t2 + 1]!;
      const s2i = x[a2]! * tw[t2 + 1]! + x[a2 + 1]! * tw[t2]!;
      const s3r = s1r + s2r;
      const s3i = s1i + s2i;
      const s0r = (s1r - s2r) * epi3i;
      const s0i = (s1i - s2i) * epi3i;
      const hr = x[a0]! - 0.5 * s3r;
      const hi = x[a0 + 1]! - 0.5 * s3i;
      x[a0] = x[a0]! + s3r;
      x[a0 + 1] = x[a0 + 1]! + s3i;
      x[a2] = hr + s0i;
      x[a2 + 1] = hi - s0r;
      x[a1] = hr - s0i;
      x[a1 + 1] = hi + s0r;
    }
  }

  private butterfly4(x: Float64Array, o: number, fstride: number, m: number): void {
    const tw = this.twiddles;
    for (let u = 0; u < m; u++) {
      const a0 = 2 * (o + u);
      const a1 = a0 + 2 * m;
      const a2 = a1 + 2 * m;
      const a3 = a2 + 2 * m;
      const t1 = 2 * u * fstride;
      const t2 = 2 * t1;
      const t3 = 3 * t1;
      const s0r = x[a1]! * tw[t1]! - x[a1 + 1]! * tw[t1 + 1]!;
      const s0i = x[a1]! * tw[t1 + 1]! + x[a1 + 1]! * tw[t1]!;
      const s1r = x[a2]! * tw[t2]! - x[a2 + 1]! * tw[t2 + 1]!;
      const s1i = x[a2]! * tw[t2 + 1]! + x[a2 + 1]! * tw[t2]!;
      const s2r = x[a3]! * tw[t3]! - x[a3 + 1]! * tw[t3 + 1]!;
      const s2i = x[a3]! * tw[t3 + 1]! + x[a3 + 1]! * tw[t3]!;
      const s5r = x[a0]! - s1r;
      const s5i = x[a0 + 1]! - s1i;
      const f0r = x[a0]! + s1r;
      const f0i = x[a0 + 1]! + s1i;
      const s3r = s0r + s2r;
      const s3i = s0i + s2i;
      const s4r = s0r - s2r;
      const s4i = s0i - s2i;
      x[a2] = f0r - s3r;
      x[a2 + 1] = f0i - s3i;
      x[a0] = f0r + s3r;
      x[a0 + 1] = f0i + s3i;
      x[a1] = s5r + s4i;
      x[a1 + 1] = s5i - s4r;
      x[a3] = s5r - s4i;
      x[a3 + 1] = s5i + s4r;
    }
  }

  private butterfly5(x: Float64Array, o: number, fstride: number, m: number): void {
    const tw = this.twiddles;
    const yar = tw[2 * fstride * m]!;
    const yai = tw[2 * fstride * m + 1]!;
    const ybr = tw[4 * fstride * m]!;
    const ybi = tw[4 * fstride * m + 1]!;
    for (let u = 0; u < m; u++) {
      const a0 = 2 * (o + u);
      const a1 = a0 + 2 * m;
      const a2 = a1 + 2 * m;
      const a3 = a2 + 2 * m;
      const a4 = a3 + 2 * m;
      const t1 = 2 * u * fstride;
      const t2 = 2 * t1;
      const t3 = 3 * t1;
      const t4 = 4 * t1;
      const s0r = x[a0]!;
      const s0i = x[a0 + 1]!;
      const s1r = x[a1]! * tw[t1]! - x[a1 + 1]! * tw[t1 + 1]!;
      const s1i = x[a1]! * tw[t1 + 1]! + x[a1 + 1]! * tw[t1]!;
      const s2r = x[a2]! * tw[t2]! - x[a2 + 1]! * tw[t2 + 1]!;
      const s2i = x[a2]! * tw[t2 + 1]! + x[a2 + 1]! * tw[t2]!;
      const s3r = x[a3]! * tw[t3]! - x[a3 + 1]! * tw[t3 + 1]!;
      const s3i = x[a3]! * tw[t3 + 1]! + x[a3 + 1]! * tw[t3]!;
      const s4r = x[a4]! * tw[t4]! - x[a4 + 1]! * tw[t4 + 1]!;
      const s4i = x[a4]! * tw[t4 + 1]! + x[a4 + 1]! * tw[t4]!;
      const s7r = s1r + s4r;
      const s7i = s1i + s4i;
      const s10r = s1r - s4r;
      const s10i = s1i - s4i;
      const s8r = s2r + s3r;
      const s8i = s2i + s3i;
      const s9r = s2r - s3r;
      const s9i = s2i - s3i;
      x[a0] = s0r + s7r + s8r;
      x[a0 + 1] = s0i + s7i + s8i;
      const s5r = s0r + s7r * yar + s8r * ybr;
      const s5i = s0i + s7i * yar + s8i * ybr;
      const s6r = s10i * yai + s9i * ybi;
      const s6i = -s10r * yai - s9r * ybi;
      x[a1] = s5r - s6r;
      x[a1 + 1] = s5i - s6i;
      x[a4] = s5r + s6r;
      x[a4 + 1] = s5i + s6i;
      const s11r = s0r + s7r * ybr + s8r * yar;
      const s11i = s0i + s7i * ybr + s8i * yar;
      const s12r = -s10i * ybi + s9i * yai;
      const s12i = s10r * ybi - s9r * yai;
      x[a2] = s11r + s12r;
      x[a2 + 1] = s11i + s12i;
      x[a3] = s11r - s12r;
      x[a3 + 1] = s11i - s12i;
    }
  }

  private butterflyGeneric(x: Float64Array, o: number, fstride: number, m: number, p: number): void {
    const tw = this.twiddles;
    const s = this.scratch;
    const n = this.size;
    for (let u = 0; u < m; u++) {
      for (let q = 0, k = o + u; q < p; q++, k += m) {
        s[2 * q] = x[2 * k]!;
        s[2 * q + 1] = x[2 * k + 1]!;
      }
      for (let q1 = 0, k = u; q1 < p; q1++, k += m) {
        let re = s[0]!;
        let im = s[1]!;
        let t = 0;
        for (let q = 1; q < p; q++) {
          t += fstride * k;
          if (t >= n) t %= n;
          re += s[2 * q]! * tw[2 * t]! - s[2 * q + 1]! * tw[2 * t + 1]!;
          im += s[2 * q]! * tw[2 * t + 1]! + s[2 * q + 1]! * tw[2 * t]!;
        }
        x[2 * (o + k)] = re;
        x[2 * (o + k) + 1] = im;
      }
    }
  }
}

/** KISS FFT's factorisation (4s first, then 2, 3, 5, 7) as [radix, remaining] pairs, or null if a prime factor exceeds 7. */
export function mixedRadixFactors(size: number): number[] | null {
  if (!Number.isInteger(size) || size < 2) return null;
  const out: number[] = [];
  let n = size;
  let p = 4;
  while (n > 1) {
    while (n % p !== 0) {
      p = p === 4 ? 2 : p === 2 ? 3 : p + 2;
      if (p > 7) return null;
    }
    n /= p;
    out.push(p, n);
  }
  return out;
}
