/** Chi-square distribution tail via the regularized incomplete gamma. */
import { gammaP, gammaQ } from './gamma.ts';

export function chiSquareCdf(x: number, dof: number): number {
  return gammaP(dof / 2, x / 2);
}

/** P(X > x): the p-value of a chi-square statistic. */
export function chiSquareSf(x: number, dof: number): number {
  return gammaQ(dof / 2, x / 2);
}
