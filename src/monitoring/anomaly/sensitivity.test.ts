import { describe, expect, it } from 'vitest';
import {
  falseAlarmRate,
  probabilityFromZ,
  tailProbability,
  upperTail,
  zFromTail,
  zThreshold,
} from './sensitivity.ts';

describe('sensitivity mapping', () => {
  it('accepts 1e-3 false alarms per point at s = 1 and ten times fewer per 0.05 below', () => {
    expect(falseAlarmRate(1)).toBeCloseTo(1e-3, 15);
    expect(falseAlarmRate(0.95)).toBeCloseTo(1e-4, 15);
    expect(falseAlarmRate(0.9)).toBeCloseTo(1e-5, 16);
    expect(falseAlarmRate(0)).toBeCloseTo(1e-23, 30);
    // Out-of-range sensitivities are clamped.
    expect(falseAlarmRate(1.5)).toBe(falseAlarmRate(1));
  });

  it('gives the normal tail to 7 digits, far into it', () => {
    expect(upperTail(0)).toBeCloseTo(0.5, 7);
    expect(upperTail(1.959964)).toBeCloseTo(0.025, 7);
    expect(upperTail(-1.959964)).toBeCloseTo(0.975, 7);
    // Φ(−6) = 9.865876e-10.
    expect(upperTail(6) / 9.865876e-10).toBeCloseTo(1, 5);
  });

  it('maps the default sensitivity 0.95 to |z| ≥ 3.89 (two-sided) and 3.72 (one-sided)', () => {
    expect(zThreshold(0.95, 2)).toBeCloseTo(3.8906, 3);
    expect(zThreshold(0.95, 1)).toBeCloseTo(3.719, 3);
    expect(zThreshold(1, 2)).toBeCloseTo(3.2905, 3);
    // Two tests share α: each needs 5e-5 two-sided.
    expect(zThreshold(0.95, 2, 2)).toBeCloseTo(4.0556, 3);
  });

  it('inverts the tail and puts probabilities on [0, 1]', () => {
    for (const z of [-2, 0, 0.5, 3, 7.5]) expect(zFromTail(tailProbability(z, 1), 1)).toBeCloseTo(z, 6);
    expect(probabilityFromZ(0, 2)).toBe(0);
    expect(probabilityFromZ(-1.959964, 2)).toBeCloseTo(0.95, 6);
    expect(probabilityFromZ(3.8906, 2)).toBeCloseTo(0.9999, 6);
  });
});
