import { describe, expect, it } from 'vitest';
import { createRandom } from './random.ts';
import { robustZScore } from './robust-z-score.ts';
import {
  HOUR_MS,
  type HourlyValue,
  hourOfWeek,
  SEASONAL_DEFAULTS,
  seasonalBaselineScore,
} from './seasonal-baseline.ts';

const MONDAY = Date.UTC(2026, 0, 5); // a Monday, 00:00 UTC

/** Hourly series: 100 + daily wave of ±30 + 40 less on weekends + noise σ. */
function seasonalSeries(hours: number, sigma: number, seed: number): HourlyValue[] {
  const r = createRandom(seed);
  return Array.from({ length: hours }, (_, i) => {
    const t = MONDAY + i * HOUR_MS;
    const weekend = hourOfWeek(t) >= 120 ? -40 : 0;
    return { t, value: 100 + 30 * Math.sin((2 * Math.PI * (i % 24)) / 24) + weekend + sigma * r.normal() };
  });
}

describe('hour of week (UTC)', () => {
  it('counts from Monday 00:00 UTC', () => {
    expect(hourOfWeek(MONDAY)).toBe(0);
    expect(hourOfWeek(MONDAY + 59 * 60_000)).toBe(0);
    expect(hourOfWeek(MONDAY + 167 * HOUR_MS)).toBe(167);
    expect(hourOfWeek(MONDAY + 168 * HOUR_MS)).toBe(0);
    expect(hourOfWeek(0)).toBe(72); // 1970-01-01 was a Thursday
    expect(hourOfWeek(Date.UTC(1969, 11, 29))).toBe(0); // a Monday before the epoch
  });
});

describe('seasonal baseline', () => {
  it('predicts a noiseless weekly pattern exactly once the buckets are filled', () => {
    const series = seasonalSeries(5 * 168, 0, 1);
    const { expected } = seasonalBaselineScore(series);
    const firstExpected = expected.findIndex((e) => e !== null);
    // Three weeks fill the buckets; the first hours of week 1 had no level yet (12 points needed).
    expect(firstExpected).toBe(SEASONAL_DEFAULTS.minSeasons * 168 + SEASONAL_DEFAULTS.minLevelPoints);
    for (let i = 4 * 168; i < 5 * 168; i++)
      expect(expected[i] as number).toBeCloseTo(series[i]?.value as number, 9);
  });

  it('flags a spike at the daily trough that a plain rolling z-score cannot see', () => {
    const series = seasonalSeries(6 * 168, 2, 2);
    const at = 5 * 168 + 18; // Monday of week 6, 18:00 UTC: the daily wave's trough
    (series[at] as HourlyValue).value = (series[at]?.value as number) + 20; // 10σ, still inside the daily range
    const seasonal = seasonalBaselineScore(series);
    expect(seasonal.flags.flatMap((f, i) => (f ? [i] : []))).toEqual([at]);
    expect(robustZScore(series.map((p) => p.value)).flags[at]).toBe(false);
  });

  it('stays quiet on a clean series with the weekend step', () => {
    const { flags } = seasonalBaselineScore(seasonalSeries(10 * 168, 2, 3));
    expect(flags.filter(Boolean).length).toBe(0);
  });

  it('relearns a level shift in a day and a half instead of echoing it in later weeks', () => {
    const series = seasonalSeries(10 * 168, 2, 4);
    const shiftAt = 6 * 168 + 30;
    for (let i = shiftAt; i < series.length; i++)
      (series[i] as HourlyValue).value = (series[i]?.value as number) + 20;
    const { residuals, flags } = seasonalBaselineScore(series);
    expect(flags.slice(shiftAt, shiftAt + 6).some(Boolean)).toBe(true);
    // From 36 hours after the shift on, residuals are back to noise size (σ 2), also 1–3 weeks later.
    for (let i = shiftAt + 36; i < series.length; i++)
      expect(Math.abs(residuals[i] as number)).toBeLessThan(12);
    expect(flags.slice(shiftAt + 36).some(Boolean)).toBe(false);
  });

  it('does not score missing hours and keeps bucket identity across a gap', () => {
    const series = seasonalSeries(6 * 168, 0, 5).filter((_, i) => i < 4 * 168 || i >= 4 * 168 + 10);
    const { expected } = seasonalBaselineScore(series);
    const after = series.findIndex((p) => p.t === MONDAY + (5 * 168 + 3) * HOUR_MS);
    expect(expected[after] as number).toBeCloseTo(series[after]?.value as number, 9);
  });
});
