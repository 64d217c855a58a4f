import type { Experiment } from '@growthbook/growthbook';
import { seededRandom } from '../../shared/seeded-random.ts';

// Visitor ids and experiment configs the agreement tests assign (SDK vs ours, tracker vs ours).

/** Deterministic ids of the shapes sites use: numbers, uuids, emails, and non-ASCII text. */
export function visitorIds(count: number): string[] {
  // Seeded, so a failure names an id that reproduces.
  const next = seededRandom(20240601);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  return Array.from({ length: count }, (_, i) => {
    switch (i % 4) {
      case 0:
        return String(i);
      case 1:
        return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
      case 2:
        return `user${Math.floor(next() * 1e9)}@example.com`;
      default:
        return `zoë-${hex(5)}-東京-😀`;
    }
  });
}

// GrowthBook's own experiment type: ours accepts it as is.
export type AgreementCase = Experiment<number>;

export const AGREEMENT_CASES: Record<string, AgreementCase> = {
  "the seed's 50/25/25 split, hash v2": {
    key: 'pricing-page',
    variations: [0, 1, 2],
    weights: [0.5, 0.25, 0.25],
    hashVersion: 2,
  },
  'default hash version (v1), 50/50': { key: 'hero-copy', variations: [0, 1] },
  'coverage 0.6, uneven weights, v2': {
    key: 'cta',
    variations: [0, 1],
    weights: [0.3, 0.7],
    coverage: 0.6,
    hashVersion: 2,
  },
  'namespace, coverage 0.8, v1': {
    key: 'onboarding',
    variations: [0, 1, 2],
    coverage: 0.8,
    hashVersion: 1,
    namespace: ['growth', 0.2, 0.7],
  },
  'custom seed, 4 variations, namespace, v2': {
    key: 'search',
    seed: 'search-2024',
    variations: [0, 1, 2, 3],
    hashVersion: 2,
    namespace: ['growth', 0.7, 1],
  },
  'invalid weights and coverage above 1 fall back': {
    key: 'footer',
    variations: [0, 1, 2],
    weights: [0.5, 0.5, 0.5],
    coverage: 1.4,
    hashVersion: 2,
  },
  'forced variation within coverage 0.5': {
    key: 'banner',
    variations: [0, 1],
    coverage: 0.5,
    force: 1,
    hashVersion: 2,
  },
};
