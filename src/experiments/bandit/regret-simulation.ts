import { seededRandom } from '../../shared/seeded-random.ts';
import { type ArmStats, thompsonWeights } from './thompson.ts';

/**
 * A seeded simulation of a conversion experiment: visitors arrive day by day, each is assigned by
 * the day's weights and converts with their arm's true rate. Regret is the expected conversions
 * lost against always showing the best arm: Σ over visitors of (best rate − rate of their arm).
 */
export interface SimulationSpec {
  trueRates: readonly number[];
  initialWeights: readonly number[];
  days: number;
  visitorsPerDay: number;
  floor: number;
  seed: number;
}

export interface SimulationResult {
  /** Cumulative regret at the end of each day. */
  regretByDay: number[];
  finalWeights: number[];
  conversions: number;
}

export function simulate(spec: SimulationSpec, strategy: 'fixed' | 'thompson' | 'oracle'): SimulationResult {
  const random = seededRandom(spec.seed);
  const best = Math.max(...spec.trueRates);
  const bestArm = spec.trueRates.indexOf(best);
  const arms: ArmStats[] = spec.trueRates.map(() => ({ n: 0, sum: 0, sumSquares: 0 }));
  let weights =
    strategy === 'oracle' ? spec.trueRates.map((_, i) => (i === bestArm ? 1 : 0)) : [...spec.initialWeights];
  let regret = 0;
  let conversions = 0;
  const regretByDay: number[] = [];
  for (let day = 0; day < spec.days; day++) {
    for (let v = 0; v < spec.visitorsPerDay; v++) {
      const arm = pick(weights, random());
      const rate = spec.trueRates[arm] as number;
      const converted = random() < rate ? 1 : 0;
      const s = arms[arm] as ArmStats;
      s.n += 1;
      s.sum += converted;
      s.sumSquares += converted;
      conversions += converted;
      regret += best - rate;
    }
    regretByDay.push(regret);
    if (strategy === 'thompson')
      weights = thompsonWeights(arms, { kind: 'binary', floor: spec.floor, draws: 4000, random });
  }
  return { regretByDay, finalWeights: weights, conversions };
}

function pick(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i] as number;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

/** The documented scenario (docs/experiments.md): the seed's 50/25/25 split, 30 days, 1,000 visitors a day. */
export const SEED_SCENARIO: Omit<SimulationSpec, 'seed'> = {
  trueRates: [0.05, 0.055, 0.06],
  initialWeights: [0.5, 0.25, 0.25],
  days: 30,
  visitorsPerDay: 1000,
  floor: 0.01,
};
