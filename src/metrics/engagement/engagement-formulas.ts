import { addDays, type DateRange } from '../metric-query.ts';

// The engagement formulas as plain functions: counts from the database in, figures out. Every
// formula is written down in docs/metrics.md ("Engagement"); ratios are null, never NaN or Infinity,
// when their denominator is zero.

/** A person is retained at 30 days when active again on one of these days after their first day. */
export const RETENTION_FIRST_DAY = 30;
export const RETENTION_LAST_DAY = 59;
/** MAU counts the persons of the 30 days ending at the range's last day. */
export const MAU_DAYS = 30;

export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** An inclusive span of UTC days ('YYYY-MM-DD'). */
export interface DaySpan {
  from: string;
  to: string;
  days: number;
}

export function daySpan(from: string, to: string): DaySpan {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  return { from, to, days };
}

/** The earlier of two 'YYYY-MM-DD' days (they sort as text). */
export function earlierDay(a: string, b: string): string {
  return a < b ? a : b;
}

/**
 * The UTC days a range covers: activity is kept per UTC day, so the range's calendar dates are read
 * as UTC days (a Brussels day is off by its 1–2 hour offset). Days after `today` (the caller's date
 * in the range's time zone) have not happened and are left out; null when none has started.
 */
export function activityDays(range: Pick<DateRange, 'from' | 'to'>, today: string): DaySpan | null {
  const last = earlierDay(range.to, today);
  if (range.from > last) return null;
  return daySpan(range.from, last);
}

/** The 30 days ending at the last active day of the range: MAU's window. */
export function mauWindow(days: DaySpan): DaySpan {
  return daySpan(addDays(days.to, -(MAU_DAYS - 1)), days.to);
}

/**
 * First days of the 30-day retention cohort: users whose day-30..59 window ends inside the range,
 * so every cohort member's window is complete by the range's last day.
 */
export function retentionCohortDays(days: DaySpan): DaySpan {
  return daySpan(addDays(days.from, -RETENTION_LAST_DAY), addDays(days.to, -RETENTION_LAST_DAY));
}

/** Persons active on one day: identified users (once across domains) plus anonymous visitor ids. */
export interface DailyActivity {
  day: string;
  users: number;
  visitors: number;
  sessions: number;
  durationS: number;
}

/** Every day of the span with its activity; days without a row count as zero. */
export function fillDays(spanDays: DaySpan, rows: readonly DailyActivity[]): DailyActivity[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: DailyActivity[] = [];
  for (let i = 0; i < spanDays.days; i++) {
    const day = addDays(spanDays.from, i);
    out.push(byDay.get(day) ?? { day, users: 0, visitors: 0, sessions: 0, durationS: 0 });
  }
  return out;
}

/** Average daily active persons over the days (zero days included); null without days. */
export function averageDaily(days: readonly DailyActivity[], who: 'persons' | 'users'): number | null {
  if (days.length === 0) return null;
  const total = days.reduce((s, d) => s + d.users + (who === 'persons' ? d.visitors : 0), 0);
  return total / days.length;
}

/** Average session duration in seconds: total duration ÷ sessions started in the days. */
export function averageSessionDuration(days: readonly DailyActivity[]): number | null {
  const sessions = days.reduce((s, d) => s + d.sessions, 0);
  const duration = days.reduce((s, d) => s + d.durationS, 0);
  return ratio(duration, sessions);
}

/** How many identified users were active on exactly `domains` domains in the range. */
export interface DomainCountBucket {
  domains: number;
  users: number;
}

export const SEGMENTS = [
  { segment: 'power_user', label: 'Power User', minDomains: 5 },
  { segment: 'multi_domain', label: 'Multi-Domain User', minDomains: 3 },
  { segment: 'single_domain', label: 'Single Domain User', minDomains: 1 },
] as const;
export type SegmentName = (typeof SEGMENTS)[number]['segment'];

/** The seed's segment of a user active on `domains` domains (first matching threshold wins). */
export function segmentOf(domains: number): SegmentName {
  const found = SEGMENTS.find((s) => domains >= s.minDomains);
  return found ? found.segment : 'single_domain';
}

export interface SegmentFigure {
  segment: SegmentName;
  label: string;
  minDomains: number;
  users: number;
  share: number | null;
}

/** Users per segment and their share of active identified users. */
export function segmentUsers(buckets: readonly DomainCountBucket[]): SegmentFigure[] {
  const total = buckets.reduce((s, b) => s + b.users, 0);
  return SEGMENTS.map((s) => {
    const users = buckets.filter((b) => segmentOf(b.domains) === s.segment).reduce((n, b) => n + b.users, 0);
    return {
      segment: s.segment,
      label: s.label,
      minDomains: s.minDomains,
      users,
      share: ratio(users, total),
    };
  });
}

export interface CrossDomainFigure {
  activeUsers: number;
  users: number;
  rate: number | null;
}

/**
 * Cross-domain engagement: users active on ≥ 2 domains ÷ active identified users. Anonymous visitors
 * are not in the denominator: their ids are per domain, so they could never count as cross-domain.
 */
export function crossDomain(buckets: readonly DomainCountBucket[]): CrossDomainFigure {
  const activeUsers = buckets.reduce((s, b) => s + b.users, 0);
  const users = buckets.filter((b) => b.domains >= 2).reduce((s, b) => s + b.users, 0);
  return { activeUsers, users, rate: ratio(users, activeUsers) };
}
