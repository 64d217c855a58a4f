/** Every case of reference-vectors.json (R, statsmodels, G*Power, calculators) within its stated precision. */
import { describe, expect, it } from 'vitest';
import { DOCUMENTED_DIFFERENCES } from './documented-differences.ts';
import { welchDof } from './effect.ts';
import { welchTest } from './frequentist.ts';
import { loadVectors } from './load-vectors.test-support.ts';
import {
  normalSampleSize,
  normalSampleSizeMeans,
  powerTwoMeans,
  powerTwoProportions,
  sampleSizeTwoMeans,
  sampleSizeTwoProportions,
  solveIncreasing,
} from './sample-size.ts';
import { checkSrm } from './srm.ts';
import { sampleVariance } from './sufficient-stats.ts';
import { twoProportionZTest } from './two-proportion-z.ts';
import { expectClose, type Json, type Tolerance } from './vector-support.test-support.ts';

const FILE = 'reference-vectors.json';
const doc = loadVectors(FILE) as Json;

/** "To printed digits": half a unit of the last digit the source printed. */
function printed(x: number): Tolerance {
  const text = String(x);
  const m = /e(-?\d+)$/.exec(text);
  const mantissa = text.replace(/e.*$/, '');
  const decimals = (mantissa.split('.')[1] ?? '').length - (m ? Number(m[1]) : 0);
  return { abs: 0.5 * 10 ** -decimals + 1e-15, rel: 0 };
}

function check(actual: number, expected: number, label: string, tol: Tolerance = printed(expected)): void {
  expectClose(actual, expected, tol, label);
}

/** R's uniroot stops at tol = eps^0.25 ≈ 1.22e-4 in the solved quantity; printed values carry that error. */
const UNIROOT: Tolerance = { abs: 1.22e-4, rel: 0 };

const handlers: Record<string, (c: Json) => void> = {
  r_welch_1_10_vs_7_20: welch,
  r_welch_outlier: welch,
  r_gof_equal: gof,
  r_gof_rescaled_weights: gof,
  r_gof_small_expected: gof,
  statsmodels_ztest_default(c) {
    const r = twoProportionZTest(c.inputs.successes, c.inputs.trials);
    check(r.z, c.expected.z, 'z', { abs: 5e-8, rel: 0 });
    check(r.pValue, c.expected.p_value, 'p', { abs: 5e-8, rel: 0 });
  },
  r_power_prop_power: (c) =>
    check(powerTwoProportions(50, 0.5, 0.75, { alpha: 0.05 }), c.expected.power, 'power'),
  r_power_prop_n: (c) =>
    check(sampleSizeTwoProportions(0.5, 0.75, 0.9, { alpha: 0.05 }), c.expected.n_per_group, 'n', UNIROOT),
  r_power_prop_p2(c) {
    const p2 = solveIncreasing((p) => powerTwoProportions(50, 0.5, p, { alpha: 0.05 }), 0.9, 0.5, 1 - 1e-10);
    check(p2, c.expected.p2, 'p2', UNIROOT);
  },
  r_power_prop_siglevel(c) {
    const a = solveIncreasing((x) => powerTwoProportions(50, 0.5, 0.9, { alpha: x }), 0.9, 1e-10, 1 - 1e-10);
    check(a, c.expected.sig_level, 'alpha', { abs: 5e-6, rel: 0 });
  },
  r_power_prop_huge_n: (c) =>
    check(sampleSizeTwoProportions(0.5, 0.501, 0.9, { alpha: 0.001 }), c.expected.n_per_group, 'n', {
      abs: 1,
      rel: 0,
    }),
  r_power_prop_p2_is_1: (c) =>
    check(sampleSizeTwoProportions(0.9, 1, 0.8, { alpha: 0.05 }), c.expected.n_per_group, 'n', UNIROOT),
  r_power_t_power: (c) => check(powerTwoMeans(20, 1, 1, { alpha: 0.05 }), c.expected.power, 'power'),
  r_power_t_n: (c) =>
    check(sampleSizeTwoMeans(1, 1, 0.9, { alpha: 0.05 }), c.expected.n_per_group, 'n', UNIROOT),
  r_power_t_n_one_sided: (c) =>
    check(
      sampleSizeTwoMeans(1, 1, 0.9, { alpha: 0.05, oneSided: true }),
      c.expected.n_per_group,
      'n',
      UNIROOT,
    ),
  evanmiller_relative_mde_2pct(c) {
    for (const [key, n] of Object.entries(c.expected.per_variant as Record<string, number>)) {
      const p = Number(key.replace('baseline_', ''));
      // Integers from a web calculator (own normal quantile, then rounding): within one subject.
      const ours = normalSampleSize(p, p + p * 0.02, 0.8, { alpha: 0.05 }, 'baseline-null');
      expect(Math.abs(ours - n), key).toBeLessThanOrEqual(1);
    }
  },
  gpower_continuous_via_spotify(c) {
    const i = c.inputs;
    const total = 2 * normalSampleSizeMeans(i.absolute_mde, i.variance, i.power, { alpha: i.alpha });
    check(total, c.expected.n_total, 'n', { abs: 0, rel: 0.005 });
  },
  gpower_binomial_small_mde_via_spotify: gpowerBinomial,
  gpower_binomial_alpha014_via_spotify: gpowerBinomial,
  gpower_binomial_alpha014_power067_via_spotify: gpowerBinomial,
  baseline10_rel5_alpha05_power80(c) {
    const e = c.expected_by_formula;
    const t = { alpha: 0.05 };
    check(sampleSizeTwoProportions(0.1, 0.105, 0.8, t), e['R power.prop.test (pooled-null variance)'], 'R');
    check(normalSampleSize(0.1, 0.105, 0.8, t, 'baseline-null'), e['Evan Miller num_subjects'], 'EM');
    check(
      normalSampleSize(0.1, 0.105, 0.8, t, 'unpooled'),
      e['unpooled normal (z_a+z_b)^2(p1q1+p2q2)/d^2'],
      'unpooled',
    );
    check(
      normalSampleSize(0.1, 0.105, 0.8, t, 'baseline-only'),
      e['baseline-variance only 2(z_a+z_b)^2 p1q1/d^2'],
      'base',
    );
  },
};

function welch(c: Json): void {
  const suff = (s: Json) => ({ n: s.n, sum: s.sum, sumSquares: s.sum_squares });
  const x = suff(c.inputs.x_sufficient);
  const y = suff(c.inputs.y_sufficient);
  const vx = sampleVariance(x);
  const vy = sampleVariance(y);
  const est = x.sum / x.n - y.sum / y.n;
  const variance = vx / x.n + vy / y.n;
  const dof = welchDof(vy, y.n, vx, x.n);
  const r = welchTest(est, variance, dof, 0.05, 'two-sided');
  const e = c.expected;
  check(est / Math.sqrt(variance), e.t, 't');
  check(dof, e.df, 'df');
  check(r.pValue, e.p_value, 'p');
  check(r.ci[0], e.ci_mean_x_minus_mean_y[0], 'ci0');
  check(r.ci[1], e.ci_mean_x_minus_mean_y[1], 'ci1');
  if (e.mean_y !== undefined) check(y.sum / y.n, e.mean_y, 'mean y');
}

function gof(c: Json): void {
  const i = c.inputs;
  const r = checkSrm(i.observed, i.expected_proportions ?? i.weights_unnormalised);
  check(r.chiSquare, c.expected.x_squared, 'X2');
  expect(r.dof).toBe(c.expected.df);
  check(r.pValue, c.expected.p_value, 'p');
}

function gpowerBinomial(c: Json): void {
  const i = c.inputs;
  const n = sampleSizeTwoProportions(i.baseline, i.baseline + i.absolute_mde, i.power, { alpha: i.alpha });
  check(2 * n, c.expected.n_total, 'n', { abs: 0, rel: 0.005 });
}

describe('vendor-independent reference vectors', () => {
  const cases: Json[] = Object.entries(doc)
    .filter(([k]) => !k.startsWith('_'))
    .flatMap(([, v]) => v as Json[]);
  const documented = DOCUMENTED_DIFFERENCES.filter((d) => d.file === FILE);

  it('covers all 21 cases and nothing is waived', () => {
    expect(cases.length).toBe(21);
    expect(documented).toEqual([]);
    expect(Object.keys(handlers).sort()).toEqual(cases.map((c) => c.id).sort());
  });

  for (const c of cases) {
    it(c.id, () => {
      const handler = handlers[c.id];
      if (!handler) throw new Error(`no handler for ${c.id}`);
      handler(c);
    });
  }
});
