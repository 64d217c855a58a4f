// Web Vitals ratings (docs/uptime.md "Web Vitals"): Google's published thresholds for each metric
// at the 75th percentile, plus the seed's own LCP target (< 1.3 s), stricter than Google's "good".

export const VITALS = ['lcp', 'inp', 'cls', 'fcp', 'ttfb'] as const;
export type Vital = (typeof VITALS)[number];

export type VitalRating = 'good' | 'needs_improvement' | 'poor';

/** Google's thresholds: good ≤ `good`, poor > `poor`, in between needs improvement. CLS is unitless, the rest ms. */
export const GOOGLE_THRESHOLDS: Record<Vital, { good: number; poor: number }> = {
  lcp: { good: 2500, poor: 4000 },
  inp: { good: 200, poor: 500 },
  cls: { good: 0.1, poor: 0.25 },
  fcp: { good: 1800, poor: 3000 },
  ttfb: { good: 800, poor: 1800 },
};

/** The seed's page-speed target: LCP below 1.3 s on mobile and desktop. */
export const SEED_LCP_TARGET_MS = 1300;

/** Largest value believed: a longer LCP or a CLS above this is a broken measurement, not a page. */
export const VITAL_MAX: Record<Vital, number> = {
  lcp: 600_000,
  inp: 600_000,
  cls: 100,
  fcp: 600_000,
  ttfb: 600_000,
};

export function rateVital(vital: Vital, p75: number): VitalRating {
  const t = GOOGLE_THRESHOLDS[vital];
  if (p75 <= t.good) return 'good';
  return p75 <= t.poor ? 'needs_improvement' : 'poor';
}

/** 'met' when the LCP p75 is strictly below the seed's target; 'no_data' without LCP samples. */
export function seedLcpVerdict(lcpP75: number | null): 'met' | 'missed' | 'no_data' {
  if (lcpP75 === null) return 'no_data';
  return lcpP75 < SEED_LCP_TARGET_MS ? 'met' : 'missed';
}
