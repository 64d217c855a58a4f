// A seeded pseudo-random generator (mulberry32) so the synthetic suite and the isolation forest are
// reproducible from a number: the same seed gives the same series, the same trees, the same figures.

import { seededRandom, standardNormal } from '../../shared/seeded-random.ts';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
}

export function createRandom(seed: number): Random {
  const next = seededRandom(seed);
  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (n) => Math.floor(next() * n),
    normal: () => standardNormal(next),
  };
}
