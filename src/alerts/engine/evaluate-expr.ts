import type {
  AbsenceExpr,
  AlertExpr,
  AnomalyExpr,
  ChangeExpr,
  ComparisonOp,
  ThresholdExpr,
  ThresholdUnit,
} from '../alert-rule-schema.ts';
import type { Labels } from '../notification.ts';
import { labelsKey } from './labels.ts';
import type { MetricSeries, MetricSnapshot } from './metric-snapshot.ts';

/** The expression's verdict for one label set; `value` is what `{{ $value }}` shows. */
export interface ExprSample {
  labels: Labels;
  active: boolean;
  value: number | null;
}
/** Samples keyed by `labelsKey(labels)`; `and`/`or` join their operands on that key. */
export type ExprResult = Map<string, ExprSample>;

export interface EvalContext {
  now: Date;
  snapshot: MetricSnapshot;
  /** The rule's domain scope, if any. */
  domains?: readonly string[];
  /** Injected detector; falls back to the series' precomputed `anomalyScore`. */
  anomalyScore?: (series: MetricSeries, expr: AnomalyExpr) => number | undefined;
}

/** Factor from the unit a threshold is written in to the base unit metrics are reported in. */
export function unitFactor(unit: ThresholdUnit | undefined): number {
  switch (unit) {
    case 's':
      return 1000;
    case 'min':
      return 60_000;
    case '%':
      return 0.01;
    default:
      return 1;
  }
}

export function compare(a: number, op: ComparisonOp, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

function inScope(ctx: EvalContext, labels: Labels): boolean {
  if (!ctx.domains) return true;
  const domain = labels.domain;
  return domain !== undefined && ctx.domains.includes(domain);
}

function seriesOf(ctx: EvalContext, metric: string): MetricSeries[] {
  return ctx.snapshot.series.filter((s) => s.metric === metric && inScope(ctx, s.labels ?? {}));
}

function put(out: ExprResult, labels: Labels, active: boolean, value: number | null): void {
  out.set(labelsKey(labels), { labels, active, value });
}

function threshold(expr: ThresholdExpr, ctx: EvalContext): ExprResult {
  const out: ExprResult = new Map();
  const limit = expr.value * unitFactor(expr.unit);
  for (const s of seriesOf(ctx, expr.metric)) {
    const v = s.value;
    put(out, s.labels ?? {}, v !== undefined && compare(v, expr.op, limit), v ?? null);
  }
  return out;
}

/** Signed change in percent; undefined without a usable baseline (missing or zero). */
export function changePct(current: number | undefined, baseline: number | undefined): number | undefined {
  if (current === undefined || baseline === undefined || baseline === 0) return undefined;
  return ((current - baseline) / Math.abs(baseline)) * 100;
}

function change(expr: ChangeExpr, ctx: EvalContext): ExprResult {
  const out: ExprResult = new Map();
  for (const s of seriesOf(ctx, expr.metric)) {
    const pct = changePct(s.value, s.baseline?.[expr.window]);
    const active =
      pct !== undefined &&
      (expr.direction === 'decrease' ? -pct > expr.thresholdPct : pct > expr.thresholdPct);
    put(out, s.labels ?? {}, active, pct ?? null);
  }
  return out;
}

/** Active when the series was last seen at least forMinutes ago, or never; the value is minutes. */
function absence(expr: AbsenceExpr, ctx: EvalContext): ExprResult {
  const out: ExprResult = new Map();
  const limitMs = expr.forMinutes * 60_000;
  const seen = new Set<string>();
  for (const s of seriesOf(ctx, expr.metric)) {
    const labels = s.labels ?? {};
    if (labels.domain !== undefined) seen.add(labels.domain);
    const last = s.lastSeenAt === undefined ? undefined : Date.parse(s.lastSeenAt);
    const silentMs = last === undefined ? undefined : ctx.now.getTime() - last;
    put(
      out,
      labels,
      silentMs === undefined || silentMs >= limitMs,
      silentMs === undefined ? null : silentMs / 60_000,
    );
  }
  // A domain that should report but has no series at all is absent too.
  for (const domain of ctx.domains ?? ctx.snapshot.domains ?? [])
    if (!seen.has(domain)) put(out, { domain }, true, null);
  return out;
}

function anomaly(expr: AnomalyExpr, ctx: EvalContext): ExprResult {
  const out: ExprResult = new Map();
  for (const s of seriesOf(ctx, expr.metric)) {
    const score = ctx.anomalyScore?.(s, expr) ?? s.anomalyScore;
    put(out, s.labels ?? {}, score !== undefined && score >= expr.sensitivity, score ?? null);
  }
  return out;
}

/** `all`: active where every operand has the label set and is active; `any`: where one is. */
function combine(results: ExprResult[], mode: 'all' | 'any'): ExprResult {
  const out: ExprResult = new Map();
  const keys = new Set(results.flatMap((r) => [...r.keys()]));
  for (const key of keys) {
    const samples = results.map((r) => r.get(key));
    const first = samples.find((s) => s !== undefined);
    if (!first) continue;
    const hit = samples.find((s) => s?.active);
    const active = mode === 'all' ? samples.every((s) => s?.active === true) : hit !== undefined;
    out.set(key, { labels: first.labels, active, value: (mode === 'any' && hit ? hit : first).value });
  }
  return out;
}

export function evaluateExpr(expr: AlertExpr, ctx: EvalContext): ExprResult {
  if ('all' in expr)
    return combine(
      expr.all.map((e) => evaluateExpr(e, ctx)),
      'all',
    );
  if ('any' in expr)
    return combine(
      expr.any.map((e) => evaluateExpr(e, ctx)),
      'any',
    );
  switch (expr.kind) {
    case 'threshold':
      return threshold(expr, ctx);
    case 'change':
      return change(expr, ctx);
    case 'absence':
      return absence(expr, ctx);
    case 'anomaly':
      return anomaly(expr, ctx);
  }
}
