/**
 * Bayesian normal-approximation analysis of an effect: Gaussian prior (proper or flat) on the lift,
 * posterior, chance to beat control, expected loss (risk) and credible interval.
 */
import { normCdf, normPdf, normQuantile, normSf } from './special/normal.ts';

/** Prior on the relative lift; for absolute effects it is rescaled by the control mean. */
export type GaussianPrior = { mean: number; variance: number; proper: boolean };

export const FLAT_PRIOR: GaussianPrior = { mean: 0, variance: 1, proper: false };
/** The conventional proper prior when one is switched on: N(0, 0.3²) on the lift. */
export const DEFAULT_PROPER_PRIOR: GaussianPrior = { mean: 0, variance: 0.09, proper: true };

export type BayesianOutcome = {
  /** Posterior mean of the effect. */
  mean: number;
  /** Posterior standard deviation. */
  sd: number;
  ci: [number, number];
  chanceToWin: number;
  /** [expected loss choosing control, expected loss choosing treatment]. */
  risk: [number, number];
};

/** Expected losses [E[max(X,0)], E[max(-X,0)]] for X ~ N(mu, sigma²), in closed form. */
export function bayesianRisk(mu: number, sigma: number): [number, number] {
  const z = mu / sigma;
  const density = sigma * normPdf(z);
  return [Math.max(0, mu * normCdf(z) + density), Math.max(0, density - mu * normSf(z))];
}

/** Prior expressed on the effect's own scale (absolute effects: mean·|U_C|, variance·U_C²). */
export function scalePrior(prior: GaussianPrior, relative: boolean, baseline: number): GaussianPrior {
  if (relative) return prior;
  return {
    mean: prior.mean * Math.abs(baseline),
    variance: prior.variance * baseline * baseline,
    proper: prior.proper,
  };
}

export function bayesianPosterior(
  estimate: number,
  variance: number,
  prior: GaussianPrior,
  alpha: number,
  inverse = false,
): BayesianOutcome {
  let mean = estimate;
  let precision = 1 / variance;
  if (prior.proper) {
    const priorPrecision = 1 / prior.variance;
    mean = (estimate * precision + prior.mean * priorPrecision) / (precision + priorPrecision);
    precision += priorPrecision;
  }
  const sd = Math.sqrt(1 / precision);
  const z = normQuantile(1 - alpha / 2);
  const pWin = normSf(-mean / sd);
  const risk = bayesianRisk(mean, sd);
  return {
    mean,
    sd,
    ci: [mean - z * sd, mean + z * sd],
    chanceToWin: inverse ? 1 - pWin : pWin,
    risk: inverse ? [risk[1], risk[0]] : risk,
  };
}
