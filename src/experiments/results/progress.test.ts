import { describe, expect, it } from 'vitest';
import { sampleProgress } from './progress.ts';

const rules = { power: 0.95, minimumDetectableEffect: 0.05 };

describe('progress toward the needed sample', () => {
  it('matches the textbook two-sample formula for a 10 % conversion rate', () => {
    // (1.95996 + 1.64485)² · 2 · 0.09 / 0.005² ≈ 93,562 per arm; 50/50 → twice that in total
    const p = sampleProgress({
      controlMean: 0.1,
      controlVariance: 0.09,
      weights: [0.5, 0.5],
      exposedTotal: 35_559,
      dailyVisitors: 1000,
      rules,
    });
    expect(p.neededTotal).toBeGreaterThan(187_050);
    expect(p.neededTotal).toBeLessThan(187_200);
    expect(p.moreVisitors).toBe((p.neededTotal as number) - 35_559);
    expect(p.moreDays).toBe(Math.ceil((p.moreVisitors as number) / 1000));
  });

  it("sizes by the smallest arm: the seed's 50/25/25 split needs 4× the per-arm n", () => {
    const p = sampleProgress({
      controlMean: 0.1,
      controlVariance: 0.09,
      weights: [0.5, 0.25, 0.25],
      exposedTotal: 0,
      dailyVisitors: 0,
      rules,
    });
    const even = sampleProgress({
      controlMean: 0.1,
      controlVariance: 0.09,
      weights: [0.5, 0.5],
      exposedTotal: 0,
      dailyVisitors: 0,
      rules,
    });
    expect(p.neededTotal).toBe(Math.ceil(((even.neededTotal as number) / 2) * 4));
    expect(p.moreDays).toBeNull(); // no traffic yet
  });

  it('reports 0 more once enough are in, and nothing without a baseline', () => {
    const done = sampleProgress({
      controlMean: 0.5,
      controlVariance: 0.25,
      weights: [0.5, 0.5],
      exposedTotal: 1e7,
      dailyVisitors: 10,
      rules,
    });
    expect(done).toMatchObject({ moreVisitors: 0, moreDays: 0 });
    const empty = sampleProgress({
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
