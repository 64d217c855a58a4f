/** Standard normal distribution: density, CDF (Hart/West double-precision rational form) and quantile. */

const SQRT_2PI = 2.5066282746310002;

export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/** Lower tail P(Z <= -xabs): Hart's rational form near the centre, Laplace's continued fraction beyond 3. */
function lowerTail(xabs: number): number {
  if (xabs > 38) return 0;
  const e = Math.exp(-0.5 * xabs * xabs);
  if (xabs < 3) {
    let n = 3.52624965998911e-2 * xabs + 0.700383064443688;
    n = n * xabs + 6.37396220353165;
    n = n * xabs + 33.912866078383;
    n = n * xabs + 112.079291497871;
    n = n * xabs + 221.213596169931;
    n = n * xabs + 220.206867912376;
    let d = 8.83883476483184e-2 * xabs + 1.75566716318264;
    d = d * xabs + 16.064177579207;
    d = d * xabs + 86.7807322029461;
    d = d * xabs + 296.564248779674;
    d = d * xabs + 637.333633378831;
    d = d * xabs + 793.826512519948;
    d = d * xabs + 440.413735824752;
    return (e * n) / d;
  }
  // Continued fraction for the Mills ratio: 60 terms reach full double precision for |x| >= 3.
  let b = xabs;
  for (let k = 60; k >= 1; k--) b = xabs + k / b;
  return e / b / SQRT_2PI;
}

/** P(Z <= x). */
export function normCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return x > 0 ? 1 - lowerTail(x) : lowerTail(-x);
}

/** P(Z > x), accurate in the upper tail. */
export function normSf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return x < 0 ? 1 - lowerTail(-x) : lowerTail(x);
}

const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
] as const;
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
] as const;
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/** Acklam's rational approximation (rel. error 1.2e-9), for p <= 0.5 expressed via the lower tail. */
function acklamLower(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/** Inverse of normCdf: Acklam's start refined by Halley steps on the accurate tail (≈1e-15). */
export function normQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // Work in the lower half so the tail probability keeps full relative precision.
  const upper = p > 0.5;
  const pl = upper ? 1 - p : p;
  let x = acklamLower(pl);
  for (let i = 0; i < 2; i++) {
    const e = lowerTail(-x) - pl;
    const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
    x = x - u / (1 + 0.5 * x * u);
  }
  return upper ? -x : x;
}
