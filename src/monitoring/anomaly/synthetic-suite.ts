import type { AnomalyInput } from './detect.ts';
import { createRandom, type Random } from './random.ts';
import { HOUR_MS, hourOfWeek } from './seasonal-baseline.ts';

// The synthetic suite the detectors are measured on (docs/anomaly.md, "Synthetic suite"): hourly series
// of 12 weeks, trend + daily and weekly seasonality + Gaussian noise, with labelled spikes, drops and
// level shifts injected in the last 6 weeks, and clean twins without injections. Seeded: reproducible.

export type SuiteFamily = 'flat' | 'seasonal' | 'multivariate';
export type InjectionKind = 'spike' | 'drop' | 'level-shift';

export interface Injection {
  kind: InjectionKind;
  /** First affected index. */
  start: number;
  /** One past the last affected index (a level shift lasts to the end of the series). */
  end: number;
  /** Metrics the injection touches (several for a multivariate drop). */
  metrics: number[];
  /** Size in σ of each touched metric's noise (signed: drops are negative). */
  sigmas: number;
}

export interface SyntheticSeries {
  name: string;
  family: SuiteFamily;
  series: AnomalyInput;
  injections: Injection[];
}

export const SERIES_WEEKS = 12;
export const SERIES_POINTS = SERIES_WEEKS * 168;
/** Injections start after this index; evaluation covers [EVALUATION_START, SERIES_POINTS). */
export const EVALUATION_START = 6 * 168;
/** The evaluation span is cut in 4 slots of 252 points, one injection per slot, in shuffled order. */
const SLOTS = 4;
const SLOT_POINTS = (SERIES_POINTS - EVALUATION_START) / SLOTS;
/** Monday 2026-01-05 00:00 UTC. */
export const SERIES_START = Date.UTC(2026, 0, 5);

interface MetricShape {
  base: number;
  /** Relative change of the level from the first to the last point. */
  trend: number;
  dailyAmplitude: number;
  weekendDip: number;
  noiseSigma: number;
}

function metricShape(random: Random, seasonal: boolean): MetricShape {
  const base = random.uniform(200, 2000);
  return {
    base,
    trend: random.uniform(-0.3, 0.3),
    dailyAmplitude: seasonal ? random.uniform(0.2, 0.4) : 0,
    weekendDip: seasonal ? random.uniform(0.1, 0.3) : 0,
    noiseSigma: base * random.uniform(0.02, 0.06),
  };
}

/** Clean value at index i: level with trend × (1 + daily shape + weekend dip). Noise is added apart. */
function cleanValue(shape: MetricShape, i: number, dayPhase: number): number {
  const t = SERIES_START + i * HOUR_MS;
  const hourOfDay = (i % 24) + dayPhase;
  const angle = (2 * Math.PI * (hourOfDay - 8)) / 24;
  const daily = shape.dailyAmplitude * (Math.sin(angle) + 0.3 * Math.sin(2 * angle));
  const weekend = hourOfWeek(t) >= 120 ? -shape.weekendDip : 0;
  const level = shape.base * (1 + (shape.trend * i) / SERIES_POINTS);
  return level * (1 + daily + weekend);
}

function planInjections(random: Random, metricCount: number): Injection[] {
  const kinds: InjectionKind[] = ['spike', 'spike', 'drop', 'level-shift'];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [kinds[i], kinds[j]] = [kinds[j] as InjectionKind, kinds[i] as InjectionKind];
  }
  const oneMetric = () => [random.int(metricCount)];
  return kinds.map((kind, slot) => {
    const slotStart = EVALUATION_START + slot * SLOT_POINTS;
    if (kind === 'level-shift') {
      // Early in its slot, so the week after it (its settling span) ends before the next slot.
      const start = slotStart + 24 + random.int(60);
      const sign = random.next() < 0.5 ? -1 : 1;
      return { kind, start, end: SERIES_POINTS, metrics: oneMetric(), sigmas: sign * random.uniform(4, 8) };
    }
    const start = slotStart + 24 + random.int(200);
    if (kind === 'spike') {
      return {
        kind,
        start,
        end: start + 1 + random.int(2),
        metrics: oneMetric(),
        sigmas: random.uniform(6, 10),
      };
    }
    // A drop is an outage: in a multivariate series every metric falls at once, each by less (4–6σ)
    // than a lone metric's drop — a joint anomaly no single metric shows clearly.
    const metrics = Array.from({ length: metricCount }, (_, m) => m);
    const sigmas = metricCount === 1 ? -random.uniform(6, 10) : -random.uniform(4, 6);
    return { kind, start, end: start + 1 + random.int(6), metrics, sigmas };
  });
}

export function generateSeries(family: SuiteFamily, seed: number, inject: boolean): SyntheticSeries {
  const random = createRandom(seed);
  const metricCount = family === 'multivariate' ? 3 : 1;
  const shapes = Array.from({ length: metricCount }, () => metricShape(random, family !== 'flat'));
  const dayPhase = random.int(24);
  const injections = inject ? planInjections(random, metricCount) : [];
  const columns = shapes.map((shape, m) => {
    const column: number[] = [];
    for (let i = 0; i < SERIES_POINTS; i++) {
      let value = cleanValue(shape, i, dayPhase) + shape.noiseSigma * random.normal();
      for (const inj of injections) {
        if (inj.metrics.includes(m) && i >= inj.start && i < inj.end) value += inj.sigmas * shape.noiseSigma;
      }
      column.push(value);
    }
    return column;
  });
  const times = Array.from({ length: SERIES_POINTS }, (_, i) => SERIES_START + i * HOUR_MS);
  const series: AnomalyInput =
    metricCount === 1
      ? times.map((t, i) => ({ t, value: (columns[0] as number[])[i] as number }))
      : times.map((t, i) => ({ t, values: columns.map((c) => c[i] as number) }));
  return { name: `${family}-${inject ? 'injected' : 'clean'}-${seed}`, family, series, injections };
}

export interface SuiteDefinition {
  /** Series of each family with injections, and as many clean ones. */
  seriesPerFamily: number;
  seed: number;
}

export const SUITE: SuiteDefinition = { seriesPerFamily: 20, seed: 2026 };

/** Injected series then clean ones; every series has its own seed derived from the suite's. */
export function generateSuite(family: SuiteFamily, suite: SuiteDefinition = SUITE): SyntheticSeries[] {
  const offset = { flat: 0, seasonal: 10_000, multivariate: 20_000 }[family];
  const out: SyntheticSeries[] = [];
  for (const inject of [true, false]) {
    for (let k = 0; k < suite.seriesPerFamily; k++) {
      out.push(generateSeries(family, suite.seed + offset + (inject ? 0 : 5_000) + k, inject));
    }
  }
  return out;
}
