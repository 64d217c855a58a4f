import { describe, expect, it } from 'vitest';
import { sampleProgress } from './progress.ts';

const rules = { power: 0.95, minimumDetectableEffect: 0.05 };

describe('progress toward the needed sample', () => {
  it('needs about 95,600 per arm to see 10 % → 10.5 % with power 0.95', () => {
    // Unpooled normal approximation: (1.95996 + 1.64485)² · (0.09 + 0.094975) / 0.005² ≈ 96,150;
    // R's power.prop.test (pooled under H0) is a little lower. 50/50 → twice that in total.
    const p = sampleProgress({
      binary: true,
      controlMean: 0.1,
      controlVariance: 0.09,
      weights: [0.5, 0.5],
      exposedTotal: 35_559,
      dailyVisitors: 1000,
      rules,
    });
    expect(p.neededTotal).toBeGreaterThan(2 * 95_000);
    expect(p.neededTotal).toBeLessThan(2 * 96_200);
    expect(p.moreVisitors).toBe((p.neededTotal as number) - 35_559);
    expect(p.moreDays).toBe(Math.ceil((p.moreVisitors as number) / 1000));
  });

  it("sizes by the smallest arm: the seed's 50/25/25 split needs 4× the per-arm n", () => {
    const p = sampleProgress({
      binary: true,
      controlMean: 0.1,
      controlVariance: 0.09,
      weights: [0.5, 0.25, 0.25],
      exposedTotal: 0,
      dailyVisitors: 0,
      rules,
    });
    const even = sampleProgress({
      binary: true,
      controlMean: 0.1,
      controlVariance: 0.09,
      weights: [0.5, 0.5],
      exposedTotal: 0,
      dailyVisitors: 0,
      rules,
    });
    // ceil(n/0.25) against ceil(n/0.5): equal up to rounding
    expect(Math.abs((p.neededTotal as number) - 2 * (even.neededTotal as number))).toBeLessThanOrEqual(2);
    expect(p.moreDays).toBeNull(); // no traffic yet
  });

  it('sizes a mean metric with the t-test: σ 20 around 50, 5 % MDE', () => {
    // n ≈ 2 · (1.96 + 1.645)² · 400 / 2.5² ≈ 1,664 per arm
    const p = sampleProgress({
      binary: false,
      controlMean: 50,
      controlVariance: 400,
      weights: [0.5, 0.5],
      exposedTotal: 0,
      dailyVisitors: 100,
      rules,
    });
    expect(p.neededTotal).toBeGreaterThan(2 * 1660);
    expect(p.neededTotal).toBeLessThan(2 * 1670);
    expect(p.moreDays).toBe(Math.ceil((p.neededTotal as number) / 100));
  });

  it('reports 0 more once enough are in, and nothing without a baseline', () => {
    const done = sampleProgress({
      binary: false,
      controlMean: 0.5,
      controlVariance: 0.25,
      weights: [0.5, 0.5],
      exposedTotal: 1e7,
      dailyVisitors: 10,
      rules,
    });
    expect(done).toMatchObject({ moreVisitors: 0, moreDays: 0 });
    const empty = sampleProgress({
      binary: true,
      controlMean: 0,
      controlVariance: 0,
      weights: [0.5, 0.5],
      exposedTotal: 0,
      dailyVisitors: 0,
      rules,
    });
    expect(empty).toMatchObject({ neededTotal: null, moreVisitors: null, moreDays: null });
  });
});
