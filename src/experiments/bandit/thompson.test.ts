import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/seeded-random.ts';
import { beta, gamma } from './random.ts';
import { SEED_SCENARIO, simulate } from './regret-simulation.ts';
import { roundWeights, thompsonWeights, withFloor } from './thompson.ts';

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('seeded samplers', () => {
  it('repeat with the seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('draw Gamma and Beta with the right means (20,000 draws, 2 % tolerance)', () => {
    const r = seededRandom(1);
    const g = Array.from({ length: 20_000 }, () => gamma(3, r));
    expect(mean(g)).toBeCloseTo(3, 1);
    const small = Array.from({ length: 20_000 }, () => gamma(0.5, r));
    expect(Math.abs(mean(small) - 0.5)).toBeLessThan(0.02);
    const bs = Array.from({ length: 20_000 }, () => beta(2, 8, r));
    expect(Math.abs(mean(bs) - 0.2)).toBeLessThan(0.004);
  });
});

describe('Thompson sampling weights', () => {
  it('keeps the floor and sums to 1', () => {
    const w = withFloor([1, 0, 0], 0.01);
    expect(w).toEqual([0.98, 0.01, 0.01]);
    expect(roundWeights([0.33333, 0.33333, 0.33334]).reduce((s, x) => s + x, 0)).toBe(1);
  });

  it('splits evenly between arms with the same evidence', () => {
    const arms = [
      { n: 1000, sum: 100, sumSquares: 100 },
      { n: 1000, sum: 100, sumSquares: 100 },
    ];
    const w = thompsonWeights(arms, { kind: 'binary', floor: 0.01, random: seededRandom(3) });
    expect(Math.abs((w[0] as number) - 0.5)).toBeLessThan(0.03);
  });

  it('moves almost all traffic to a clearly better conversion arm, but never below the floor', () => {
    const arms = [
      { n: 2000, sum: 100, sumSquares: 100 },
      { n: 2000, sum: 200, sumSquares: 200 },
    ];
    const w = thompsonWeights(arms, { kind: 'binary', floor: 0.01, random: seededRandom(3) });
    expect(w[1]).toBeGreaterThan(0.98);
    expect(w[0]).toBeGreaterThanOrEqual(0.01);
  });

  it('uses normal posteriors for means, and the smaller mean wins when lower is better', () => {
    // arm 0: mean 10, arm 1: mean 12, both sd ≈ 2 over 500 units
    const arm = (m: number) => ({ n: 500, sum: 500 * m, sumSquares: 500 * m * m + 499 * 4 });
    const up = thompsonWeights([arm(10), arm(12)], { kind: 'mean', floor: 0, random: seededRandom(5) });
    expect(up[1]).toBeGreaterThan(0.99);
    const down = thompsonWeights([arm(10), arm(12)], {
      kind: 'mean',
      direction: 'decrease',
      floor: 0,
      random: seededRandom(5),
    });
    expect(down[0]).toBeGreaterThan(0.99);
  });
});

describe('regret simulation (the documented scenario, seed 1)', () => {
  const fixed = simulate({ ...SEED_SCENARIO, seed: 1 }, 'fixed');
  const bandit = simulate({ ...SEED_SCENARIO, seed: 1 }, 'thompson');
  const oracle = simulate({ ...SEED_SCENARIO, seed: 1 }, 'oracle');

  it('fixed 50/25/25 loses exactly the weighted gap every visitor', () => {
    // 30,000 visitors; expected gap 0.5·0.01 + 0.25·0.005 = 0.00625 per visitor → about 187.5
    expect(Math.abs((fixed.regretByDay.at(-1) as number) - 187.5)).toBeLessThan(10);
    expect(oracle.regretByDay.at(-1)).toBe(0);
  });

  it('the bandit ends with less regret than the fixed split and most weight on the best arm', () => {
    expect(bandit.regretByDay.at(-1) as number).toBeLessThan((fixed.regretByDay.at(-1) as number) / 2);
    expect(bandit.finalWeights[2]).toBeGreaterThan(0.5);
    expect(Math.min(...bandit.finalWeights)).toBeGreaterThanOrEqual(0.01);
  });
});
