import { type CenterSpread, MAD_TO_SIGMA, MEAN_ABS_DEV_TO_SIGMA, SPREAD_EPSILON } from './robust-stats.ts';

// A sliding window kept in insertion order and in sorted order, so the rolling detectors get the
// median and MAD in O(window) without sorting for every point (the suite scores ~250k points).

export class SortedWindow {
  private readonly order: number[] = [];
  private readonly sorted: number[] = [];

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.order.length;
  }

  /** Adds a value; the oldest one leaves when the window is full. */
  push(value: number): void {
    this.order.push(value);
    this.sorted.splice(this.lowerBound(value), 0, value);
    if (this.order.length > this.capacity) {
      const oldest = this.order.shift() as number;
      this.sorted.splice(this.lowerBound(oldest), 1);
    }
  }

  median(): number {
    return sortedMedian(this.sorted);
  }

  /** Same result as robustCenterSpread over the window's values. */
  centerSpread(): CenterSpread {
    return sortedCenterSpread(this.sorted);
  }

  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sorted[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export function sortedMedian(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median and MAD of an ascending array: deviations below and above the median are each sorted, so
 *  merging the two runs up to the middle gives the MAD without a second sort. */
export function sortedCenterSpread(sorted: readonly number[]): CenterSpread {
  const n = sorted.length;
  const center = sortedMedian(sorted);
  // Left run: center − sorted[l] for l descending from the split; right run: sorted[r] − center ascending.
  let r = lowerBoundOf(sorted, center);
  let l = r - 1;
  const k = n >> 1; // 0-based rank of the upper middle deviation
  let previous = 0;
  let current = 0;
  for (let taken = 0; taken <= k; taken++) {
    const left = l >= 0 ? center - (sorted[l] as number) : Number.POSITIVE_INFINITY;
    const right = r < n ? (sorted[r] as number) - center : Number.POSITIVE_INFINITY;
    previous = current;
    if (left <= right) {
      current = left;
      l--;
    } else {
      current = right;
      r++;
    }
  }
  const mad = n === 0 ? Number.NaN : n % 2 === 1 ? current : (previous + current) / 2;
  if (mad > 0) return { center, spread: mad * MAD_TO_SIGMA, source: 'mad' };
  let sumAbs = 0;
  for (const v of sorted) sumAbs += Math.abs(v - center);
  const meanAbs = n > 0 ? sumAbs / n : 0;
  if (meanAbs > 0) return { center, spread: meanAbs * MEAN_ABS_DEV_TO_SIGMA, source: 'mean-abs-dev' };
  return { center, spread: SPREAD_EPSILON * Math.max(1, Math.abs(center)), source: 'epsilon' };
}

function lowerBoundOf(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
