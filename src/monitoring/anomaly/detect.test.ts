import { describe, expect, it } from 'vitest';
import { AnomalyOptions, detectAnomalies } from './detect.ts';
import { createRandom } from './random.ts';
import { HOUR_MS } from './seasonal-baseline.ts';
import { falseAlarmRate } from './sensitivity.ts';

const START = Date.UTC(2026, 0, 5);
const hourly = (values: number[]) => values.map((value, i) => ({ t: START + i * HOUR_MS, value }));
const noise = (n: number, seed: number) => {
  const r = createRandom(seed);
  return Array.from({ length: n }, (_, i) => 100 + 20 * Math.sin((2 * Math.PI * i) / 24) + 2 * r.normal());
};

describe('detectAnomalies', () => {
  it('defaults to method auto and the seed sensitivity 0.95', () => {
    expect(AnomalyOptions.parse({})).toEqual({ method: 'auto', sensitivity: 0.95, seed: 1 });
    expect(() => AnomalyOptions.parse({ sensitivity: 1.2 })).toThrow();
    expect(() => AnomalyOptions.parse({ method: 'prophet' })).toThrow();
  });

  it('auto takes robust-z on a young series and the seasonal baseline from 4 weeks on', () => {
    expect(detectAnomalies(hourly(noise(3 * 168, 1))).method).toBe('robust-z');
    expect(detectAnomalies(hourly(noise(4 * 168 + 1, 1))).method).toBe('seasonal');
    expect(detectAnomalies([]).flags).toEqual([]);
  });

  it('returns one score, probability and flag per point, aligned with the input', () => {
    const values = noise(6 * 168, 2);
    values[900] = (values[900] as number) + 30;
    const d = detectAnomalies(hourly(values));
    expect(d.scores).toHaveLength(values.length);
    expect(d.tests).toBe(2);
    expect(d.falseAlarmRate).toBeCloseTo(1e-4, 15);
    expect(d.flags.flatMap((f, i) => (f ? [i] : []))).toEqual([900]);
    expect(d.causes[900]).toBe('point');
    expect(d.probabilities[900] as number).toBeGreaterThan(1 - d.falseAlarmRate);
    // Flag ⇔ probability ≥ 1 − α, everywhere.
    d.flags.forEach((f, i) => {
      const p = d.probabilities[i];
      if (p === null || p === undefined) expect(f).toBe(false);
      else expect(f).toBe(p >= 1 - falseAlarmRate(0.95));
    });
  });

  it('flags more as the sensitivity rises: the flags at 0.9 are a subset of those at 1', () => {
    // Bumps of 3σ to 7σ every 61 hours in the last two weeks.
    const values = noise(6 * 168, 3).map((v, i) => (i % 61 === 0 && i > 700 ? v + 6 + (i % 9) : v));
    const low = detectAnomalies(hourly(values), { sensitivity: 0.9 }).flags;
    const high = detectAnomalies(hourly(values), { sensitivity: 1 }).flags;
    expect(low.filter(Boolean).length).toBeLessThan(high.filter(Boolean).length);
    low.forEach((f, i) => {
      if (f) expect(high[i]).toBe(true);
    });
  });

  it('names a level shift as such', () => {
    // White noise σ 2 stepping up by 3σ: each point is borderline, the level test is clear.
    const r = createRandom(4);
    const values = Array.from({ length: 1000 }, (_, i) => 100 + 2 * r.normal() + (i >= 900 ? 6 : 0));
    const d = detectAnomalies(hourly(values), { method: 'robust-z' });
    const first = d.flags.findIndex((f, i) => f && i >= 900);
    expect(first).toBeGreaterThanOrEqual(900);
    expect(first).toBeLessThan(906);
    expect(d.causes.slice(900, 912)).toContain('level-shift');
  });

  it('checks several metrics at once: one test pair per metric, plus the forest', () => {
    const a = noise(6 * 168, 5);
    const b = noise(6 * 168, 6);
    b[950] = (b[950] as number) + 40;
    const series = a.map((v, i) => ({ t: START + i * HOUR_MS, values: [v, b[i] as number] }));
    const seasonal = detectAnomalies(series, { method: 'seasonal' });
    expect(seasonal.tests).toBe(4);
    expect(seasonal.flags[950]).toBe(true);
    const forest = detectAnomalies(series, { method: 'isolation-forest' });
    expect(forest.tests).toBe(5);
    expect(forest.flags[950]).toBe(true);
  });

  it('the forest is deterministic for a seed', () => {
    const series = noise(5 * 168, 7).map((v, i) => ({ t: START + i * HOUR_MS, values: [v, v * 0.1] }));
    const a = detectAnomalies(series, { method: 'isolation-forest', seed: 3 });
    const b = detectAnomalies(series, { method: 'isolation-forest', seed: 3 });
    const c = detectAnomalies(series, { method: 'isolation-forest', seed: 4 });
    expect(b.scores).toEqual(a.scores);
    expect(c.scores).not.toEqual(a.scores);
  });
});
