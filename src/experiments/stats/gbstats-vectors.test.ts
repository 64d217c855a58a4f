/** Every case of gbstats-vectors.json, each expectation checked within the tolerance the case states. */
import { describe, expect, it } from 'vitest';
import { analyzePair, type PairOptions } from './analyze-pair.ts';
import { type ArmMoments, armMoments } from './arm-moments.ts';
import { bayesianRisk, type GaussianPrior } from './bayesian.ts';
import { pooledCupedTheta } from './cuped-theta.ts';
import { DOCUMENTED_DIFFERENCES } from './documented-differences.ts';
import { computeEffect } from './effect.ts';
import { loadVectors, num } from './load-vectors.test-support.ts';
import {
  adjustedInterval,
  benjaminiHochberg,
  chanceToWinFromInterval,
  holmBonferroni,
} from './multiple-testing.ts';
import { midExperimentCheck, powerVectorHandlers, weeksCase } from './power-vectors.test-support.ts';
import { ONE_SIDED_P_MAX, sequentialOneSidedHalfWidth } from './sequential.ts';
import { chiSquareSf } from './special/chi-square.ts';
import { normQuantile } from './special/normal.ts';
import { checkSrm } from './srm.ts';
import { type CupedStats, type RatioCupedStats, statMean, statVariance } from './sufficient-stats.ts';
import {
  expectClose,
  type Json,
  type Tolerance,
  toleranceOf,
  toStats,
} from './vector-support.test-support.ts';

const FILE = 'gbstats-vectors.json';
const doc = loadVectors(FILE) as Json;

type Case = { section: string; id: string; data: Json };

function allCases(): Case[] {
  const out: Case[] = [];
  for (const section of Object.keys(doc)) {
    if (section.startsWith('_')) continue;
    const s = doc[section];
    if (section === 'srm') {
      s.cases.forEach((data: Json, i: number) => {
        out.push({ section, id: `srm_${i}`, data });
      });
      continue;
    }
    for (const key of ['cases', 'get_risk']) {
      for (const data of s[key] ?? []) out.push({ section, id: data.id, data });
    }
  }
  return out;
}

function parsePrior(p: unknown): GaussianPrior | undefined {
  if (p && typeof p === 'object') return p as GaussianPrior;
  return undefined; // "improper ..." strings: flat prior
}

/** Full-precision outputs carry no stated tolerance; we hold ourselves to 1e-8 (absolute or relative). */
const FULL_PRECISION: Tolerance = { abs: 1e-8, rel: 1e-8 };

function runTwoArm(c: Json, skip: readonly string[] = []): void {
  const cfg = c.config ?? {};
  const test: string = c.test ?? '';
  const options: PairOptions = {
    engine: /Bayesian/.test(test) ? 'bayesian' : 'frequentist',
    difference: cfg.difference_type ?? 'relative',
    alpha: cfg.alpha ?? 0.05,
    sided: /Greater/.test(test) ? 'greater' : /Lesser/.test(test) ? 'less' : 'two-sided',
    sequentialTuning: /Sequential/.test(test) ? (cfg.sequential_tuning_parameter ?? 5000) : null,
    prior: parsePrior(cfg.prior),
    inverse: cfg.inverse ?? false,
  };
  const control = toStats(c.control);
  const treatment = toStats(c.treatment);
  const r = analyzePair(control, treatment, options);
  if (c.expected.property) {
    // CI(tuning=10) ⊃ CI(tuning=10000) ⊃ CI(tuning≈n_A+n_B): the sequence is tightest at its tuning size.
    const at = (tuning: number) =>
      analyzePair(control, treatment, { ...options, sequentialTuning: tuning }).ci;
    const [a, b, m] = [at(10), at(10000), at(control.n + treatment.n)];
    expect(a[0] < b[0] && b[0] < m[0] && m[1] < b[1] && b[1] < a[1]).toBe(true);
    return;
  }
  const tol = toleranceOf(c.compare);
  const actual: Record<string, number | string | null> = {
    expected: r.estimate,
    uplift_mean: r.estimate,
    uplift_stddev: r.se,
    pValue: r.pValue,
    chanceToWin: r.chanceToWin,
    'ci[0]': r.ci[0],
    'risk[1]': r.risk?.[1] ?? null,
    control_cr: r.control.unadjusted,
    treatment_cr: r.treatment.unadjusted,
    'control_cr(unadjusted)': r.control.unadjusted,
    'treatment_cr(unadjusted)': r.treatment.unadjusted,
    errorMessage: r.error,
    riskType: options.difference,
  };
  for (const [key, want] of Object.entries(c.expected as Record<string, unknown>)) {
    if (skip.includes(key)) continue;
    if (key === 'ci') {
      const [lo, hi] = want as unknown[];
      expectClose(r.ci[0], lo, tol, `${c.id} ci[0]`);
      expectClose(r.ci[1], hi, tol, `${c.id} ci[1]`);
    } else if (key === 'risk') {
      const [a, b] = want as number[];
      expectClose(r.risk?.[0] ?? Number.NaN, a, tol, `${c.id} risk[0]`);
      expectClose(r.risk?.[1] ?? Number.NaN, b, tol, `${c.id} risk[1]`);
    } else if (key === 'errorMessage' || key === 'riskType') {
      expect(actual[key], `${c.id} ${key}`).toBe(want);
    } else {
      if (!(key in actual)) throw new Error(`${c.id}: unhandled expectation ${key}`);
      expectClose(actual[key] as number, want, tol, `${c.id} ${key}`);
    }
  }
  const full = c.gbstats_full_precision_output;
  if (full) {
    expectClose(r.estimate, full.expected, FULL_PRECISION, `${c.id} full estimate`);
    expectClose(r.se, full.uplift_stddev, FULL_PRECISION, `${c.id} full se`);
    expectClose(r.ci[0], full.ci[0], FULL_PRECISION, `${c.id} full ci[0]`);
    expectClose(r.ci[1], full.ci[1], FULL_PRECISION, `${c.id} full ci[1]`);
    // Sequential one-sided p-values come from a bisection with tolerance 1e-6 in the reference.
    const pTol =
      options.sequentialTuning != null && options.sided !== 'two-sided'
        ? { abs: 1e-6, rel: 0 }
        : FULL_PRECISION;
    if (full.pValue !== undefined && !skip.includes('pValue'))
      expectClose(r.pValue ?? Number.NaN, full.pValue, pTol, `${c.id} full p`);
    if (full.chanceToWin !== undefined)
      expectClose(r.chanceToWin, full.chanceToWin, FULL_PRECISION, `${c.id} full ctw`);
    if (full.risk !== undefined) {
      expectClose(r.risk?.[0] ?? Number.NaN, full.risk[0], { abs: 1e-12, rel: 1e-8 }, `${c.id} full risk0`);
      expectClose(r.risk?.[1] ?? Number.NaN, full.risk[1], { abs: 1e-12, rel: 1e-8 }, `${c.id} full risk1`);
    }
  }
}

function cupedArm(a: Json): CupedStats {
  return {
    type: 'mean_ra',
    n: a.n,
    post: { type: 'mean', n: a.n, sum: a.post_sum, sumSquares: a.post_sum_squares },
    pre: { type: 'mean', n: a.n, sum: a.pre_sum, sumSquares: a.pre_sum_squares },
    postPreSumOfProducts: a.post_pre_sum_of_products,
  };
}

function ratioCupedFromUnits(u: Json, sign: number): RatioCupedStats {
  const mp = u.m_post.map((x: number) => sign * x);
  const mq = u.m_pre.map((x: number) => sign * x);
  const dp: number[] = u.d_post;
  const dq: number[] = u.d_pre;
  const n = mp.length;
  const s = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const sp = (a: number[], b: number[]) => a.reduce((x, y, i) => x + y * (b[i] as number), 0);
  const m = (a: number[]) => ({ n, sum: s(a), sumSquares: sp(a, a) });
  return {
    type: 'ratio_ra',
    n,
    mPost: m(mp),
    dPost: m(dp),
    mPre: m(mq),
    dPre: m(dq),
    mPostMPreSumOfProducts: sp(mp, mq),
    dPostDPreSumOfProducts: sp(dp, dq),
    mPreDPreSumOfProducts: sp(mq, dq),
    mPostDPostSumOfProducts: sp(mp, dp),
    mPostDPreSumOfProducts: sp(mp, dq),
    mPreDPostSumOfProducts: sp(mq, dp),
    theta: 0.5,
  };
}

function negativeBaseline(c: Json): void {
  const tol = toleranceOf(c.compare);
  for (const [sign, key] of [
    [1, 'sign=+1'],
    [-1, 'sign=-1 (m_post and m_pre of both arms negated)'],
  ] as const) {
    const u = c.inputs.raw_unit_level_data;
    const control = ratioCupedFromUnits(u.control, sign);
    const treatment = ratioCupedFromUnits(u.treatment, sign);
    const e = computeEffect(armMoments(control, 0.5), armMoments(treatment, 0.5), 'relative');
    expectClose(e.estimate, c.expected[key].point_estimate, tol, `${key} estimate`);
    expectClose(Math.sqrt(e.variance), c.expected[key].standard_error, tol, `${key} se`);
  }
}

const handlers: Record<string, (c: Json) => void> = {
  ...powerVectorHandlers,
  cuped_ratio_negative_baseline_improving: negativeBaseline,
  cuped_ratio_negative_baseline_declining: negativeBaseline,
  three_arm_cuped_stats(c) {
    const arms = c.arms.map(cupedArm);
    const tol = toleranceOf(c.compare);
    const r1 = analyzePair(arms[0], arms[1], {
      engine: 'frequentist',
      difference: 'relative',
      alpha: 0.05,
      sided: 'two-sided',
    });
    const r2 = analyzePair(arms[0], arms[2], {
      engine: 'frequentist',
      difference: 'relative',
      alpha: 0.05,
      sided: 'two-sided',
    });
    const means = [r2.control.unadjusted, r1.treatment.unadjusted, r2.treatment.unadjusted];
    // The baseline's reported spread is the one of the last comparison (0 vs 2).
    const sds = [r2.control, r1.treatment, r2.treatment].map((m: ArmMoments) => Math.sqrt(m.variance));
    c.expected.mean.forEach((v: number, i: number) => {
      expectClose(means[i] as number, v, tol, `mean ${i}`);
    });
    c.expected.stddev_cuped.forEach((v: number, i: number) => {
      expectClose(sds[i] as number, v, tol, `sd ${i}`);
    });
  },
  sample_mean_variance_ddof1(c) {
    const s = { type: 'mean' as const, n: c.inputs.n, sum: c.inputs.sum, sumSquares: c.inputs.sum_squares };
    expectClose(statMean(s), c.expected.mean, { abs: 1e-12, rel: 1e-14 }, 'mean');
    expectClose(statVariance(s), c.expected.variance, { abs: 1e-12, rel: 1e-13 }, 'variance');
  },
  proportion_variance(c) {
    const s = { type: 'proportion' as const, n: c.inputs.n, sum: c.inputs.sum };
    expect(statMean(s)).toBe(c.expected.mean);
    expect(statVariance(s)).toBe(c.expected.variance);
    // Binary values: Σx² = Σx, so the population variance from sums equals p(1-p).
    expect(c.expected.sum_squares_equals_sum).toBe(true);
    expect(s.sum / s.n - (s.sum / s.n) ** 2).toBe(statVariance(s));
  },
  cuped_theta_pooled(c) {
    const i = c.inputs;
    const arm = (preSum: number, preSs: number, sp: number): CupedStats => ({
      type: 'mean_ra',
      n: i.n_per_arm,
      post: { type: 'mean', n: i.n_per_arm, sum: i.post_sum, sumSquares: i.post_sum_squares },
      pre: { type: 'mean', n: i.n_per_arm, sum: preSum, sumSquares: preSs },
      postPreSumOfProducts: sp,
    });
    const a = arm(i.pre_sum, i.pre_sum_squares, i.post_pre_sum_of_products);
    expectClose(pooledCupedTheta(a, a), c.expected.theta, toleranceOf(c.compare), 'theta');
    const z = arm(0, 0, 0);
    expect(pooledCupedTheta(z, z)).toBe(c.expected.theta_when_pre_all_zero);
  },
  negative_variance_guard(c) {
    const control = toStats(c.inputs.control);
    const treatment = toStats(c.inputs.treatment);
    const theta = pooledCupedTheta(control as CupedStats, treatment as CupedStats);
    const e = computeEffect(
      armMoments(control, theta),
      armMoments(treatment, theta),
      c.inputs.difference_type,
    );
    expectClose(e.variance, c.expected.variance, { abs: 1e-14, rel: 1e-13 }, 'variance');
    expect(e.error).toBe(c.expected.error);
    const r = analyzePair(control, treatment, {
      engine: 'frequentist',
      difference: 'absolute',
      alpha: 0.05,
      sided: 'two-sided',
    });
    expect([r.estimate, r.se, r.pValue, r.error]).toEqual([0, 0, 1, 'ZERO_NEGATIVE_VARIANCE']);
  },
  frequentist_diff_cases(c) {
    expect(c.cases.length).toBe(8);
    for (const k of c.cases) {
      const arm = (mean: number, unadjusted: number): ArmMoments => ({
        n: 10,
        mean,
        unadjusted,
        variance: 1,
        covAdjUnadj: 1,
        varianceUnadj: 1,
        gradientMean: mean,
      });
      const e = computeEffect(
        arm(k.mean_a, k.mean_a_unadjusted ?? k.mean_a),
        arm(k.mean_b, k.mean_b),
        k.relative ? 'relative' : 'absolute',
      );
      expectClose(e.estimate, k.expected, { abs: 1e-12, rel: 0 }, JSON.stringify(k));
    }
  },
  holm_bonferroni(c) {
    const adj = holmBonferroni(c.inputs.p_values_by_index);
    adj.forEach((v, i) => {
      expectClose(v, c.expected.adjusted_by_original_index[i], { abs: 1e-15, rel: 1e-12 }, `holm ${i}`);
    });
  },
  benjamini_hochberg(c) {
    const adj = benjaminiHochberg(c.inputs.p_values_by_index);
    const tol = toleranceOf(c.compare);
    adj.forEach((v, i) => {
      expectClose(v, c.expected.adjusted_by_original_index[i], tol, `bh ${i}`);
    });
  },
  two_pvalue_family(c) {
    holmBonferroni(c.inputs.p_values).forEach((v, i) => {
      expectClose(v, c.expected.holm_bonferroni[i], { abs: 1e-15, rel: 1e-12 }, 'holm');
    });
    benjaminiHochberg(c.inputs.p_values).forEach((v, i) => {
      expectClose(v, c.expected.benjamini_hochberg[i], { abs: 1e-15, rel: 1e-12 }, 'bh');
    });
  },
  adjusted_ci(c) {
    const tol = toleranceOf(c.compare);
    for (const k of c.cases) {
      const ci = adjustedInterval(k.pAdj, k.lift, k.alpha);
      expectClose(ci[0], k.expected[0], tol, 'lower');
      expectClose(ci[1], k.expected[1], tol, 'upper');
    }
    const first = adjustedInterval(c.cases[0].pAdj, c.cases[0].lift, c.cases[0].alpha);
    expect(first[0] > 0 && first[1] < 0.2).toBe(true);
  },
  chance_to_win_flat_prior_from_ci(c) {
    // The sub-cases are written as formulas; rebuilt here in order.
    const e = Math.sqrt(Math.PI);
    const alpha = Math.PI / 100;
    const z2 = normQuantile(1 - alpha / 2);
    const z1 = normQuantile(1 - alpha);
    const inf = Number.POSITIVE_INFINITY;
    const built: [number, [number, number], number, boolean][] = [
      [e, [e - Math.PI * z2, e + Math.PI * z2], alpha, false],
      [e, [e - Math.PI * z2, e + Math.PI * z2], alpha, true],
      [e, [-inf, e + Math.PI * z1], alpha, false],
      [e, [e - Math.PI * z1, inf], alpha, false],
      [e, [-inf, inf], alpha, false],
      [0, [-1, 1], alpha, false],
      [0, [0, 0], alpha, false],
      [1, [0, 0], alpha, true],
      [1, [0, 0], alpha, false],
    ];
    expect(c.cases.length).toBe(built.length);
    c.cases.forEach((k: Json, i: number) => {
      const [est, ci, a, inverse] = built[i] as (typeof built)[number];
      expectClose(
        chanceToWinFromInterval(est, ci, a, inverse),
        k.expected_ctw,
        { abs: 5e-8, rel: 0 },
        `ctw ${i}`,
      );
    });
  },
};

function runCase(c: Case): void {
  const d = c.data;
  const handler = handlers[c.id];
  if (handler) {
    handler(d);
    return;
  }
  if (c.section === 'srm') {
    const r = checkSrm(d.users, d.weights);
    expectClose(r.pValue, d.p_value, { abs: 1e-12, rel: 1e-9 }, `srm ${c.id}`);
    expect(r.flagged).toBe(d.p_value < 0.001);
    return;
  }
  if (d.fn === 'get_risk' || /get_risk/.test(d.fn ?? '')) {
    const r = bayesianRisk(d.inputs.mu, d.inputs.sigma);
    const tol = /exact/.test(d.compare) ? { abs: 0, rel: 0 } : toleranceOf(d.compare);
    expectClose(r[0], d.expected[0], tol, 'risk ctrl');
    expectClose(r[1], d.expected[1], tol, 'risk trt');
    return;
  }
  if (d.control && d.treatment) {
    runTwoArm(d);
    return;
  }
  throw new Error(`no handler for case ${c.id}`);
}

/** Our behaviour for the documented differences, asserted instead of the reference value. */
const documentedChecks: Record<string, (c: Case) => void> = {
  ts_powerMetricWeeks_bayesian: (c) => weeksCase(c.data, 'bayesian', null),
  ts_bayesian_power_roundtrip: (c) => powerVectorHandlers.ts_bayesian_power_roundtrip_checked?.(c.data),
  py_midexperiment_power_scaling: (c) => midExperimentCheck(c.data),
  seq_one_sided_greater_abs(c) {
    runTwoArm(c.data, ['pValue']);
    const e = c.data.expected;
    const se = e.uplift_stddev;
    const n = c.data.control.n + c.data.treatment.n;
    // The lower bound stays below zero on a fine grid of levels, so no level rejects: p is the cap.
    for (let a = 1e-5; a < 0.4999; a += 0.0005) {
      expect(e.expected - sequentialOneSidedHalfWidth(se * se, n, a, 5000)).toBeLessThan(0);
    }
    const r = analyzePair(toStats(c.data.control), toStats(c.data.treatment), {
      engine: 'frequentist',
      difference: 'absolute',
      alpha: 0.05,
      sided: 'greater',
      sequentialTuning: 5000,
    });
    expect(r.pValue).toBe(ONE_SIDED_P_MAX);
  },
  srm_9(c) {
    const r = checkSrm(c.data.users, c.data.weights);
    const chi = (10 * 10) / 490 + (10 * 10) / 490;
    expect(r.dof).toBe(1);
    expectClose(r.pValue, chiSquareSf(chi, 1), { abs: 1e-14, rel: 1e-12 }, 'srm dof 1');
    expect(Math.abs(r.pValue - num(c.data.p_value)) > 0.1).toBe(true);
  },
};

describe('gbstats reference vectors', () => {
  const cases = allCases();
  const documented = DOCUMENTED_DIFFERENCES.filter((d) => d.file === FILE);

  it('covers every case of the file (66 test-asserted groups + 10 SRM values)', () => {
    expect(cases.length).toBe(doc._counts.test_asserted_vector_groups + doc._counts.srm_computed);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const d of documented) expect(cases.some((c) => c.id === d.id)).toBe(true);
    expect(Object.keys(documentedChecks).sort()).toEqual(documented.map((d) => d.id).sort());
  });

  for (const c of cases) {
    const diff = documented.find((d) => d.id === c.id);
    if (diff) {
      it(`${c.section} / ${c.id} (documented difference)`, () => documentedChecks[c.id]?.(c));
    } else {
      it(`${c.section} / ${c.id}`, () => runCase(c));
    }
  }
});
