/** Noncentral t CDF by the Poisson-mixture series of incomplete betas (Lenth, AS 243 form). */
import { incompleteBeta } from './beta.ts';
import { logGamma } from './gamma.ts';
import { normCdf } from './normal.ts';
import { tCdf } from './student-t.ts';

/** P(T <= t) for T noncentral t with `df` degrees of freedom and noncentrality `ncp`. */
export function noncentralTCdf(t: number, df: number, ncp: number): number {
  if (ncp === 0) return tCdf(t, df);
  if (t < 0) return 1 - noncentralTCdf(-t, df, -ncp);
  const x = (t * t) / (t * t + df);
  const y = df / (t * t + df);
  const lambda = (ncp * ncp) / 2;
  let sum = 0;
  for (let j = 0; j < 2000; j++) {
    const logP = -lambda + j * Math.log(lambda) - logGamma(j + 1);
    const logQ = -lambda + j * Math.log(lambda) - logGamma(j + 1.5);
    const p = Math.exp(logP);
    const q = (ncp / Math.SQRT2) * Math.exp(logQ);
    const term =
      p * incompleteBeta(x, j + 0.5, df / 2, false, y) + q * incompleteBeta(x, j + 1, df / 2, false, y);
    sum += term;
    if (j > lambda && p + Math.abs(q) < 1e-17) break;
  }
  return Math.min(1, Math.max(0, normCdf(-ncp) + 0.5 * sum));
}
