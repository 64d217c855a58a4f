import { describe, expect, it } from 'vitest';
import { LEVEL_SHIFT_DEFAULTS, levelShiftScore } from './level-shift.ts';
import { createRandom } from './random.ts';
import { robustZScore } from './robust-z-score.ts';

const noise = (n: number, seed: number) => {
  const r = createRandom(seed);
  return Array.from({ length: n }, () => r.normal());
};
const flagged = (flags: boolean[]) => flags.flatMap((f, i) => (f ? [i] : []));

describe('level-shift detector (recent median against reference median)', () => {
  it('warms up on minReference + recent points, then minCalibration statistics', () => {
    const { scores } = levelShiftScore(noise(300, 1));
    const first =
      LEVEL_SHIFT_DEFAULTS.recent +
      LEVEL_SHIFT_DEFAULTS.minReference +
      LEVEL_SHIFT_DEFAULTS.minCalibration -
      1;
    expect(scores.slice(0, first).every((s) => s === null)).toBe(true);
    expect(scores[first]).not.toBeNull();
  });

  it('catches a 3σ step within its first 6 points, where the point detector sees a few borderline points', () => {
    const values = noise(600, 2).map((v, i) => (i >= 400 ? v + 3 : v));
    const level = flagged(levelShiftScore(values).flags).filter((i) => i >= 400);
    expect(level[0]).toBeLessThan(406);
    const points = robustZScore(values).scores.slice(400, 406) as number[];
    expect(points.filter((z) => Math.abs(z) >= LEVEL_SHIFT_DEFAULTS.threshold).length).toBeLessThan(3);
  });

  it('gives the shift its sign', () => {
    const values = noise(600, 3).map((v, i) => (i >= 400 ? v - 5 : v));
    const { scores } = levelShiftScore(values);
    expect(scores[405] as number).toBeLessThan(-LEVEL_SHIFT_DEFAULTS.threshold);
  });

  it('ignores a lone spike: the recent median does not move', () => {
    const values = noise(600, 4);
    values[400] = 50;
    expect(flagged(levelShiftScore(values).flags).filter((i) => i >= 400 && i < 406)).toEqual([]);
    expect(Math.abs(levelShiftScore(values).scores[400] as number)).toBeLessThan(2);
  });

  it('keeps false alarms on white noise near its nominal rate (measured 3e-4 at 1e-4 nominal: docs)', () => {
    const { scores, flags } = levelShiftScore(noise(20_000, 5));
    const scored = scores.filter((s) => s !== null).length;
    expect(flagged(flags).length / scored).toBeLessThan(6e-4);
  });

  it('skips missing values', () => {
    const values: (number | null)[] = noise(400, 6);
    values[300] = null;
    const { scores, flags } = levelShiftScore(values);
    expect(scores[300]).toBeNull();
    expect(flags[300]).toBe(false);
    expect(scores[301]).not.toBeNull();
  });
});
