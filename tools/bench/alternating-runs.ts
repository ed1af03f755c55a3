// Timed runs for the benchmarks. alternatingRuns runs variants of the same work alternately, run by
// run, in one process, so that every variant sees the same host load (this 2-vCPU host drifts by more
// than the effects these A/Bs measure); timedRuns times one piece of work.

import { at } from './checked.js';

export type Timings<V extends string, S extends string> = Record<V, Record<S, number[]>>;

/**
 * For `warmup` untimed and then `runs` timed rounds: each variant in turn is selected (`variants`)
 * and runs every stage in order. Returns each variant's stage times (ms); the results of the last
 * warm-up round go to `onWarmup` (to compare the variants' outputs).
 */
export async function alternatingRuns<V extends string, S extends string>(
  variants: Record<V, () => void>,
  stages: Record<S, () => Promise<unknown>>,
  { warmup, runs }: { warmup: number; runs: number },
  onWarmup?: (variant: V, results: Record<S, unknown>) => void,
): Promise<Timings<V, S>> {
  const names = Object.keys(stages) as S[];
  const times = Object.fromEntries(
    Object.keys(variants).map((v) => [v, Object.fromEntries(names.map((s) => [s, [] as number[]]))]),
  ) as Timings<V, S>;
  for (let run = -warmup; run < runs; run++) {
    for (const [variant, select] of Object.entries(variants) as Array<[V, () => void]>) {
      select();
      const results = {} as Record<S, unknown>;
      for (const stage of names) {
        const start = performance.now();
        results[stage] = await stages[stage]();
        if (run >= 0) times[variant][stage].push(performance.now() - start);
      }
      if (run === -1) onWarmup?.(variant, results);
    }
  }
  return times;
}

/**
 * `warmup` untimed calls of `fn`, then `runs` timed ones: each timed call's wall time and the CPU time
 * (user + system) this process spent in it, ms.
 */
export async function timedRuns(
  fn: () => Promise<void>,
  { warmup, runs }: { warmup: number; runs: number },
): Promise<{ wall: number[]; cpu: number[] }> {
  for (let i = 0; i < warmup; i++) await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const usage = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(usage);
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

export function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Median and fastest of a variant's times, ms. */
export function summary(times: number[]): { median: number; fastest: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    median: round(at(sorted, sorted.length >> 1, 'median of no runs')),
    fastest: round(at(sorted, 0, 'fastest of no runs')),
  };
}
