/** Family-wise (Holm-Bonferroni) and false-discovery-rate (Benjamini-Hochberg) p-value adjustments. */
import { normCdf, normQuantile } from './special/normal.ts';

/** Stable insertion sort of indices (m is a handful of treatments: no closures, no allocations but one). */
function orderBy(p: readonly number[], ascending: boolean): number[] {
  const idx = new Array<number>(p.length);
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    let j = i;
    while (j > 0) {
      const w = p[idx[j - 1] as number] as number;
      if (!((ascending ? w - v : v - w) > 0)) break;
      idx[j] = idx[j - 1] as number;
      j--;
    }
    idx[j] = i;
  }
  return idx;
}

/** Holm step-down: sorted ascending, p_(i)·(m - i) with a running maximum; returned in input order. */
export function holmBonferroni(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const out = new Array<number>(m);
  const order = orderBy(pValues, true);
  let running = 0;
  for (let i = 0; i < m; i++) {
    const idx = order[i] as number;
    running = Math.max(running, Math.min(1, (pValues[idx] as number) * (m - i)));
    out[idx] = running;
  }
  return out;
}

/** Benjamini-Hochberg step-up: sorted descending, p·m/rank with a running minimum; input order. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const out = new Array<number>(m);
  const order = orderBy(pValues, false);
  let running = 1;
  for (let i = 0; i < m; i++) {
    const idx = order[i] as number;
    running = Math.min(running, Math.min(1, ((pValues[idx] as number) * m) / (m - i)));
    out[idx] = running;
  }
  return out;
}

let memoAlpha = Number.NaN;
let memoZ = Number.NaN;

/** A two-sided interval consistent with an adjusted p-value: the implied SE widened accordingly. */
export function adjustedInterval(pAdjusted: number, lift: number, alpha: number): [number, number] {
  // Every comparison of an analysis shares alpha: remember its z (exact-value memo, same result).
  if (alpha !== memoAlpha) {
    memoZ = normQuantile(1 - alpha / 2);
    memoAlpha = alpha;
  }
  const z = memoZ;
  const sd = Math.abs(lift / normQuantile(1 - pAdjusted / 2));
  return [lift - z * sd, lift + z * sd];
}

/**
 * Chance to win under a flat prior recovered from an estimate and its interval (one-sided intervals
 * use their finite side). No finite side means no information: 0.
 */
export function chanceToWinFromInterval(
  estimate: number,
  ci: readonly [number, number],
  alpha: number,
  inverse = false,
): number {
  const [lower, upper] = ci;
  const lowerFinite = Number.isFinite(lower);
  const upperFinite = Number.isFinite(upper);
  if (!lowerFinite && !upperFinite) return 0;
  const twoSided = lowerFinite && upperFinite;
  const half = twoSided ? (upper - lower) / 2 : lowerFinite ? estimate - lower : upper - estimate;
  const sd = half / normQuantile(1 - (twoSided ? alpha / 2 : alpha));
  const win = sd === 0 ? (estimate > 0 ? 1 : 0) : normCdf(estimate / sd);
  return inverse ? 1 - win : win;
}
