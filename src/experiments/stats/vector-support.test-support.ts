/** Helpers shared by the reference-vector tests: stat conversion and tolerances from `compare` text. */
import { expect } from 'vitest';
import { num } from './load-vectors.test-support.ts';
import type { MomentSums, VariationStats } from './sufficient-stats.ts';

// biome-ignore lint/suspicious/noExplicitAny: vector JSON is untyped by nature
export type Json = any;

function sums(x: Json, n: number): MomentSums {
  return { n: x.n ?? n, sum: x.sum, sumSquares: x.sum_squares ?? x.sum };
}

export function toStats(x: Json): VariationStats {
  switch (x.type) {
    case 'mean':
      return { type: 'mean', n: x.n, sum: x.sum, sumSquares: x.sum_squares };
    case 'proportion':
      return { type: 'proportion', n: x.n, sum: x.sum };
    case 'ratio':
      return {
        type: 'ratio',
        n: x.n,
        m: sums(x.m, x.n),
        d: sums(x.d, x.n),
        mdSumOfProducts: x.m_d_sum_of_products,
      };
    case 'mean_ra':
      return {
        type: 'mean_ra',
        n: x.n,
        post: toStats(x.post) as never,
        pre: toStats(x.pre) as never,
        postPreSumOfProducts: x.post_pre_sum_of_products,
        theta: x.theta ?? null,
      };
    case 'ratio_ra':
      return {
        type: 'ratio_ra',
        n: x.n,
        mPost: sums(x.m_post, x.n),
        dPost: sums(x.d_post, x.n),
        mPre: sums(x.m_pre, x.n),
        dPre: sums(x.d_pre, x.n),
        mPostMPreSumOfProducts: x.m_post_m_pre_sum_of_products,
        dPostDPreSumOfProducts: x.d_post_d_pre_sum_of_products,
        mPreDPreSumOfProducts: x.m_pre_d_pre_sum_of_products,
        mPostDPostSumOfProducts: x.m_post_d_post_sum_of_products,
        mPostDPreSumOfProducts: x.m_post_d_pre_sum_of_products,
        mPreDPostSumOfProducts: x.m_pre_d_post_sum_of_products,
        theta: x.theta ?? null,
      };
    case 'quantile':
      return {
        type: 'quantile',
        n: x.n,
        nStar: x.n_star,
        nu: x.nu,
        quantileHat: x.quantile_hat,
        quantileLower: x.quantile_lower,
        quantileUpper: x.quantile_upper,
      };
    default:
      throw new Error(`unsupported statistic type ${x.type}`);
  }
}

/** A tolerance as stated by a case's `compare` text: absolute half-unit of the last digit, or relative. */
export type Tolerance = { abs: number; rel: number };

export function toleranceOf(compare: string): Tolerance {
  const c = compare.replace(/\s+/g, ' ');
  const round = /round\([^,]+, ?(\d+)\)/.exec(c) ?? /toFixed\((\d+)\)/.exec(c) ?? /places=(\d+)/.exec(c);
  if (round) return { abs: 0.5 * 10 ** -Number(round[1]) + 1e-15, rel: 0 };
  if (/1e-9 relative/.test(c)) return { abs: 1e-15, rel: 1e-9 };
  if (/^exact/.test(c)) return { abs: 1e-12, rel: 0 };
  throw new Error(`no tolerance understood in "${compare}"`);
}

export function expectClose(actual: number, expected: unknown, tol: Tolerance, label: string): void {
  const e = num(expected);
  if (!Number.isFinite(e)) {
    expect(actual, label).toBe(e);
    return;
  }
  const allowed = Math.max(tol.abs, tol.rel * Math.abs(e));
  if (!(Math.abs(actual - e) <= allowed)) {
    throw new Error(`${label}: expected ${e} ± ${allowed}, got ${actual} (diff ${actual - e})`);
  }
}
