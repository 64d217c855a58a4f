/** Handlers for the power_and_mde section of gbstats-vectors.json. */
import { expect } from 'vitest';
import { scalePrior } from './bayesian.ts';
import {
  additionalSampleMultiple,
  bayesianMde,
  bayesianPower,
  frequentistMde,
  frequentistPower,
  frequentistVariance,
  type MidExperimentInput,
  type PowerMetric,
  type PowerSettings,
  powerAtMultiple,
} from './power.ts';
import { expectClose, type Json, toleranceOf } from './vector-support.test-support.ts';

const BASE: PowerMetric = { mean: 10, variance: 3909.9997749994377 };
const N_PER_VARIATION = 400000 / 3;

/** The reference reports a relative Bayesian MDE as the first point of a 1e-5 grid at or above the root (within float accumulation error). */
export function onMdeGrid(mde: number): number {
  return Math.ceil(mde * 1e5 - 1e-3) / 1e5;
}

export function weeksCase(c: Json, engine: 'frequentist' | 'bayesian', tuning: number | null): void {
  const i = c.inputs.same_as
    ? { usersPerWeek: 4500, nVariations: 3, nWeeks: 9, alpha: 0.05, targetPower: 0.8 }
    : c.inputs;
  const metrics = [
    { name: 'click_through_rate', m: { mean: 0.1, variance: 0.1 * 0.9 }, effect: 0.05 },
    { name: 'revenue', m: { mean: 0.1, variance: 0.5 }, effect: 0.3 },
  ];
  const settings: PowerSettings = { alpha: i.alpha, sequentialTuning: tuning };
  const prior = { mean: 0.2, variance: 0.3, proper: true };
  const tol = toleranceOf(c.compare);
  const firstWeek: Record<string, number | null> = { click_through_rate: null, revenue: null };
  let k = 0;
  for (let week = 1; week <= i.nWeeks; week++) {
    const n = (i.usersPerWeek * week) / i.nVariations;
    for (const { name, m, effect } of metrics) {
      const power =
        engine === 'bayesian'
          ? bayesianPower(m, effect, n, prior, settings)
          : frequentistPower(m, effect, n, settings);
      const mde =
        engine === 'bayesian'
          ? bayesianMde(m, n, i.targetPower, prior, settings)
          : frequentistMde(m, n, i.targetPower, settings);
      expectClose(power, c.expected.power_by_week_then_metric[k], tol, `power w${week} ${name}`);
      const shownMde = engine === 'bayesian' ? onMdeGrid(mde) : mde;
      expectClose(shownMde, c.expected.mde_by_week_then_metric[k], tol, `mde w${week} ${name}`);
      if (engine === 'bayesian')
        expect(mde).toBeLessThanOrEqual(c.expected.mde_by_week_then_metric[k] + 1e-8);
      if (power >= i.targetPower && firstWeek[name] === null) firstWeek[name] = week;
      k++;
    }
  }
  expect(firstWeek).toEqual(c.expected.weeks_to_80pct);
}

export const powerVectorHandlers: Record<string, (c: Json) => void> = {
  ts_frequentistVariance_abs(c) {
    expectClose(frequentistVariance(2, 7, 4, 0.5, 5, 15, false), c.expected, toleranceOf(c.compare), 'abs');
  },
  ts_frequentistVariance_rel(c) {
    expectClose(frequentistVariance(2, 7, 4, 0.5, 5, 15, true), c.expected, toleranceOf(c.compare), 'rel');
  },
  ts_powerEstFrequentist_fixed(c) {
    const p = frequentistPower(BASE, 0.05, N_PER_VARIATION, { alpha: 0.05 });
    expectClose(p, c.expected, toleranceOf(c.compare), 'power');
  },
  ts_powerEstFrequentist_sequential5000(c) {
    const p = frequentistPower(BASE, 0.05, N_PER_VARIATION, { alpha: 0.05, sequentialTuning: 5000 });
    expectClose(p, c.expected, toleranceOf(c.compare), 'power');
  },
  ts_findMdeFrequentist_fixed(c) {
    expectClose(
      frequentistMde(BASE, N_PER_VARIATION, 0.8, { alpha: 0.05 }),
      c.expected,
      toleranceOf(c.compare),
      'mde',
    );
  },
  ts_findMdeFrequentist_sequential5000(c) {
    const mde = frequentistMde(BASE, N_PER_VARIATION, 0.8, { alpha: 0.05, sequentialTuning: 5000 });
    expectClose(mde, c.expected, toleranceOf(c.compare), 'mde');
  },
  ts_powerMetricWeeks_frequentist: (c) => weeksCase(c, 'frequentist', null),
  ts_powerMetricWeeks_sequential5000: (c) => weeksCase(c, 'frequentist', 5000),
  ts_prior_rescaling(c) {
    expect(c.cases.length).toBe(4);
    const rel = scalePrior({ mean: 1 / 7, variance: 1 / 7, proper: true }, true, 4);
    const abs = scalePrior({ mean: 1 / 7, variance: 1 / 7, proper: true }, false, 4);
    expect(rel.mean).toBe(1 / 7);
    expect(abs.mean).toBe(4 / 7);
    expect(rel.variance).toBe(1 / 7);
    expect(abs.variance).toBeCloseTo(16 / 7, 14);
  },
  ts_bayesian_power_roundtrip_checked(c) {
    const prior = { mean: 0.05, variance: 0.5476, proper: true };
    const e = c.expected;
    const rel = bayesianMde(BASE, N_PER_VARIATION, 0.8, prior, { alpha: 0.05 });
    const abs = bayesianMde(BASE, N_PER_VARIATION, 0.8, prior, { alpha: 0.05, relative: false });
    expectClose(onMdeGrid(rel), e['findMdeBayesian(power=0.8, relative)'], { abs: 1e-9, rel: 0 }, 'mde rel');
    expect(rel).toBeLessThanOrEqual(e['findMdeBayesian(power=0.8, relative)']);
    expectClose(abs, e['findMdeBayesian(power=0.8, absolute)'], { abs: 5e-6, rel: 0 }, 'mde abs');
    const pRel = bayesianPower(BASE, 0.07024999999999991, N_PER_VARIATION, prior, { alpha: 0.05 });
    const pAbs = bayesianPower(BASE, 0.06781974621178363, N_PER_VARIATION, prior, {
      alpha: 0.05,
      relative: false,
    });
    expectClose(
      pRel,
      e['powerEstBayesian(effect=0.07024999999999991, relative)'],
      { abs: 5e-4, rel: 0 },
      'power rel',
    );
    expectClose(
      pAbs,
      e['powerEstBayesian(effect=0.06781974621178363, absolute)'],
      { abs: 5e-4, rel: 0 },
      'power abs',
    );
  },
};

/** Our definition of the mid-experiment sample multiple, checked against the reference loosely. */
export function midExperimentCheck(c: Json): void {
  const i = c.inputs;
  const e = c.expected;
  const base: MidExperimentInput = {
    effectVariance: e.sigmahat2Delta_used_in_TS_test,
    nTotal: i.control.n + i.treatment.n,
    targetMde: i.target_mde,
    targetPower: i.target_power,
    settings: { alpha: i.alpha },
  };
  const variants: [MidExperimentInput, number, number][] = [
    [base, e.scaling_factor_frequentist, 1e-4],
    [{ ...base, prior: i.bayes_prior }, e.scaling_factor_bayesian, 1e-4],
    [
      { ...base, settings: { alpha: i.alpha, sequentialTuning: i.sequential_tuning_parameter } },
      e.scaling_factor_sequential,
      0.5,
    ],
  ];
  for (const [input, reference, relTol] of variants) {
    const k = additionalSampleMultiple(input);
    expect(powerAtMultiple(input, k + 1)).toBeCloseTo(e.power_at_scaling_factor, 8);
    expect(Math.abs(k - reference) / reference).toBeLessThan(relTol);
  }
}
