import type { Random } from '../../shared/seeded-random.ts';
import { beta, normal } from './random.ts';

/** One arm's sufficient statistics: exposed subjects, sum and sum of squares of the metric. */
export interface ArmStats {
  n: number;
  sum: number;
  sumSquares: number;
}

export interface ThompsonOptions {
  /** 'binary': conversions (Beta(1 + successes, 1 + failures)); 'mean': a normal posterior of the mean. */
  kind: 'binary' | 'mean';
  /** 'decrease': the smaller draw wins. */
  direction?: 'increase' | 'decrease';
  /** Least weight any arm keeps, so every arm goes on learning (e.g. 0.01). */
  floor: number;
  draws?: number;
  random: Random;
}

/**
 * Thompson sampling weights: each arm's share is the probability it is the best under its
 * posterior, estimated from `draws` joint draws, then mixed with the floor so the weights stay
 * ≥ floor and sum to 1.
 */
export function thompsonWeights(arms: readonly ArmStats[], options: ThompsonOptions): number[] {
  const k = arms.length;
  if (k === 0) return [];
  const draws = options.draws ?? 10_000;
  const wins = new Array<number>(k).fill(0);
  const sign = options.direction === 'decrease' ? -1 : 1;
  const samplers = arms.map((a) => posteriorSampler(a, options.kind));
  for (let d = 0; d < draws; d++) {
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < k; i++) {
      const value = sign * (samplers[i] as (r: Random) => number)(options.random);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    wins[best] = (wins[best] as number) + 1;
  }
  return withFloor(
    wins.map((w) => w / draws),
    options.floor,
  );
}

function posteriorSampler(a: ArmStats, kind: 'binary' | 'mean'): (r: Random) => number {
  if (kind === 'binary') {
    const successes = Math.min(Math.max(a.sum, 0), a.n);
    return (r) => beta(1 + successes, 1 + a.n - successes, r);
  }
  if (a.n < 2) return (r) => normal(r) * 1e6; // nothing known yet: any order is as likely
  const mean = a.sum / a.n;
  const variance = Math.max((a.sumSquares - a.n * mean * mean) / (a.n - 1), 1e-12);
  const sd = Math.sqrt(variance / a.n);
  return (r) => mean + sd * normal(r);
}

/** w' = floor + (1 − k·floor)·w: every arm keeps the floor, the rest follows the probabilities. */
export function withFloor(weights: readonly number[], floor: number): number[] {
  const k = weights.length;
  const f = Math.min(floor, 1 / k);
  const total = weights.reduce((s, w) => s + w, 0);
  const p = total > 0 ? weights.map((w) => w / total) : weights.map(() => 1 / k);
  return p.map((w) => f + (1 - k * f) * w);
}

/** Weights rounded to 4 decimals that still sum to exactly 1 (the largest arm takes the rest). */
export function roundWeights(weights: readonly number[]): number[] {
  const rounded = weights.map((w) => Math.round(w * 10_000) / 10_000);
  const rest = 1 - rounded.reduce((s, w) => s + w, 0);
  const largest = rounded.indexOf(Math.max(...rounded));
  rounded[largest] = Math.round(((rounded[largest] as number) + rest) * 10_000) / 10_000;
  return rounded;
}
