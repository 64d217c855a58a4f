import { createRandom, type Random } from './random.ts';
import { zFromTail } from './sensitivity.ts';

// Isolation forest (Liu, Ting & Zhou 2008) for points of several metrics at once: anomalies are few and
// different, so random axis-aligned splits isolate them in fewer steps. s(x) = 2^(−E[h(x)] / c(ψ)).
// Deterministic: every random choice comes from the seeded generator.

export interface IsolationForestOptions {
  trees: number;
  /** ψ: points drawn (without replacement) for each tree. */
  sampleSize: number;
  seed: number;
}

export const ISOLATION_FOREST_DEFAULTS: IsolationForestOptions = { trees: 100, sampleSize: 256, seed: 1 };

type IsolationNode =
  | { leaf: true; size: number }
  | { leaf: false; feature: number; split: number; left: IsolationNode; right: IsolationNode };

export interface IsolationForest {
  trees: IsolationNode[];
  dimensions: number;
  /** ψ actually used: min(sampleSize, number of fitted points). */
  sampleSize: number;
  /** c(ψ): the normaliser of path lengths. */
  normaliser: number;
  /** Scores of the fitted points, ascending, and the exponential tail fitted above their 90th percentile. */
  calibration: TailCalibration;
}

/** Peaks over threshold (as in SPOT, Siffer et al. 2017): above the 90th percentile u of the fitted
 *  points' scores, P(score > s) = 0.1 · exp(−(s − u) / β) with β the mean excess over u. Forest scores
 *  saturate beyond the fitted range, so the fitted points alone cannot give a 1-in-10,000 threshold. */
export interface TailCalibration {
  sortedScores: number[];
  u: number;
  beta: number;
}

export const TAIL_QUANTILE = 0.9;

export function calibrateTail(scores: readonly number[]): TailCalibration {
  const sortedScores = [...scores].sort((a, b) => a - b);
  const u = sortedScores[Math.floor(TAIL_QUANTILE * (sortedScores.length - 1))] as number;
  const excesses = sortedScores.filter((v) => v > u).map((v) => v - u);
  const beta = excesses.length === 0 ? Number.EPSILON : excesses.reduce((a, b) => a + b, 0) / excesses.length;
  return { sortedScores, u, beta: Math.max(beta, Number.EPSILON) };
}

/** P(a fitted-like point scores ≥ score): empirical up to u, the exponential tail above it. */
export function tailOf(calibration: TailCalibration, score: number): number {
  const { sortedScores, u, beta } = calibration;
  if (score > u) return (1 - TAIL_QUANTILE) * Math.exp(-(score - u) / beta);
  let lo = 0;
  let hi = sortedScores.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sortedScores[mid] as number) < score) lo = mid + 1;
    else hi = mid;
  }
  return (sortedScores.length - lo) / sortedScores.length;
}

const EULER_GAMMA = 0.5772156649015329;

function harmonic(n: number): number {
  if (n <= 1000) {
    let sum = 0;
    for (let k = 1; k <= n; k++) sum += 1 / k;
    return sum;
  }
  return Math.log(n) + EULER_GAMMA + 1 / (2 * n);
}

/** c(n): average path length of an unsuccessful search in a binary search tree of n points. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  return 2 * harmonic(n - 1) - (2 * (n - 1)) / n;
}

function buildTree(
  points: readonly (readonly number[])[],
  depth: number,
  limit: number,
  random: Random,
): IsolationNode {
  if (depth >= limit || points.length <= 1) return { leaf: true, size: points.length };
  const dimensions = (points[0] as readonly number[]).length;
  const ranges: { feature: number; min: number; max: number }[] = [];
  for (let f = 0; f < dimensions; f++) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const p of points) {
      const v = p[f] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (max > min) ranges.push({ feature: f, min, max });
  }
  // All points equal on every feature: nothing can separate them.
  if (ranges.length === 0) return { leaf: true, size: points.length };
  const { feature, min, max } = ranges[random.int(ranges.length)] as (typeof ranges)[number];
  const split = random.uniform(min, max);
  const left = points.filter((p) => (p[feature] as number) < split);
  const right = points.filter((p) => (p[feature] as number) >= split);
  return {
    leaf: false,
    feature,
    split,
    left: buildTree(left, depth + 1, limit, random),
    right: buildTree(right, depth + 1, limit, random),
  };
}

function treePathLength(node: IsolationNode, point: readonly number[], depth: number): number {
  let current = node;
  let d = depth;
  while (!current.leaf) {
    current = (point[current.feature] as number) < current.split ? current.left : current.right;
    d++;
  }
  // A leaf holding several points stands for a subtree that was not grown: add its expected depth.
  return d + averagePathLength(current.size);
}

function meanPathLength(trees: readonly IsolationNode[], point: readonly number[]): number {
  let sum = 0;
  for (const tree of trees) sum += treePathLength(tree, point, 0);
  return sum / trees.length;
}

export function fitIsolationForest(
  points: readonly (readonly number[])[],
  options: Partial<IsolationForestOptions> = {},
): IsolationForest {
  const o = { ...ISOLATION_FOREST_DEFAULTS, ...options };
  if (points.length < 2) throw new RangeError('an isolation forest needs at least 2 points');
  const dimensions = (points[0] as readonly number[]).length;
  if (points.some((p) => p.length !== dimensions || p.some((v) => !Number.isFinite(v)))) {
    throw new RangeError(`every point needs ${dimensions} finite coordinates`);
  }
  const random = createRandom(o.seed);
  const sampleSize = Math.min(o.sampleSize, points.length);
  const heightLimit = Math.ceil(Math.log2(sampleSize));
  const indices = points.map((_, i) => i);
  const trees: IsolationNode[] = [];
  for (let t = 0; t < o.trees; t++) {
    // Partial Fisher–Yates: the first sampleSize indices become a uniform sample without replacement.
    for (let i = 0; i < sampleSize; i++) {
      const j = i + random.int(indices.length - i);
      [indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
    }
    const sample = indices.slice(0, sampleSize).map((i) => points[i] as readonly number[]);
    trees.push(buildTree(sample, 0, heightLimit, random));
  }
  const normaliser = averagePathLength(sampleSize);
  const calibration = calibrateTail(points.map((p) => 2 ** -(meanPathLength(trees, p) / normaliser)));
  return { trees, dimensions, sampleSize, normaliser, calibration };
}

export interface IsolationScore {
  /** E[h(x)]: mean path length over the trees. */
  pathLength: number;
  /** s(x) = 2^(−E[h(x)]/c(ψ)) in (0, 1]: near 1 anomalous, at or below 0.5 ordinary. */
  score: number;
  /** Estimated share of points like the fitted ones that score at least this (see TailCalibration). */
  tail: number;
  /** The one-sided normal z with that tail: the forest's score on the detectors' common scale. */
  z: number;
}

export function scoreIsolationForest(forest: IsolationForest, point: readonly number[]): IsolationScore {
  if (point.length !== forest.dimensions) {
    throw new RangeError(`expected ${forest.dimensions} coordinates, got ${point.length}`);
  }
  const pathLength = meanPathLength(forest.trees, point);
  const score = 2 ** -(pathLength / forest.normaliser);
  const tail = tailOf(forest.calibration, score);
  return { pathLength, score, tail, z: zFromTail(tail, 1) };
}
