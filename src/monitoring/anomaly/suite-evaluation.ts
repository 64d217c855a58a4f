import {
  EVALUATION_START,
  type Injection,
  type InjectionKind,
  type SyntheticSeries,
} from './synthetic-suite.ts';

// The matching rule that turns flags into precision, recall, F1 and false alarms (docs/anomaly.md).
// An injection is detected when a flag falls in its detection window; a flag is a false alarm when it
// falls outside every injection's settling window. Flags before EVALUATION_START are not counted.

/** A spike or drop counts as detected by a flag from its first point to 6 points after its last. */
export const TRANSIENT_TOLERANCE = 6;
/** A level shift counts as detected by a flag in its first 12 points. */
export const LEVEL_SHIFT_DETECTION_POINTS = 12;
/** Flags in the first week after a level shift are neither credit nor false alarm: the new level is
 *  becoming the normal one while the detector's history relearns it. */
export const LEVEL_SHIFT_SETTLE_POINTS = 168;

export interface Windows {
  detection: [number, number];
  settle: [number, number];
}

export function injectionWindows(injection: Injection): Windows {
  if (injection.kind === 'level-shift') {
    return {
      detection: [injection.start, injection.start + LEVEL_SHIFT_DETECTION_POINTS],
      settle: [injection.start, injection.start + LEVEL_SHIFT_SETTLE_POINTS],
    };
  }
  const window: [number, number] = [injection.start, injection.end + TRANSIENT_TOLERANCE];
  return { detection: window, settle: window };
}

export interface EvaluationCounts {
  events: Record<InjectionKind, { total: number; detected: number }>;
  /** Runs of consecutive flagged points outside every settling window: each would be one alert. */
  falseAlarms: number;
  /** The flagged points of those runs. */
  falseAlarmPoints: number;
  /** Points evaluated (from EVALUATION_START on). */
  points: number;
}

export function emptyCounts(): EvaluationCounts {
  return {
    events: {
      spike: { total: 0, detected: 0 },
      drop: { total: 0, detected: 0 },
      'level-shift': { total: 0, detected: 0 },
    },
    falseAlarms: 0,
    falseAlarmPoints: 0,
    points: 0,
  };
}

export function evaluateFlags(flags: readonly boolean[], injections: readonly Injection[]): EvaluationCounts {
  const counts = emptyCounts();
  const windows = injections.map(injectionWindows);
  injections.forEach((injection, k) => {
    const [from, to] = (windows[k] as Windows).detection;
    const events = counts.events[injection.kind];
    events.total++;
    if (flags.slice(from, to).some(Boolean)) events.detected++;
  });
  let inRun = false;
  for (let i = EVALUATION_START; i < flags.length; i++) {
    counts.points++;
    const falseFlag = flags[i] === true && !windows.some((w) => i >= w.settle[0] && i < w.settle[1]);
    if (falseFlag) {
      counts.falseAlarmPoints++;
      if (!inRun) counts.falseAlarms++;
    }
    inRun = falseFlag;
  }
  return counts;
}

export function addCounts(a: EvaluationCounts, b: EvaluationCounts): EvaluationCounts {
  const out = emptyCounts();
  for (const kind of Object.keys(out.events) as InjectionKind[]) {
    out.events[kind].total = a.events[kind].total + b.events[kind].total;
    out.events[kind].detected = a.events[kind].detected + b.events[kind].detected;
  }
  out.falseAlarms = a.falseAlarms + b.falseAlarms;
  out.falseAlarmPoints = a.falseAlarmPoints + b.falseAlarmPoints;
  out.points = a.points + b.points;
  return out;
}

export interface SuiteFigures {
  /** Over injected series: detected events / (detected events + false alarms). */
  precision: number;
  recall: number;
  f1: number;
  recallByKind: Record<InjectionKind, number>;
  /** Over clean series, per 1,000 evaluated points: false alarms (runs), and flagged points. */
  falseAlarmsPer1000: number;
  falseAlarmPointsPer1000: number;
  events: number;
  cleanPoints: number;
}

export function suiteFigures(injected: EvaluationCounts, clean: EvaluationCounts): SuiteFigures {
  const kinds = Object.keys(injected.events) as InjectionKind[];
  const events = kinds.reduce((s, k) => s + injected.events[k].total, 0);
  const detected = kinds.reduce((s, k) => s + injected.events[k].detected, 0);
  const precision = detected + injected.falseAlarms === 0 ? 0 : detected / (detected + injected.falseAlarms);
  const recall = events === 0 ? 0 : detected / events;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const recallByKind = Object.fromEntries(
    kinds.map((k) => [
      k,
      injected.events[k].total === 0 ? Number.NaN : injected.events[k].detected / injected.events[k].total,
    ]),
  ) as Record<InjectionKind, number>;
  return {
    precision,
    recall,
    f1,
    recallByKind,
    falseAlarmsPer1000: clean.points === 0 ? 0 : (1000 * clean.falseAlarms) / clean.points,
    falseAlarmPointsPer1000: clean.points === 0 ? 0 : (1000 * clean.falseAlarmPoints) / clean.points,
    events,
    cleanPoints: clean.points,
  };
}

/** Runs one detector (series → flags) over a family's injected and clean series. */
export function evaluateSuite(
  suite: readonly SyntheticSeries[],
  detect: (series: SyntheticSeries) => readonly boolean[],
): SuiteFigures {
  let injected = emptyCounts();
  let clean = emptyCounts();
  for (const s of suite) {
    const counts = evaluateFlags(detect(s), s.injections);
    if (s.injections.length > 0) injected = addCounts(injected, counts);
    else clean = addCounts(clean, counts);
  }
  return suiteFigures(injected, clean);
}
