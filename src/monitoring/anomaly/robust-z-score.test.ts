import { describe, expect, it } from 'vitest';
import { createRandom } from './random.ts';
import { ROBUST_Z_DEFAULTS, robustZScore } from './robust-z-score.ts';

const noise = (n: number, seed: number, level = 100, sigma = 5) => {
  const r = createRandom(seed);
  return Array.from({ length: n }, () => level + sigma * r.normal());
};

describe('rolling robust z-score', () => {
  it('scores nothing before minHistory previous points', () => {
    const { scores, flags } = robustZScore(noise(30, 1));
    expect(scores.slice(0, ROBUST_Z_DEFAULTS.minHistory).every((s) => s === null)).toBe(true);
    expect(scores[ROBUST_Z_DEFAULTS.minHistory]).not.toBeNull();
    expect(flags.every((f) => !f)).toBe(true);
  });

  it('scores a point against the points before it only (no look-ahead)', () => {
    const values = noise(300, 2);
    const base = robustZScore(values).scores;
    const changed = [...values];
    changed[200] = 1e6;
    const after = robustZScore(changed).scores;
    expect(after.slice(0, 200)).toEqual(base.slice(0, 200));
    expect(after[200]).toBeGreaterThan(1000);
  });

  it('is the distance from the window median in σ-equivalents of the MAD', () => {
    // History 1..5 (median 3, MAD 1): 3 + 1.4826·4 is exactly 4 σ-equivalents up.
    const { scores } = robustZScore([1, 2, 3, 4, 5, 3 + 1.482602218505602 * 4], { minHistory: 5 });
    expect(scores[5]).toBeCloseTo(4, 12);
  });

  it('flags a spike and a drop in noise and nothing else', () => {
    const values = noise(500, 3);
    values[300] = 100 + 8 * 5;
    values[400] = 100 - 8 * 5;
    const { flags } = robustZScore(values);
    expect(flags.flatMap((f, i) => (f ? [i] : []))).toEqual([300, 400]);
  });

  it('forgets points older than the window', () => {
    // A level far below, then 24 points at 100 with a small spread: the window of 24 sees only those.
    const values = [...Array(50).fill(0), ...noise(24, 4, 100, 1), 100];
    const { scores } = robustZScore(values, { window: 24 });
    expect(Math.abs(scores.at(-1) as number)).toBeLessThan(4);
  });

  it('handles MAD = 0: a mostly-constant count series uses the mean absolute deviation', () => {
    // 0 most hours, 1 in one hour out of ten: MAD = 0, mean |dev| = 0.1 → σ ≈ 0.125.
    const values = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const { scores } = robustZScore([...values, 1], { window: 100 });
    expect(scores.at(-1)).toBeCloseTo(1 / (0.1 * Math.sqrt(Math.PI / 2)), 9);
  });

  it('handles a constant history: an equal value scores 0, any other value is extreme', () => {
    const { scores, flags } = robustZScore([...Array(30).fill(5), 5, 5.001]);
    expect(scores[30]).toBe(0);
    expect(flags[30]).toBe(false);
    expect(flags[31]).toBe(true);
  });

  it('skips missing values: not scored, not part of any window', () => {
    const values: (number | null)[] = noise(40, 5);
    values[35] = null;
    values[36] = Number.NaN;
    const { scores, flags } = robustZScore(values);
    expect(scores[35]).toBeNull();
    expect(scores[36]).toBeNull();
    expect(flags[35]).toBe(false);
    const withoutGaps = robustZScore(values.filter((v) => v !== null && !Number.isNaN(v))).scores;
    expect(scores[37]).toBe(withoutGaps[35]);
  });

  it('flags at the given threshold', () => {
    const values = [...noise(100, 6), 100 + 3 * 5];
    expect(robustZScore(values).flags.at(-1)).toBe(false);
    expect(robustZScore(values, { threshold: 2 }).flags.at(-1)).toBe(true);
  });
});
