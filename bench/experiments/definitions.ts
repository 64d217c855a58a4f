// The experiments of the end-to-end benchmark: 1,000 experiments of 3 variations (the tracker
// sends the variation's index), each on one domain, all measured on the same 4 metrics.
import type { ExperimentMetric } from '../../src/experiments/experiment-schema.ts';

export const VARIATIONS = ['control', 'b', 'c'] as const;
export const WEIGHTS = [1 / 3, 1 / 3, 1 / 3] as const;

export const METRICS: ExperimentMetric[] = [
  { key: 'purchase', kind: 'conversion', event: 'Purchase', direction: 'increase', windowDays: 14 },
  { key: 'signup', kind: 'conversion', event: 'Signup', direction: 'increase', windowDays: 14 },
  { key: 'revenue', kind: 'revenue', per: 'visitor', direction: 'increase', windowDays: 14 },
  { key: 'pageviews', kind: 'engagement', measure: 'pageviews', direction: 'increase', windowDays: 14 },
];

export interface BenchExperiment {
  key: string;
  domainIds: string[];
  variations: string[];
  from: Date;
  until: Date;
}

export const experimentKey = (i: number) => `exp-${String(i).padStart(4, '0')}`;

/** Experiment i runs on domain ⌊i ÷ perDomain⌋ for the whole loaded period (as the loader assigns). */
export function benchExperiments(
  domainIds: readonly string[],
  count: number,
  from: Date,
  until: Date,
): BenchExperiment[] {
  const perDomain = Math.ceil(count / domainIds.length);
  return Array.from({ length: count }, (_, i) => ({
    key: experimentKey(i),
    domainIds: [domainIds[Math.floor(i / perDomain)] as string],
    variations: [...VARIATIONS],
    from,
    until,
  }));
}
