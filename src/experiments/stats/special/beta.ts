/** Regularized incomplete beta I_x(a, b) by Lentz's continued fraction. */
import { logGamma } from './gamma.ts';

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 2000;

function continuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** Stirling correction lgamma(x) - [(x - 1/2) ln x - x + ln(2 pi)/2], for x >= 10. */
function stirlingCorrection(x: number): number {
  const r = 1 / (x * x);
  return (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / x;
}

/** ln Γ(big) - ln Γ(big + small) for big >= 10 without cancelling two huge log-gammas. */
function logGammaRatio(big: number, small: number): number {
  const s = big + small;
  return (
    -(big - 0.5) * Math.log1p(small / big) -
    small * Math.log(s) +
    small +
    stirlingCorrection(big) -
    stirlingCorrection(s)
  );
}

export function logBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big < 10) return logGamma(a) + logGamma(b) - logGamma(a + b);
  return logGamma(small) + logGammaRatio(big, small);
}

/**
 * I_x(a, b); `upper` returns 1 - I_x(a, b) without cancellation. Pass y = 1 - x when it is known more
 * precisely than by subtraction (large a or b amplify the error of ln x).
 */
export function incompleteBeta(x: number, a: number, b: number, upper = false, y = 1 - x): number {
  if (x <= 0) return upper ? 1 : 0;
  if (y <= 0) return upper ? 0 : 1;
  const logX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const logY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const logFront = a * logX + b * logY - logBeta(a, b);
  // The fraction converges fast on this side; otherwise use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
  if (x < (a + 1) / (a + b + 2)) {
    const v = (Math.exp(logFront) * continuedFraction(a, b, x)) / a;
    return upper ? 1 - v : v;
  }
  const w = (Math.exp(logFront) * continuedFraction(b, a, y)) / b;
  return upper ? w : 1 - w;
}
