import { z } from 'zod';
import { fitIsolationForest, type IsolationForest, scoreIsolationForest } from './isolation-forest.ts';
import { levelShiftScore } from './level-shift.ts';
import { robustZScore, type ScoredSeries } from './robust-z-score.ts';
import { HOUR_MS, HOURS_PER_WEEK, seasonalBaselineScore } from './seasonal-baseline.ts';
import { DEFAULT_SENSITIVITY, falseAlarmRate, tailProbability } from './sensitivity.ts';

// The one entry alert rules call: a series and { method, sensitivity } in, per-point scores and flags
// out. Each metric gets a point test and a level-shift test (on raw values for robust-z, on the
// baseline's residuals for seasonal); 'isolation-forest' adds one joint test over all metrics.

export const AnomalyMethod = z.enum(['auto', 'robust-z', 'seasonal', 'isolation-forest']);
export type AnomalyMethod = z.infer<typeof AnomalyMethod>;

export const AnomalyOptions = z.object({
  method: AnomalyMethod.default('auto'),
  /** 0..1; higher flags more. Per-point false alarm rate on Gaussian noise: 10^−(3 + 20·(1 − s)). */
  sensitivity: z.number().min(0).max(1).default(DEFAULT_SENSITIVITY),
  /** Seed of the isolation forest's generator. */
  seed: z.number().int().default(1),
});
export type AnomalyOptions = z.infer<typeof AnomalyOptions>;

/** One point per UTC hour, ascending t (epoch ms); several metrics at once use `values`. */
export type AnomalyInput = readonly { t: number; value: number | null }[] | readonly MultiPoint[];
export interface MultiPoint {
  t: number;
  values: readonly (number | null)[];
}

export type AnomalyCause = 'point' | 'level-shift' | 'isolation';

export interface AnomalyDetection {
  method: Exclude<AnomalyMethod, 'auto'>;
  sensitivity: number;
  /** α(s): the per-point false alarm rate the sensitivity accepts on Gaussian noise. */
  falseAlarmRate: number;
  /** Tests per point (point and level-shift per metric, plus the forest): each gets α / tests. */
  tests: number;
  /** Per input point: the deciding test's z (null while warming up or missing). */
  scores: (number | null)[];
  /** 1 − min(1, tests × the deciding test's tail probability); flagged when ≥ 1 − α. */
  probabilities: (number | null)[];
  flags: boolean[];
  causes: (AnomalyCause | null)[];
}

/** 'auto' takes the seasonal baseline once the series spans this many weeks, robust-z before. */
export const AUTO_SEASONAL_WEEKS = 4;

/** The forest is fitted on the complete rows before each point: this many, refitted every 168 rows. */
export const FOREST_FIT_WINDOW = 672;
export const FOREST_MIN_FIT = 256;
export const FOREST_REFIT_EVERY = 168;
/** Features beyond ±this many σ isolate no better but squeeze every other split: clipped. */
export const FOREST_FEATURE_CLIP = 12;

interface Test {
  cause: AnomalyCause;
  sides: 1 | 2;
  scores: readonly (number | null)[];
}

export function detectAnomalies(
  series: AnomalyInput,
  options: Partial<AnomalyOptions> = {},
): AnomalyDetection {
  const { method, sensitivity, seed } = AnomalyOptions.parse(options);
  const metrics = toMetrics(series);
  const univariate = method === 'robust-z' || method === 'seasonal' ? method : autoMethod(series);
  // Thresholds are applied below on the combined tail, so the detectors themselves flag nothing.
  const perMetric = metrics.map((values) => univariateTests(series, values, univariate));
  const tests: Test[] = perMetric.flat();
  if (method === 'isolation-forest') tests.push(isolationTest(series, perMetric, seed));
  const alpha = falseAlarmRate(sensitivity);
  const out: AnomalyDetection = {
    method: method === 'auto' ? univariate : method,
    sensitivity,
    falseAlarmRate: alpha,
    tests: tests.length,
    scores: [],
    probabilities: [],
    flags: [],
    causes: [],
  };
  for (let i = 0; i < series.length; i++) {
    let best: { z: number; tail: number; cause: AnomalyCause } | null = null;
    for (const test of tests) {
      const z = test.scores[i];
      if (z === null || z === undefined) continue;
      const tail = tailProbability(z, test.sides);
      if (best === null || tail < best.tail) best = { z, tail, cause: test.cause };
    }
    const adjusted = best === null ? null : Math.min(1, best.tail * tests.length);
    const flagged = adjusted !== null && adjusted <= alpha;
    out.scores.push(best?.z ?? null);
    out.probabilities.push(adjusted === null ? null : 1 - adjusted);
    out.flags.push(flagged);
    out.causes.push(flagged && best ? best.cause : null);
  }
  return out;
}

function autoMethod(series: AnomalyInput): 'robust-z' | 'seasonal' {
  if (series.length < 2) return 'robust-z';
  const spanHours = ((series.at(-1)?.t ?? 0) - (series[0]?.t ?? 0)) / HOUR_MS;
  return spanHours >= AUTO_SEASONAL_WEEKS * HOURS_PER_WEEK ? 'seasonal' : 'robust-z';
}

function toMetrics(series: AnomalyInput): (number | null)[][] {
  const first = series[0];
  if (first === undefined) return [[]];
  if ('values' in first) {
    const width = first.values.length;
    return Array.from({ length: width }, (_, m) =>
      (series as readonly MultiPoint[]).map((p) => p.values[m] ?? null),
    );
  }
  return [(series as readonly { value: number | null }[]).map((p) => p.value)];
}

/** The point test and the level-shift test of one metric (level shifts on the baseline's residuals). */
function univariateTests(
  series: AnomalyInput,
  values: (number | null)[],
  method: 'robust-z' | 'seasonal',
): Test[] {
  const never = { threshold: Number.POSITIVE_INFINITY };
  let point: ScoredSeries;
  let level: ScoredSeries;
  if (method === 'robust-z') {
    point = robustZScore(values, never);
    level = levelShiftScore(values, never);
  } else {
    const seasonal = seasonalBaselineScore(
      series.map((p, i) => ({ t: p.t, value: values[i] ?? null })),
      never,
    );
    point = seasonal;
    level = levelShiftScore(seasonal.residuals, never);
  }
  return [
    { cause: 'point', sides: 2, scores: point.scores },
    { cause: 'level-shift', sides: 2, scores: level.scores },
  ];
}

/** The forest sees each metric's point z at once, fitted on the rows before the point (no look-ahead). */
function isolationTest(series: AnomalyInput, perMetric: Test[][], seed: number): Test {
  const scores: (number | null)[] = [];
  const rows: number[][] = [];
  let forest: IsolationForest | null = null;
  let fittedAt = 0;
  for (let i = 0; i < series.length; i++) {
    const row = featureRow(perMetric, i);
    let z: number | null = null;
    if (row !== null) {
      if (
        rows.length >= FOREST_MIN_FIT &&
        (forest === null || rows.length - fittedAt >= FOREST_REFIT_EVERY)
      ) {
        forest = fitIsolationForest(rows.slice(-FOREST_FIT_WINDOW), { seed: seed + rows.length });
        fittedAt = rows.length;
      }
      if (forest !== null) z = scoreIsolationForest(forest, row).z;
      rows.push(row);
    }
    scores.push(z);
  }
  return { cause: 'isolation', sides: 1, scores };
}

function featureRow(perMetric: Test[][], i: number): number[] | null {
  const row: number[] = [];
  for (const [point] of perMetric) {
    const z = point?.scores[i];
    if (z === null || z === undefined) return null;
    row.push(Math.max(-FOREST_FEATURE_CLIP, Math.min(FOREST_FEATURE_CLIP, z)));
  }
  return row;
}
