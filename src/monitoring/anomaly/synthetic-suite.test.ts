import { describe, expect, it } from 'vitest';
import { type AnomalyMethod, detectAnomalies } from './detect.ts';
import {
  evaluateFlags,
  evaluateSuite,
  LEVEL_SHIFT_DETECTION_POINTS,
  LEVEL_SHIFT_SETTLE_POINTS,
  TRANSIENT_TOLERANCE,
} from './suite-evaluation.ts';
import {
  EVALUATION_START,
  generateSeries,
  generateSuite,
  type Injection,
  SERIES_POINTS,
  SUITE,
  type SuiteFamily,
} from './synthetic-suite.ts';

describe('synthetic suite', () => {
  it('is reproducible from its seed', () => {
    expect(generateSeries('seasonal', 5, true)).toEqual(generateSeries('seasonal', 5, true));
    expect(generateSeries('seasonal', 5, true).series).not.toEqual(
      generateSeries('seasonal', 6, true).series,
    );
  });

  it('injects 2 spikes, 1 drop and 1 level shift per series, labelled, inside the evaluation span', () => {
    for (const family of ['flat', 'seasonal', 'multivariate'] as SuiteFamily[]) {
      const s = generateSeries(family, 9, true);
      expect(s.series).toHaveLength(SERIES_POINTS);
      expect(s.injections.map((i) => i.kind).sort()).toEqual(['drop', 'level-shift', 'spike', 'spike']);
      for (const inj of s.injections) {
        expect(inj.start).toBeGreaterThanOrEqual(EVALUATION_START);
        expect(inj.end).toBeGreaterThan(inj.start);
        expect(inj.kind === 'drop' ? inj.sigmas < 0 : true).toBe(true);
      }
      expect(generateSeries(family, 9, false).injections).toEqual([]);
    }
  });

  it('differs from its clean twin only where injections are', () => {
    const injected = generateSeries('flat', 11, true);
    const clean = generateSeries('flat', 11, false);
    // Same seed, but planning the injections draws numbers: compare the label positions instead.
    const spike = injected.injections.find((i) => i.kind === 'spike') as Injection;
    const values = injected.series as readonly { t: number; value: number | null }[];
    const before = values[spike.start - 1]?.value as number;
    expect(Math.abs((values[spike.start]?.value as number) - before)).toBeGreaterThan(0);
    expect(clean.injections).toHaveLength(0);
  });
});

describe('matching rule', () => {
  const spike: Injection = { kind: 'spike', start: 1100, end: 1101, metrics: [0], sigmas: 8 };
  const shift: Injection = { kind: 'level-shift', start: 1300, end: SERIES_POINTS, metrics: [0], sigmas: 5 };
  const flagsAt = (...idx: number[]) => {
    const flags = Array(SERIES_POINTS).fill(false);
    for (const i of idx) flags[i] = true;
    return flags;
  };

  it('detects a spike by a flag up to TRANSIENT_TOLERANCE points after its end', () => {
    expect(evaluateFlags(flagsAt(1101 + TRANSIENT_TOLERANCE - 1), [spike]).events.spike.detected).toBe(1);
    const late = evaluateFlags(flagsAt(1101 + TRANSIENT_TOLERANCE), [spike]);
    expect(late.events.spike.detected).toBe(0);
    expect(late.falseAlarms).toBe(1);
  });

  it('detects a level shift only in its first points; its settling week is neither credit nor false alarm', () => {
    const late = evaluateFlags(flagsAt(1300 + LEVEL_SHIFT_DETECTION_POINTS), [shift]);
    expect(late.events['level-shift'].detected).toBe(0);
    expect(late.falseAlarms).toBe(0);
    expect(evaluateFlags(flagsAt(1300 + LEVEL_SHIFT_SETTLE_POINTS), [shift]).falseAlarms).toBe(1);
  });

  it('counts a run of consecutive false flags as one alarm, and ignores flags before the evaluation span', () => {
    const c = evaluateFlags(flagsAt(10, 1500, 1501, 1502, 1600), []);
    expect(c.falseAlarms).toBe(2);
    expect(c.falseAlarmPoints).toBe(4);
    expect(c.points).toBe(SERIES_POINTS - EVALUATION_START);
  });
});

// The quality bar: F1 ≥ 0.9 with injections and ≤ 1 false alarm per 1,000 clean points, for
// each method on the family it is meant for (docs/anomaly.md has every method on every family).
describe('figures on the suite at sensitivity 0.95', () => {
  const cases: [SuiteFamily, AnomalyMethod, number][] = [
    ['flat', 'robust-z', SUITE.seriesPerFamily],
    ['flat', 'auto', SUITE.seriesPerFamily],
    ['seasonal', 'seasonal', SUITE.seriesPerFamily],
    ['seasonal', 'auto', SUITE.seriesPerFamily],
    ['multivariate', 'seasonal', SUITE.seriesPerFamily],
    // The forest costs ~10× more: a quarter of the family keeps the unit run short (full: report-suite).
    ['multivariate', 'isolation-forest', 5],
  ];
  for (const [family, method, seriesPerFamily] of cases) {
    it(`${method} on ${family} (${seriesPerFamily} + ${seriesPerFamily} series)`, () => {
      const suite = generateSuite(family, { ...SUITE, seriesPerFamily });
      const f = evaluateSuite(suite, (s) => detectAnomalies(s.series, { method }).flags);
      expect(f.f1).toBeGreaterThanOrEqual(0.9);
      expect(f.falseAlarmsPer1000).toBeLessThanOrEqual(1);
      expect(f.falseAlarmPointsPer1000).toBeLessThanOrEqual(1);
    });
  }
});
