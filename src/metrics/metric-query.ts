import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { requireReader } from '../auth/actor.ts';
import type { Db, Scope, Tx } from '../db/types.ts';
import { AppError } from '../shared/app-error.ts';

// The query every metrics endpoint shares: a date range in a time zone, a domain filter and a
// comparison period. Dates are the owner's calendar days (inclusive), turned into UTC instants here.

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-26')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a real calendar date',
  );

export const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone like Europe/Brussels or UTC')
  .describe('IANA time zone the dates are read in (default UTC)');

export const Period = z.enum(['today', '7d', '30d', '90d', '12mo', '365d']);
export type Period = z.infer<typeof Period>;

export const Compare = z.enum(['none', 'previous_period', 'previous_year']);
export type Compare = z.infer<typeof Compare>;

/** Query string of every `GET /api/v1/metrics/...` endpoint. */
export const MetricQuery = z.object({
  from: IsoDate.optional().describe('First day, inclusive (default: from period)'),
  to: IsoDate.optional().describe('Last day, inclusive (default: today in tz)'),
  period: Period.optional().describe(
    'Shortcut for from/to ending today; ignored when from is given (default 30d)',
  ),
  tz: TimeZone.default('UTC'),
  domains: z
    .string()
    .max(4000)
    .optional()
    .describe('Comma-separated hosts (default: every domain you may see)'),
  compare: Compare.default('previous_period').describe('Comparison period shown next to each figure'),
});
export type MetricQuery = z.infer<typeof MetricQuery>;

/** A resolved range: calendar days in `tz` and the UTC instants that bound them ([start, end)). */
export interface DateRange {
  from: string;
  to: string;
  tz: string;
  start: Date;
  end: Date;
  days: number;
}

export interface ResolvedQuery {
  range: DateRange;
  previous: DateRange | null;
  tz: string;
}

const DAY_MS = 86_400_000;

/** Calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Offset of the time zone from UTC at an instant, in milliseconds (positive east of Greenwich). */
function offsetMs(instant: Date, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The UTC instant at which a calendar day starts in a time zone (DST-aware). */
export function startOfLocalDay(date: string, tz: string): Date {
  const guess = Date.parse(`${date}T00:00:00Z`);
  let t = guess - offsetMs(new Date(guess), tz);
  t = guess - offsetMs(new Date(t), tz); // second pass settles days where the offset changes
  return new Date(t);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

export function makeRange(from: string, to: string, tz: string): DateRange {
  return {
    from,
    to,
    tz,
    start: startOfLocalDay(from, tz),
    end: startOfLocalDay(addDays(to, 1), tz),
    days: daysBetween(from, to),
  };
}

const PERIOD_DAYS: Record<Period, number> = {
  today: 1,
  '7d': 7,
  '30d': 30,
  '90d': 90,
  '12mo': 365,
  '365d': 365,
};
/** Longest range accepted: ten years of daily figures. */
export const MAX_RANGE_DAYS = 3660;

/** Resolves from/to/period/compare against `now`; throws 400 with the field for impossible ranges. */
export function resolveQuery(q: MetricQuery, now: Date): ResolvedQuery {
  const tz = q.tz;
  const today = localDate(now, tz);
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -(PERIOD_DAYS[q.period ?? '30d'] - 1));
  if (from > to) throw new AppError('invalid_request', `from (${from}) is after to (${to})`, 'from');
  const days = daysBetween(from, to);
  if (days > MAX_RANGE_DAYS)
    throw new AppError('invalid_request', `the range is ${days} days; at most ${MAX_RANGE_DAYS}`, 'from');
  const range = makeRange(from, to, tz);
  let previous: DateRange | null = null;
  if (q.compare === 'previous_period') previous = makeRange(addDays(from, -days), addDays(from, -1), tz);
  if (q.compare === 'previous_year') {
    const shift = (d: string) => `${Number(d.slice(0, 4)) - 1}${d.slice(4)}`.replace(/-02-29$/, '-02-28');
    previous = makeRange(shift(from), shift(to), tz);
  }
  return { range, previous, tz };
}

/** A domain as metrics report it. */
export interface MetricDomain {
  id: string;
  host: string;
  name: string;
}

/**
 * The domains a query covers: the hosts asked for, or every non-archived domain the caller may see.
 * Runs inside the caller's scoped transaction, so row-level security decides; an unknown or
 * out-of-scope host is the same 404 (`field: domains`).
 */
export async function resolveMetricDomains(tx: Tx, hosts: string | undefined): Promise<MetricDomain[]> {
  const asked = (hosts ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  const res = await tx.query<MetricDomain>(
    `SELECT id, host, name FROM domains
      WHERE archived_at IS NULL AND (cardinality($1::text[]) = 0 OR host = ANY ($1::text[]))
      ORDER BY host`,
    [asked],
  );
  const found = new Set(res.rows.map((r) => r.host));
  const missing = asked.filter((h) => !found.has(h));
  if (missing.length > 0)
    throw new AppError(
      'not_found',
      `unknown domain: ${missing.join(', ')} (not in the portfolio, or not in your scope)`,
      'domains',
    );
  return res.rows;
}

/** What every metric verb receives: the database, the caller's scope and the clock. */
export interface MetricContext {
  db: Db;
  scope: Scope;
  now: Date;
}

export function metricContext(db: Db, actor: Actor, now = new Date()): MetricContext {
  requireReader(actor);
  return { db, scope: actor.scope, now };
}

/** Runs a metric's queries in one read transaction under the caller's scope (row-level security on). */
export function inScope<T>(ctx: MetricContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(fn, { scope: ctx.scope });
}

/** Relative change from previous to current; null when there is no comparison or previous is 0. */
export function change(current: number, previous: number | null | undefined): number | null {
  if (previous === null || previous === undefined || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/** The range as responses echo it. */
export const RangeOut = z.object({ from: z.string(), to: z.string(), tz: z.string(), days: z.number() });
export function rangeOut(r: DateRange): z.infer<typeof RangeOut> {
  return { from: r.from, to: r.to, tz: r.tz, days: r.days };
}
export const DomainOut = z.object({ id: z.string(), host: z.string(), name: z.string() });
