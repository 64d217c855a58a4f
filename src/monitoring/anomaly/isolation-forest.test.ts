import { describe, expect, it } from 'vitest';
import {
  averagePathLength,
  calibrateTail,
  fitIsolationForest,
  scoreIsolationForest,
  TAIL_QUANTILE,
  tailOf,
} from './isolation-forest.ts';
import { createRandom } from './random.ts';

const cloud = (n: number, seed: number, dims = 2) => {
  const r = createRandom(seed);
  return Array.from({ length: n }, () => Array.from({ length: dims }, () => r.normal()));
};

describe('isolation forest', () => {
  it('normalises by c(n), the average unsuccessful-search path in a BST', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBeCloseTo(1, 12);
    // c(256) = 2·H(255) − 2·255/256 = 2·6.12434 − 1.99219 = 10.2487
    expect(averagePathLength(256)).toBeCloseTo(10.2487, 3);
    // The large-n approximation continues the exact sum smoothly.
    expect(averagePathLength(1001) - averagePathLength(1000)).toBeCloseTo(2 / 1000, 4);
  });

  it('scores an isolated point higher than points of the cloud; a typical point near 0.5 or below', () => {
    const forest = fitIsolationForest(cloud(500, 1));
    const outlier = scoreIsolationForest(forest, [6, -6]);
    const inlier = scoreIsolationForest(forest, [0, 0]);
    expect(outlier.score).toBeGreaterThan(0.65);
    expect(inlier.score).toBeLessThan(0.5);
    expect(outlier.pathLength).toBeLessThan(inlier.pathLength);
    expect(outlier.score).toBeCloseTo(2 ** -(outlier.pathLength / forest.normaliser), 12);
    expect(outlier.z).toBeGreaterThan(inlier.z);
  });

  it('sees a point that is ordinary on each axis but not jointly', () => {
    // Two strongly correlated metrics: (2, −2) is inside each marginal range, outside the joint cloud.
    const r = createRandom(2);
    const points = Array.from({ length: 600 }, () => {
      const x = r.normal();
      return [x, x + 0.1 * r.normal()];
    });
    const forest = fitIsolationForest(points);
    expect(scoreIsolationForest(forest, [2, -2]).score).toBeGreaterThan(
      scoreIsolationForest(forest, [2, 2]).score,
    );
  });

  it('subsamples ψ = min(256, n) points per tree and limits depth to ⌈log2 ψ⌉', () => {
    expect(fitIsolationForest(cloud(1000, 3)).sampleSize).toBe(256);
    const small = fitIsolationForest(cloud(10, 3), { trees: 5 });
    expect(small.sampleSize).toBe(10);
    expect(small.trees).toHaveLength(5);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const points = cloud(400, 4);
    const a = scoreIsolationForest(fitIsolationForest(points, { seed: 7 }), [1, 2]);
    const b = scoreIsolationForest(fitIsolationForest(points, { seed: 7 }), [1, 2]);
    const c = scoreIsolationForest(fitIsolationForest(points, { seed: 8 }), [1, 2]);
    expect(b).toEqual(a);
    expect(c.pathLength).not.toBe(a.pathLength);
  });

  it('copes with identical points (nothing to split) and rejects malformed input', () => {
    const forest = fitIsolationForest(Array.from({ length: 50 }, () => [3, 3]));
    expect(scoreIsolationForest(forest, [3, 3]).pathLength).toBeCloseTo(averagePathLength(50), 12);
    expect(() => fitIsolationForest([[1, 2]])).toThrow(RangeError);
    expect(() => fitIsolationForest([[1, 2], [1]])).toThrow(RangeError);
    expect(() =>
      fitIsolationForest([
        [1, Number.NaN],
        [1, 2],
      ]),
    ).toThrow(RangeError);
    expect(() => scoreIsolationForest(forest, [1])).toThrow(RangeError);
  });
});

describe('tail calibration (peaks over threshold)', () => {
  it('is empirical up to the 90th percentile and exponential with the mean excess above it', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i / 100); // 0.00 … 0.99
    const c = calibrateTail(scores);
    expect(c.u).toBeCloseTo(0.89, 12);
    // Excesses over 0.89: 0.01 … 0.10 → mean 0.055.
    expect(c.beta).toBeCloseTo(0.055, 12);
    expect(tailOf(c, 0.5)).toBeCloseTo(0.5, 12);
    expect(tailOf(c, 0.89 + 0.055 * Math.log(10))).toBeCloseTo((1 - TAIL_QUANTILE) / 10, 12);
  });
});
