/** Special functions against scipy values across body and tails (relative accuracy where it matters). */
import { describe, expect, it } from 'vitest';
import { incompleteBeta } from './beta.ts';
import { chiSquareCdf, chiSquareSf } from './chi-square.ts';
import { logGamma } from './gamma.ts';
import { noncentralTCdf } from './noncentral-t.ts';
import { normCdf, normPdf, normQuantile, normSf } from './normal.ts';
import {
  BETA_INC,
  CHI2_SF,
  LOG_GAMMA,
  NCT_CDF,
  NORM_CDF,
  NORM_PPF,
  NORM_SF,
  T_CDF,
  T_PPF,
} from './scipy-table.test-support.ts';
import { tCdf, tPdf, tQuantile, tSf } from './student-t.ts';

/** |a - e| within `rel` of |e|, or `abs` for values near zero. */
function close(a: number, e: number, rel: number, abs = 0): void {
  const ok = a === e || Math.abs(a - e) <= Math.max(abs, rel * Math.abs(e));
  if (!ok) throw new Error(`expected ${e}, got ${a} (rel ${(a - e) / e})`);
}

describe('normal distribution', () => {
  it('cdf matches scipy to 1e-10 relative, also deep in the lower tail', () => {
    for (const [x, p] of NORM_CDF) close(normCdf(x), p, 1e-10, 1e-300);
  });
  it('survival function keeps relative precision in the upper tail', () => {
    for (const [x, p] of NORM_SF) close(normSf(x), p, 1e-10, 1e-300);
  });
  it('quantile inverts the cdf to 1e-12', () => {
    for (const [p, x] of NORM_PPF) close(normQuantile(p), x, 1e-12, 1e-13);
    expect(normQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normQuantile(1.5)).toBeNaN();
  });
  it('density integrates to the cdf difference (Simpson on [-1, 1])', () => {
    let s = 0;
    const h = 1e-3;
    for (let i = 0; i < 2000; i += 2) {
      const x = -1 + i * h;
      s += (h / 3) * (normPdf(x) + 4 * normPdf(x + h) + normPdf(x + 2 * h));
    }
    close(s, normCdf(1) - normCdf(-1), 1e-12);
  });
});

describe('Student t distribution', () => {
  it('cdf and survival match scipy to 1e-10 relative for df from 1 to 1e7', () => {
    for (const [t, df, cdf, sf] of T_CDF) {
      close(tCdf(t, df), cdf, 1e-10, 1e-300);
      close(tSf(t, df), sf, 1e-10, 1e-300);
    }
  });
  it('quantile matches scipy to 1e-10 relative', () => {
    for (const [p, df, q] of T_PPF) close(tQuantile(p, df), q, 1e-10, 1e-12);
  });
  it('is symmetric and tends to the normal', () => {
    for (const df of [1, 3.3, 40]) close(tCdf(-1.3, df) + tCdf(1.3, df), 1, 1e-14);
    close(tQuantile(0.975, 1e13), normQuantile(0.975), 1e-12);
    close(tPdf(0, 1), 1 / Math.PI, 1e-13);
  });
});

describe('chi-square, incomplete beta and gamma', () => {
  it('chi-square survival matches scipy to 1e-10 relative', () => {
    for (const [x, df, p] of CHI2_SF) close(chiSquareSf(x, df), p, 1e-10, 1e-300);
    close(chiSquareCdf(3.841458820694124, 1), 0.95, 1e-12);
  });
  it('regularized incomplete beta matches scipy, including very unbalanced shapes', () => {
    for (const [x, a, b, v] of BETA_INC) close(incompleteBeta(x, a, b), v, 1e-10, 1e-300);
    close(incompleteBeta(0.3, 2, 3, true) + incompleteBeta(0.3, 2, 3), 1, 1e-15);
  });
  it('log-gamma matches scipy', () => {
    for (const [x, v] of LOG_GAMMA) close(logGamma(x), v, 1e-13, 1e-14);
  });
  it('noncentral t cdf matches scipy', () => {
    for (const [t, df, ncp, v] of NCT_CDF) close(noncentralTCdf(t, df, ncp), v, 1e-9, 1e-14);
  });
});
