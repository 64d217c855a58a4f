import { z } from 'zod';
import { Host, MetricKey, Name, Slug, Text } from '../config/portfolio/common.ts';
import { always, field, list, records, str } from '../config/portfolio/loose.ts';
import { isTimeZone, WEEKDAYS } from './engine/business-hours.ts';
import { DURATION_HELP, parseDurationMs } from './engine/duration.ts';
import { MATCH_OPS, parseMatcher, regexProblem } from './engine/matchers.ts';
import { AlertSeverity } from './notification.ts';

/**
 * Alerting configuration: rules, routes, escalation and planned suppression windows (the
 * portfolio file's `alerting:` section and the API), plus silences (runtime data). Semantics are
 * Prometheus' and Alertmanager's; docs/alerts.md maps every field to its counterpart there.
 */

const YEAR_MS = 366 * 86_400_000;

/** `30s`, `5m`, `1h30m`, `2d`, `1w`; at most a year. */
export const AlertDuration = z
  .string()
  .refine((s) => {
    const ms = parseDurationMs(s);
    return ms !== undefined && ms <= YEAR_MS;
  }, DURATION_HELP)
  .describe('Duration, Prometheus style: `30s`, `5m`, `1h30m`, `2d`, `1w`.');
export type AlertDuration = z.infer<typeof AlertDuration>;

/** A delay before escalating: a duration, or `immediate` (with the first notification). */
export const EscalationDelay = z
  .string()
  .refine((s) => {
    const ms = s === 'immediate' ? 0 : parseDurationMs(s);
    return ms !== undefined && ms <= YEAR_MS;
  }, 'must be "immediate" or a duration like "30s", "5m", "1h30m" or "2d"')
  .describe('`immediate` or a duration such as `5m`.');
export type EscalationDelay = z.infer<typeof EscalationDelay>;

const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]{0,99}$/;
const LABEL_NAME_HELP = 'must be a label name: letters, digits and underscores, not starting with a digit';
export const LabelName = z.string().regex(LABEL_NAME_RE, LABEL_NAME_HELP);
export type LabelName = z.infer<typeof LabelName>;

/** A record keyed by label names; a bad key is reported at its own path (zod says only "Invalid key"). */
function labelRecord<V extends z.ZodType>(value: V) {
  return z.record(z.string(), value).superRefine((rec, ctx) => {
    for (const key of Object.keys(rec))
      if (!LABEL_NAME_RE.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: LABEL_NAME_HELP });
  });
}

/**
 * Parses with the schema the input's shape calls for, so an error speaks of the form that was
 * meant (a plain union reports "Invalid input" or every alternative).
 */
function byShape<T>(
  pick: (input: unknown) => z.ZodType<T, unknown>,
  parsed: z.ZodType<T>,
): z.ZodType<T, unknown> {
  return z
    .unknown()
    .transform((input, ctx): unknown => {
      const result = pick(input).safeParse(input);
      if (result.success) return result.data;
      for (const issue of result.error.issues) ctx.addIssue({ ...issue, code: 'custom', input });
      return z.NEVER;
    })
    .pipe(parsed); // gives API responses a JSON Schema: the parsed (canonical) form
}

const RESERVED_LABELS = ['alertname', 'severity'];
export const RuleLabels = labelRecord(z.string().max(1000)).refine(
  (l) => !RESERVED_LABELS.some((r) => r in l),
  {
    error: `must not set ${RESERVED_LABELS.join(' or ')}: the rule's name and severity fill them`,
  },
);
export type RuleLabels = z.infer<typeof RuleLabels>;

const MatcherObject = z
  .strictObject({ name: LabelName, op: z.enum(MATCH_OPS), value: z.string().max(1000) })
  .superRefine((m, ctx) => {
    if (m.op !== '=~' && m.op !== '!~') return;
    const problem = regexProblem(m.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

const MatcherString = z.string().transform((text, ctx) => {
  const parsed = parseMatcher(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  const problem = parsed.op.endsWith('~') ? regexProblem(parsed.value) : undefined;
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return parsed;
});

/** `{ name, op, value }` or the Alertmanager string form `severity="critical"`. */
export const LabelMatcher = byShape(
  (input) => (typeof input === 'string' ? MatcherString : MatcherObject),
  MatcherObject,
).describe('Label matcher: `name="value"`, `name!="value"`, `name=~"regex"` or `name!~"regex"`.');
export type LabelMatcher = z.infer<typeof LabelMatcher>;

// ── expressions ──────────────────────────────────────────────────────────────────────────────

export const ComparisonOp = z.enum(['>', '>=', '<', '<=', '==', '!=']);
export type ComparisonOp = z.infer<typeof ComparisonOp>;

/** Units a threshold may be written in; the engine compares in base units (ms, ratio 0..1). */
export const ThresholdUnit = z.union(
  [z.enum(['ms', 's', 'min', '%', 'ratio', 'count']), z.string().regex(/^[A-Z]{3}$/)],
  {
    error: 'must be ms, s, min, %, ratio, count or a currency code like EUR',
  },
);
export type ThresholdUnit = z.infer<typeof ThresholdUnit>;

export const ChangeWindow = z.enum([
  'day-over-day',
  'week-over-week',
  'month-over-month',
  'same-hour-last-week',
]);
export type ChangeWindow = z.infer<typeof ChangeWindow>;

export const ThresholdExpr = z.strictObject({
  kind: z.literal('threshold'),
  metric: MetricKey,
  op: ComparisonOp,
  value: z.number().min(-1e12).max(1e12),
  unit: ThresholdUnit.optional(),
});
export type ThresholdExpr = z.infer<typeof ThresholdExpr>;

export const ChangeExpr = z.strictObject({
  kind: z.literal('change'),
  metric: MetricKey,
  direction: z.enum(['decrease', 'increase']),
  thresholdPct: z.number().gt(0).max(100_000).describe('Fires when the change is strictly greater, percent.'),
  window: ChangeWindow,
});
export type ChangeExpr = z.infer<typeof ChangeExpr>;

export const AbsenceExpr = z.strictObject({
  kind: z.literal('absence'),
  metric: z
    .union([z.literal('events'), MetricKey])
    .describe('`events` (any event of the domain) or a metric key.'),
  forMinutes: z.number().int().positive().max(525_600),
});
export type AbsenceExpr = z.infer<typeof AbsenceExpr>;

export const AnomalyExpr = z.strictObject({
  kind: z.literal('anomaly'),
  metric: MetricKey,
  sensitivity: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.95)
    .describe('Anomaly score at or above which the alert is active.'),
  method: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Detector to use; the caller decides what names mean.'),
});
export type AnomalyExpr = z.infer<typeof AnomalyExpr>;

const LeafExpr = z.discriminatedUnion('kind', [ThresholdExpr, ChangeExpr, AbsenceExpr, AnomalyExpr]);

export type AlertExpr =
  | ThresholdExpr
  | ChangeExpr
  | AbsenceExpr
  | AnomalyExpr
  | { all: AlertExpr[] }
  | { any: AlertExpr[] };

const THRESHOLD_RE =
  /^([a-z][a-z0-9]*(?:_[a-z0-9]+)*)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*(ms|s|min|%|[A-Z]{3})?$/;
const CHANGE_RE =
  /^([a-z][a-z0-9]*(?:_[a-z0-9]+)*)\s+(decrease|increase)\s*>\s*(\d+(?:\.\d+)?)\s*%\s+(day-over-day|week-over-week|month-over-month|same-hour-last-week)$/;

/** `response_time_p95 > 1000ms`, `error_rate > 1%` or `mrr decrease > 10% week-over-week`. */
export function parseExprShorthand(text: string): ThresholdExpr | ChangeExpr | undefined {
  const t = THRESHOLD_RE.exec(text.trim());
  if (t) {
    const [, metric = '', op, value, unit] = t;
    return {
      kind: 'threshold',
      metric,
      op: op as ComparisonOp,
      value: Number(value),
      ...(unit ? { unit: unit as ThresholdUnit } : {}),
    };
  }
  const c = CHANGE_RE.exec(text.trim());
  if (!c) return undefined;
  const [, metric = '', direction, pct, window] = c;
  if (!(Number(pct) > 0)) return undefined;
  return {
    kind: 'change',
    metric,
    direction: direction as ChangeExpr['direction'],
    thresholdPct: Number(pct),
    window: window as ChangeWindow,
  };
}

const Shorthand = z.string().transform((text, ctx) => {
  const expr = parseExprShorthand(text);
  if (!expr) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be an expression like "response_time_p95 > 1000ms", "error_rate > 1%" or "mrr decrease > 10% week-over-week"',
    });
    return z.NEVER;
  }
  return expr;
});

/**
 * One schema per shape, picked by the input's shape so an error names the shape that was meant
 * (a plain union would report every alternative).
 */
export const AlertExpr: z.ZodType<AlertExpr, unknown> = z.lazy(() =>
  byShape<AlertExpr>(
    (input) =>
      typeof input === 'string'
        ? Shorthand
        : field(input, 'all') !== undefined
          ? AllExpr
          : field(input, 'any') !== undefined
            ? AnyExpr
            : LeafExpr,
    ParsedExpr,
  ),
);

/** The parsed form: objects only, no shorthand. */
const ParsedExpr: z.ZodType<AlertExpr> = z.lazy(() =>
  z.union([
    LeafExpr,
    z.strictObject({ all: z.array(ParsedExpr) }),
    z.strictObject({ any: z.array(ParsedExpr) }),
  ]),
);

const AllExpr = z.strictObject({ all: z.array(AlertExpr).min(2, 'list at least two expressions').max(20) });
const AnyExpr = z.strictObject({ any: z.array(AlertExpr).min(2, 'list at least two expressions').max(20) });

// ── rules ─────────────────────────────────────────────────────────────────────────────────────

export const SuppressionKind = z.enum(['deployment', 'maintenance']);
export type SuppressionKind = z.infer<typeof SuppressionKind>;

export const AlertRule = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a rule name: letters, digits and underscores')
      .max(100)
      .describe('Becomes the `alertname` label; unique.'),
    expr: AlertExpr,
    for: AlertDuration.default('0s').describe('How long the expression must hold before the alert fires.'),
    severity: AlertSeverity,
    labels: RuleLabels.default({}),
    annotations: labelRecord(Text)
      .default({})
      .describe('`{{ $value }}` and `{{ $labels.x }}` are filled in.'),
    domains: z.array(Host).min(1).optional().describe('Only these domains; omitted means every domain.'),
    suppressDuring: z.array(SuppressionKind).default([]).describe('Windows that mute this rule.'),
    escalateAfter: EscalationDelay.optional().describe("Replaces the first escalation step's delay."),
  })
  .describe('An alert rule: an expression held for a while, with labels and a severity.');
export type AlertRule = z.infer<typeof AlertRule>;

// ── routing ───────────────────────────────────────────────────────────────────────────────────

const HHMM = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time HH:MM, e.g. 09:00');

export const BusinessHours = z
  .strictObject({
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone like Europe/Brussels'),
    days: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    start: HHMM.default('09:00'),
    end: HHMM.default('18:00'),
  })
  .refine((h) => h.start < h.end, { path: ['end'], error: 'must be after start' })
  .describe('Notifications of the route wait for these wall-clock hours.');
export type BusinessHours = z.infer<typeof BusinessHours>;

export const AlertRoute = z
  .strictObject({
    id: Slug,
    matchers: z.array(LabelMatcher).default([]).describe('All must match; empty matches every alert.'),
    receivers: z.array(Name).min(1).describe('Receiver (channel) names.'),
    groupBy: z.array(z.union([LabelName, z.literal('...')])).default(['alertname']),
    groupWait: AlertDuration.default('30s'),
    groupInterval: AlertDuration.default('5m'),
    repeatInterval: AlertDuration.default('4h'),
    businessHours: BusinessHours.optional(),
    continue: z.boolean().default(false).describe('Also try the routes after this one.'),
  })
  .describe('A route: which alerts go to which receivers, grouped and timed how.');
export type AlertRoute = z.infer<typeof AlertRoute>;

export const EscalationStep = z.strictObject({
  after: EscalationDelay.describe('Delay after the first notification of the alert.'),
  receivers: z.array(Name).min(1),
});
export type EscalationStep = z.infer<typeof EscalationStep>;

const Steps = z.array(EscalationStep).min(1).optional();
export const EscalationPolicy = z
  .strictObject({ critical: Steps, high: Steps, medium: Steps, low: Steps })
  .describe('Per severity, who is told when a firing alert is not acknowledged in time.');
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;

// ── muting ────────────────────────────────────────────────────────────────────────────────────

const Instant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time like 2025-06-01T22:00:00Z',
});

function endsAfterStart(v: { startsAt: string; endsAt: string }): boolean {
  return Date.parse(v.endsAt) > Date.parse(v.startsAt);
}

export const Silence = z
  .strictObject({
    id: z.string().min(1).max(100),
    matchers: z.array(LabelMatcher).min(1, 'list at least one matcher'),
    startsAt: Instant,
    endsAt: Instant,
    createdBy: Name,
    comment: Text,
  })
  .refine(endsAfterStart, { path: ['endsAt'], error: 'must be after startsAt' })
  .describe('Mutes matching alerts between startsAt and endsAt; they stay visible as silenced.');
export type Silence = z.infer<typeof Silence>;

export const SuppressionWindow = z
  .strictObject({
    id: z.string().min(1).max(100),
    kind: SuppressionKind,
    matchers: z.array(LabelMatcher).default([]),
    startsAt: Instant,
    endsAt: Instant,
    comment: Text.optional(),
  })
  .refine(endsAfterStart, { path: ['endsAt'], error: 'must be after startsAt' })
  .describe('A deployment or maintenance window; mutes rules whose suppressDuring names its kind.');
export type SuppressionWindow = z.infer<typeof SuppressionWindow>;

// ── the section ───────────────────────────────────────────────────────────────────────────────

function checkUnique(ctx: z.RefinementCtx, items: unknown, key: string, section: string, what: string): void {
  const seen = new Set<string>();
  records(items).forEach((item, i) => {
    const v = str(item?.[key]);
    if (v === undefined) return;
    if (seen.has(v))
      ctx.addIssue({ code: 'custom', path: [section, i, key], message: `duplicate ${what} "${v}"` });
    seen.add(v);
  });
}

export const AlertingConfig = z
  .strictObject({
    rules: z.array(AlertRule).default([]),
    routes: z
      .array(AlertRoute)
      .default([])
      .describe('Tried in order; the first match wins unless it continues.'),
    escalation: EscalationPolicy.default({}),
    suppressions: z
      .array(SuppressionWindow)
      .default([])
      .describe('Planned windows (more come from the API).'),
  })
  .superRefine((c, ctx) => {
    checkUnique(ctx, field(c, 'rules'), 'name', 'rules', 'rule name');
    checkUnique(ctx, field(c, 'routes'), 'id', 'routes', 'route id');
    checkUnique(ctx, field(c, 'suppressions'), 'id', 'suppressions', 'suppression id');
    if (list(field(c, 'rules')).length > 0 && list(field(c, 'routes')).length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['routes'],
        message: 'list at least one route so alerts reach someone',
      });
  }, always)
  .describe('Alert rules, routes, escalation and planned suppression windows.');
export type AlertingConfig = z.infer<typeof AlertingConfig>;

/** Every receiver name the section uses, to check against the configured channels. */
export function receiverNames(config: AlertingConfig): string[] {
  const names = new Set<string>();
  for (const r of config.routes) for (const n of r.receivers) names.add(n);
  for (const steps of Object.values(config.escalation))
    for (const s of steps ?? []) for (const n of s.receivers) names.add(n);
  return [...names].sort();
}
