import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/app-error.ts';
import { analyzeExperiment } from './analyze-experiment.ts';
import { analyzePair } from './analyze-pair.ts';
import { holmBonferroni } from './multiple-testing.ts';
import type { CupedStats, ProportionStats } from './sufficient-stats.ts';

const arms: ProportionStats[] = [
  { type: 'proportion', n: 5000, sum: 500 },
  { type: 'proportion', n: 5100, sum: 560 },
  { type: 'proportion', n: 4950, sum: 480 },
];

describe('analyzeExperiment', () => {
  it('compares every treatment with control and reports per-variation means', () => {
    const r = analyzeExperiment({ variations: arms, metric: { type: 'binomial' }, engine: 'frequentist' });
    expect(r.variations.map((v) => v.mean)).toEqual([0.1, 560 / 5100, 480 / 4950]);
    expect(r.comparisons.map((c) => c.variation)).toEqual([1, 2]);
    const direct = analyzePair(arms[0] as ProportionStats, arms[1] as ProportionStats, {
      engine: 'frequentist',
      difference: 'relative',
      alpha: 0.05,
      sided: 'two-sided',
    });
    expect(r.comparisons[0]?.estimate).toBe(direct.estimate);
    expect(r.comparisons[0]?.pValue).toBe(direct.pValue);
    expect(r.srm).toBeNull();
  });

  it('gives a relative lift with its interval and chance to win for decisions', () => {
    const r = analyzeExperiment({
      variations: arms.slice(0, 2),
      metric: { type: 'binomial' },
      engine: 'bayesian',
    });
    const c = r.comparisons[0];
    expect(c?.estimate).toBeCloseTo(560 / 5100 / 0.1 - 1, 12);
    expect(c?.ci[0]).toBeLessThan(c?.estimate as number);
    expect(c?.chanceToWin).toBeGreaterThan(0.9);
    expect(c?.risk?.[1]).toBeLessThan(c?.risk?.[0] as number);
  });

  it('adjusts p-values across treatments and widens the intervals accordingly', () => {
    const r = analyzeExperiment({
      variations: arms,
      metric: { type: 'binomial' },
      engine: 'frequentist',
      correction: 'holm-bonferroni',
    });
    const raw = r.comparisons.map((c) => c.pValue as number);
    expect(r.comparisons.map((c) => c.adjustedPValue)).toEqual(holmBonferroni(raw));
    const c = r.comparisons[0];
    expect((c?.adjustedCi?.[1] as number) - (c?.adjustedCi?.[0] as number)).toBeGreaterThan(
      (c?.ci[1] as number) - (c?.ci[0] as number),
    );
  });

  it('checks the sample ratio against planned weights', () => {
    const r = analyzeExperiment({
      variations: [
        { type: 'proportion', n: 5000, sum: 500 },
        { type: 'proportion', n: 5400, sum: 560 },
      ],
      metric: { type: 'binomial' },
      engine: 'frequentist',
      weights: [0.5, 0.5],
    });
    expect(r.srm?.flagged).toBe(true);
    expect(r.srm?.pValue).toBeLessThan(0.001);
  });

  it('uses pre-period data unless CUPED is switched off', () => {
    const cuped = (n: number, post: number, pre: number, sp: number): CupedStats => ({
      type: 'mean_ra',
      n,
      post: { type: 'mean', n, sum: post, sumSquares: post * 3 },
      pre: { type: 'mean', n, sum: pre, sumSquares: pre * 3 },
      postPreSumOfProducts: sp,
    });
    const variations = [cuped(1000, 1000, 900, 2500), cuped(1000, 1100, 950, 2700)];
    const on = analyzeExperiment({ variations, metric: { type: 'mean' }, engine: 'frequentist' });
    const off = analyzeExperiment({
      variations,
      metric: { type: 'mean' },
      engine: 'frequentist',
      cuped: false,
    });
    expect(on.comparisons[0]?.theta).not.toBe(0);
    expect(off.comparisons[0]?.theta).toBe(0);
    expect(on.comparisons[0]?.se).toBeLessThan(off.comparisons[0]?.se as number);
  });

  it('rejects statistics that do not fit the metric, a lone control and a bad alpha', () => {
    expect(() =>
      analyzeExperiment({ variations: arms, metric: { type: 'ratio' }, engine: 'frequentist' }),
    ).toThrow(AppError);
    expect(() =>
      analyzeExperiment({ variations: arms.slice(0, 1), metric: { type: 'binomial' }, engine: 'bayesian' }),
    ).toThrow(AppError);
    expect(() =>
      analyzeExperiment({ variations: arms, metric: { type: 'binomial' }, engine: 'frequentist', alpha: 1 }),
    ).toThrow(AppError);
  });
});
