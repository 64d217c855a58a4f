import { describe, expect, it } from 'vitest';
import { rateVital, seedLcpVerdict } from './vital-thresholds.ts';

describe('rateVital', () => {
  it.each([
    ['lcp', 2500, 'good'],
    ['lcp', 2501, 'needs_improvement'],
    ['lcp', 4000, 'needs_improvement'],
    ['lcp', 4001, 'poor'],
    ['inp', 200, 'good'],
    ['inp', 501, 'poor'],
    ['cls', 0.1, 'good'],
    ['cls', 0.11, 'needs_improvement'],
    ['cls', 0.26, 'poor'],
    ['fcp', 1800, 'good'],
    ['fcp', 3001, 'poor'],
    ['ttfb', 800, 'good'],
    ['ttfb', 1000, 'needs_improvement'],
  ] as const)('%s at %s is %s', (vital, p75, rating) => {
    expect(rateVital(vital, p75)).toBe(rating);
  });
});

describe("the seed's LCP < 1.3 s", () => {
  it('is strict', () => {
    expect(seedLcpVerdict(1299)).toBe('met');
    expect(seedLcpVerdict(1300)).toBe('missed');
    expect(seedLcpVerdict(null)).toBe('no_data');
  });
});
