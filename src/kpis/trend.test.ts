import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  erfc,
  evaluateKpi,
  fitLinearTrend,
  normalCdf,
  predictAt,
  probabilityOfReaching,
  progressOf,
  type TrendPoint,
  verdictOf,
} from './trend.ts';

/** Points on consecutive days from 2026-01-01. */
const daily = (values: number[]): TrendPoint[] =>
  values.map((value, i) => ({ day: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10), value }));

// Hand-worked: days 0..3, values 1 3 2 4. x̄ = 1.5, ȳ = 2.5, Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5,
// Sxy = 2.25 − 0.25 − 0.25 + 2.25 = 4 → slope 0.8, intercept 2.5 − 0.8 × 1.5 = 1.3. Fitted 1.3 2.1
// 2.9 3.7, residuals −0.3 0.9 −0.9 0.3, SSE 1.8, s = √(1.8 / 2) = √0.9.
const FOUR = daily([1, 3, 2, 4]);

describe('normalCdf', () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145707],
    [1.959963984540054, 0.975],
    [2.326347874040841, 0.99],
    [-3, 0.0013498980316300946],
    [-6, 9.865876450376946e-10],
    [-10, 7.619853024160525e-24],
    [8, 1 - 6.22096057427178e-16],
  ])('Φ(%d) = %d within 2e-7 relative', (z, expected) => {
    expect(Math.abs(normalCdf(z) - expected) / expected).toBeLessThan(2e-7);
  });

  it('is symmetric: Φ(z) + Φ(−z) = 1', () => {
    for (const z of [0.1, 0.5, 1.3, 2.7, 4]) expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 14);
  });

  it('erfc of known points', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(Math.abs(erfc(1) - 0.15729920705028513) / 0.15729920705028513).toBeLessThan(2e-7);
    expect(Math.abs(erfc(-1) - 1.8427007929497148)).toBeLessThan(2e-7);
  });
});

describe('fitLinearTrend', () => {
  it('least squares of a hand-worked series', () => {
    const t = fitLinearTrend(FOUR);
    expect(t).not.toBeNull();
    if (!t) return;
    expect(t.originDay).toBe('2026-01-01');
    expect(t.points).toBe(4);
    expect(t.slopePerDay).toBeCloseTo(0.8, 12);
    expect(t.intercept).toBeCloseTo(1.3, 12);
    expect(t.residualSe).toBeCloseTo(Math.sqrt(0.9), 12);
    expect(t.meanX).toBe(1.5);
    expect(t.sxx).toBe(5);
  });

  it('does not depend on the order of the points', () => {
    const t = fitLinearTrend([...FOUR].reverse());
    expect(t?.slopePerDay).toBeCloseTo(0.8, 12);
    expect(t?.intercept).toBeCloseTo(1.3, 12);
  });

  it('uses calendar days: gaps and month ends count', () => {
    // 02-27, 03-01 (2 days later), 03-05 (6 days after the first): y = x exactly.
    const t = fitLinearTrend([
      { day: '2026-02-27', value: 0 },
      { day: '2026-03-01', value: 2 },
      { day: '2026-03-05', value: 6 },
    ]);
    expect(t?.slopePerDay).toBeCloseTo(1, 12);
    expect(t?.intercept).toBeCloseTo(0, 12);
    expect(t?.residualSe).toBeCloseTo(0, 12);
  });

  it('needs three points', () => {
    expect(fitLinearTrend(daily([1, 2]))).toBeNull();
    expect(fitLinearTrend([])).toBeNull();
    expect(fitLinearTrend(daily([5, 5, 5]))).toMatchObject({ slopePerDay: 0, intercept: 5, residualSe: 0 });
  });

  it('recovers any exact line', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.integer({ min: 3, max: 120 }),
        (a, b, n) => {
          const t = fitLinearTrend(daily(Array.from({ length: n }, (_, x) => a + b * x)));
          expect(t?.slopePerDay).toBeCloseTo(b, 6);
          expect(t?.intercept).toBeCloseTo(a, 4);
        },
      ),
    );
  });
});

describe('prediction and probability', () => {
  // Deadline 2026-01-10 is x₀ = 9: mean 1.3 + 0.8 × 9 = 8.5; (x₀ − x̄)² = 56.25, so
  // se = √0.9 × √(1 + 1/4 + 56.25/5) = √(0.9 × 12.5) = √11.25.
  const t = fitLinearTrend(FOUR);
  if (!t) throw new Error('fit failed');
  const prediction = predictAt(t, '2026-01-10');
  const se = Math.sqrt(11.25);

  it('projects the line with the prediction interval error', () => {
    expect(prediction.mean).toBeCloseTo(8.5, 12);
    expect(prediction.se).toBeCloseTo(se, 12);
  });

  it('target at the projection: one chance in two either way', () => {
    expect(probabilityOfReaching(prediction, 8.5, 'higher-is-better')).toBeCloseTo(0.5, 7);
    expect(probabilityOfReaching(prediction, 8.5, 'lower-is-better')).toBeCloseTo(0.5, 7);
  });

  it('target one standard error below the projection: Φ(1) to go higher, Φ(−1) to go lower', () => {
    expect(probabilityOfReaching(prediction, 8.5 - se, 'higher-is-better')).toBeCloseTo(
      0.8413447460685429,
      7,
    );
    expect(probabilityOfReaching(prediction, 8.5 - se, 'lower-is-better')).toBeCloseTo(
      0.15865525393145707,
      7,
    );
  });

  it('a perfect fit is certain: met exactly counts', () => {
    const line = fitLinearTrend(daily([10, 12, 14, 16, 18]));
    if (!line) throw new Error('fit failed');
    const p = predictAt(line, '2026-01-11'); // x₀ = 10 → 30, se 0
    expect(p).toEqual({ mean: 30, se: 0 });
    expect(probabilityOfReaching(p, 30, 'higher-is-better')).toBe(1);
    expect(probabilityOfReaching(p, 31, 'higher-is-better')).toBe(0);
    expect(probabilityOfReaching(p, 31, 'lower-is-better')).toBe(1);
    expect(probabilityOfReaching(p, 29, 'lower-is-better')).toBe(0);
  });
});

describe('progressOf', () => {
  it('share of the way from baseline to target, both directions', () => {
    expect(progressOf(10_000, 5250, 25_000)).toBeCloseTo(4750 / 19_750, 12); // MRR
    expect(progressOf(40, 42, 35)).toBeCloseTo(2 / 7, 12); // CAC, lower is better
  });
  it('clipped to 0..1', () => {
    expect(progressOf(30_000, 5250, 25_000)).toBe(1);
    expect(progressOf(4000, 5250, 25_000)).toBe(0);
    expect(progressOf(50, 42, 35)).toBe(0);
    expect(progressOf(30, 42, 35)).toBe(1);
  });
  it('undefined without a value, a baseline, a target, or a way to go', () => {
    expect(progressOf(null, 1, 2)).toBeNull();
    expect(progressOf(1, null, 2)).toBeNull();
    expect(progressOf(1, 1, null)).toBeNull();
    expect(progressOf(3, 2, 2)).toBeNull();
  });
});

describe('verdictOf', () => {
  it('on-track at the stated confidence, at-risk from half of it, else off-track', () => {
    expect(verdictOf(0.9, 0.85)).toBe('on-track');
    expect(verdictOf(0.85, 0.85)).toBe('on-track');
    expect(verdictOf(0.84, 0.85)).toBe('at-risk');
    expect(verdictOf(0.425, 0.85)).toBe('at-risk');
    expect(verdictOf(0.42, 0.85)).toBe('off-track');
  });
  it('0.5 without a stated confidence', () => {
    expect(verdictOf(0.5, null)).toBe('on-track');
    expect(verdictOf(0.3, null)).toBe('at-risk');
    expect(verdictOf(0.24, null)).toBe('off-track');
  });
});

describe('evaluateKpi', () => {
  const base = {
    history: FOUR,
    asOf: '2026-01-04',
    current: 4,
    baseline: 1,
    target: 8.5 - Math.sqrt(11.25),
    deadline: '2026-01-10',
    confidence: 0.8,
    direction: 'higher-is-better' as const,
  };

  it('trend, projection, probability, progress and verdict together', () => {
    const e = evaluateKpi(base);
    expect(e.trend?.slopePerDay).toBeCloseTo(0.8, 12);
    expect(e.projected).toBeCloseTo(8.5, 12);
    expect(e.probability).toBeCloseTo(0.8413447460685429, 7);
    expect(e.verdict).toBe('on-track'); // 0.84 ≥ 0.8
    expect(e.progress).toBeCloseTo(3 / (base.target - 1), 12);
    expect(evaluateKpi({ ...base, confidence: 0.9 }).verdict).toBe('at-risk');
    // Lower is better: Φ(−1) = 0.159, at-risk from 0.15 (half of 0.3), off-track below 0.25.
    expect(evaluateKpi({ ...base, direction: 'lower-is-better', confidence: 0.3 }).verdict).toBe('at-risk');
    expect(evaluateKpi({ ...base, direction: 'lower-is-better', confidence: 0.5 }).verdict).toBe('off-track');
  });

  it('fewer than three points: insufficient data, progress still shown', () => {
    const e = evaluateKpi({ ...base, history: FOUR.slice(0, 2) });
    expect(e).toMatchObject({ verdict: 'insufficient-data', probability: null, trend: null });
    expect(e.progress).not.toBeNull();
  });

  it('a passed deadline is judged on the current value', () => {
    const past = { ...base, deadline: '2026-01-04' };
    expect(evaluateKpi({ ...past, current: 6 })).toMatchObject({ probability: 1, verdict: 'on-track' });
    expect(evaluateKpi({ ...past, current: 4 })).toMatchObject({ probability: 0, verdict: 'off-track' });
    expect(evaluateKpi({ ...past, current: null }).verdict).toBe('insufficient-data');
  });

  it('watched metrics: no target, or a target without deadline', () => {
    expect(evaluateKpi({ ...base, target: null }).verdict).toBe('no-target');
    const undated = evaluateKpi({ ...base, deadline: null });
    expect(undated).toMatchObject({ verdict: 'no-deadline', probability: null, projected: null });
    expect(undated.trend?.slopePerDay).toBeCloseTo(0.8, 12);
  });
});
