import type { KpiDirection } from '../config/portfolio/kpis.ts';

// The pure core of KPI tracking: a least-squares line through the daily history, its projection
// to the deadline, the probability of reaching the target and the verdict. No I/O, no clock:
// `asOf` (the last day measured) is a parameter. Formulas: docs/kpis.md.

export interface TrendPoint {
  /** UTC calendar day, YYYY-MM-DD. */
  day: string;
  value: number;
}

export interface LinearTrend {
  points: number;
  /** Day x = 0 of the fit: the first point's day. */
  originDay: string;
  slopePerDay: number;
  /** Fitted value at originDay. */
  intercept: number;
  /** √(Σ residual² ÷ (n − 2)). */
  residualSe: number;
  meanX: number;
  /** Σ (x − mean x)². */
  sxx: number;
}

export type KpiVerdict =
  | 'on-track'
  | 'at-risk'
  | 'off-track'
  | 'insufficient-data'
  | 'no-target'
  | 'no-deadline';

/** A line needs three points: with two the residual error (n − 2 degrees of freedom) is undefined. */
export const MIN_TREND_POINTS = 3;
/** Required probability when a target states no confidence. */
export const DEFAULT_CONFIDENCE = 0.5;

const DAY_MS = 86_400_000;

export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/** Least-squares line of value on day; null below MIN_TREND_POINTS distinct days. */
export function fitLinearTrend(history: readonly TrendPoint[]): LinearTrend | null {
  const points = [...history].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const n = points.length;
  if (n < MIN_TREND_POINTS) return null;
  const originDay = (points[0] as TrendPoint).day;
  const origin = dayNumber(originDay);
  const xs = points.map((p) => dayNumber(p.day) - origin);
  const ys = points.map((p) => p.value);
  const meanX = xs.reduce((s, x) => s + x, 0) / n;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - meanX;
    sxx += dx * dx;
    sxy += dx * ((ys[i] as number) - meanY);
  }
  if (sxx === 0) return null; // every point on one day: no slope
  const slopePerDay = sxy / sxx;
  const intercept = meanY - slopePerDay * meanX;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = (ys[i] as number) - (intercept + slopePerDay * (xs[i] as number));
    sse += r * r;
  }
  return { points: n, originDay, slopePerDay, intercept, residualSe: Math.sqrt(sse / (n - 2)), meanX, sxx };
}

/**
 * The line's prediction for one new daily value on `day`: mean and standard error of the
 * prediction interval, s·√(1 + 1/n + (x₀ − x̄)²/Sxx) (a new observation, not just the line).
 */
export function predictAt(trend: LinearTrend, day: string): { mean: number; se: number } {
  const x0 = dayNumber(day) - dayNumber(trend.originDay);
  const mean = trend.intercept + trend.slopePerDay * x0;
  const d = x0 - trend.meanX;
  const se = trend.residualSe * Math.sqrt(1 + 1 / trend.points + (d * d) / trend.sxx);
  return { mean, se };
}

/**
 * Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere
 * (Numerical Recipes' erfcc), so tail probabilities keep their relative precision.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  let poly = 0;
  for (const c of ERFC_COEFFICIENTS) poly = c + t * poly;
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** erfcc's coefficients, highest power of t first (Horner's rule runs from there). */
const ERFC_COEFFICIENTS = [
  0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196,
  1.00002368, -1.26551223,
] as const;

/** Standard normal cumulative distribution Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Whether a value meets the target in the KPI's direction (reaching it exactly counts). */
export function beats(value: number, target: number, direction: KpiDirection): boolean {
  return direction === 'higher-is-better' ? value >= target : value <= target;
}

/**
 * P(the value on `deadline` meets the target) when it is normal with the prediction's mean and
 * standard error. A perfect fit (se = 0) is certain either way.
 */
export function probabilityOfReaching(
  prediction: { mean: number; se: number },
  target: number,
  direction: KpiDirection,
): number {
  const { mean, se } = prediction;
  if (!(se > 0)) return beats(mean, target, direction) ? 1 : 0;
  const z = (target - mean) / se;
  return direction === 'higher-is-better' ? 1 - normalCdf(z) : normalCdf(z);
}

/**
 * Share of the way from baseline to target, clipped to 0..1; the same formula serves both
 * directions (target below baseline makes both differences negative). Undefined (null) when the
 * target equals its baseline: there is no way to go.
 */
export function progressOf(
  current: number | null,
  baseline: number | null,
  target: number | null,
): number | null {
  if (current === null || baseline === null || target === null) return null;
  if (target === baseline) return null;
  const p = (current - baseline) / (target - baseline);
  return Math.min(1, Math.max(0, p));
}

/** on-track at the required confidence, at-risk from half of it, off-track below. */
export function verdictOf(probability: number, confidence: number | null): KpiVerdict {
  const required = confidence ?? DEFAULT_CONFIDENCE;
  if (probability >= required) return 'on-track';
  if (probability >= required / 2) return 'at-risk';
  return 'off-track';
}

export interface KpiEvaluationInput {
  /** Defined daily values, any order. */
  history: readonly TrendPoint[];
  /** Last day measured (the value `current` is of). */
  asOf: string;
  current: number | null;
  baseline: number | null;
  target: number | null;
  deadline: string | null;
  confidence: number | null;
  direction: KpiDirection;
}

export interface KpiEvaluation {
  trend: LinearTrend | null;
  /** The line's value on the deadline; null without trend or deadline, or once it has passed. */
  projected: number | null;
  probability: number | null;
  progress: number | null;
  verdict: KpiVerdict;
}

/**
 * Trend, probability, progress and verdict of one KPI. Once the deadline has passed (deadline ≤
 * asOf) the probability is 1 if the current value meets the target, else 0.
 */
export function evaluateKpi(input: KpiEvaluationInput): KpiEvaluation {
  const trend = fitLinearTrend(input.history);
  const progress = progressOf(input.current, input.baseline, input.target);
  const base = { trend, progress, projected: null, probability: null };
  if (input.target === null) return { ...base, verdict: 'no-target' };
  if (input.deadline === null) return { ...base, verdict: 'no-deadline' };
  if (input.deadline <= input.asOf) {
    if (input.current === null) return { ...base, verdict: 'insufficient-data' };
    const probability = beats(input.current, input.target, input.direction) ? 1 : 0;
    return { ...base, probability, verdict: verdictOf(probability, input.confidence) };
  }
  if (trend === null) return { ...base, verdict: 'insufficient-data' };
  const prediction = predictAt(trend, input.deadline);
  const probability = probabilityOfReaching(prediction, input.target, input.direction);
  return {
    trend,
    progress,
    projected: prediction.mean,
    probability,
    verdict: verdictOf(probability, input.confidence),
  };
}
