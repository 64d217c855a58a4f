import { type PlanMetrics, planMetrics } from './plan-metrics.ts';
import {
  type DemoSite,
  type PopulationParams,
  type PopulationPlan,
  simulatePopulation,
} from './population.ts';

/** The seed's baseline (KPI framework, "current"), reached at the end of the demo period. */
export const BASELINE = {
  dau: 1200,
  mau: 8500,
  crossDomainRate: 0.15,
  retention30: 0.25,
  monthlyGrowth: 0.15,
  mrrEur: 5250,
} as const;
export type Baseline = typeof BASELINE;

export const INITIAL_PARAMS: PopulationParams = {
  arrivalsPerDay: 250,
  growthPerDay: Math.log(1 + BASELINE.monthlyGrowth) / 30,
  loyalShare: 0.3,
  memberLoyalShare: 0.2,
  crossDomainShare: 0.2,
  meanLifetimeDays: 150,
};

const ITERATIONS = 8;

const clampShare = (x: number) => Math.min(0.95, Math.max(0.01, x));

/**
 * Each knob mainly moves one figure: arrivals → DAU, anonymous loyalty → MAU (through DAU ÷ MAU),
 * signed-up loyalty → retention, cross-domain share → cross-domain rate, arrival growth → growth.
 * Damped multiplicative steps on the same random draws converge in a few rounds.
 */
function nextParams(
  p: PopulationParams,
  m: PlanMetrics,
  t: Baseline,
  days: number,
  damping: number,
): PopulationParams {
  const step = (current: number, target: number, measured: number, power = 1) =>
    measured > 0 ? current * (target / measured) ** (power * damping) : current;
  const stickinessNow = m.dau7 / m.mau;
  const stickinessWanted = t.dau / t.mau;
  const next: PopulationParams = {
    ...p,
    arrivalsPerDay: step(p.arrivalsPerDay, t.dau, m.dau7),
    loyalShare: clampShare(step(p.loyalShare, stickinessWanted, stickinessNow, 1.5)),
    crossDomainShare: clampShare(step(p.crossDomainShare, t.crossDomainRate, m.crossDomainRate)),
  };
  if (days >= 61 && m.retention30 > 0) {
    next.memberLoyalShare = clampShare(step(p.memberLoyalShare, t.retention30, m.retention30));
  }
  if (days >= 60 && Number.isFinite(m.growth)) {
    next.growthPerDay =
      p.growthPerDay + (damping * (Math.log(1 + t.monthlyGrowth) - Math.log(1 + m.growth))) / 30;
  }
  return next;
}

/** The largest relative distance of a calibrated figure from its target. */
export function worstMiss(m: PlanMetrics, t: Baseline, days: number): number {
  const misses = [
    Math.abs(m.dau7 / t.dau - 1),
    Math.abs(m.mau / t.mau - 1),
    Math.abs(m.crossDomainRate / t.crossDomainRate - 1),
  ];
  if (days >= 61) misses.push(Math.abs(m.retention30 / t.retention30 - 1));
  if (days >= 60) misses.push(Math.abs(m.growth / t.monthlyGrowth - 1));
  return Math.max(...misses);
}

export interface CalibratedPopulation {
  plan: PopulationPlan;
  params: PopulationParams;
  metrics: PlanMetrics;
}

/**
 * Tunes the population so that the figures the API will report for this seed and period hit the
 * baseline. Deterministic: same seed, sites and period, same plan.
 */
export function calibratePopulation(input: {
  seed: number;
  sites: readonly DemoSite[];
  startDate: string;
  days: number;
  targets?: Baseline;
  onRound?: (round: number, metrics: PlanMetrics) => void;
}): CalibratedPopulation {
  const targets = input.targets ?? BASELINE;
  let params = INITIAL_PARAMS;
  let best: (CalibratedPopulation & { miss: number }) | null = null;
  for (let round = 1; round <= ITERATIONS; round++) {
    const plan = simulatePopulation({ ...input, params });
    const metrics = planMetrics(plan);
    input.onRound?.(round, metrics);
    const miss = worstMiss(metrics, targets, input.days);
    if (!best || miss < best.miss) best = { plan, params, metrics, miss };
    // Full steps first, then half steps: the draws are discrete, so full steps keep overshooting.
    params = nextParams(params, metrics, targets, input.days, round <= 3 ? 1 : 0.5);
  }
  const { plan, params: chosen, metrics } = best as CalibratedPopulation;
  return { plan, params: chosen, metrics };
}
