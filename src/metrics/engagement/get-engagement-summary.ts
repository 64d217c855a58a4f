import type { Tx } from '../../db/types.ts';
import {
  change,
  type DateRange,
  inScope,
  localDate,
  type MetricContext,
  type MetricQuery,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { countMauPersons, type MauPersons } from './active-people.sql.ts';
import { selectDailyActivity } from './daily-activity.sql.ts';
import { sumEarnedRevenue } from './earned-revenue.sql.ts';
import {
  activityDays,
  averageDaily,
  averageSessionDuration,
  crossDomain,
  type DailyActivity,
  type DaySpan,
  fillDays,
  mauWindow,
  ratio,
  retentionCohortDays,
  segmentUsers,
} from './engagement-formulas.ts';
import type { EngagementSummary, EngagementTotals } from './engagement-schemas.ts';
import { selectUserFigures, type UserFigures, type UserWindows } from './user-figures.sql.ts';

interface Figures {
  windows: EngagementSummary['windows'];
  totals: EngagementTotals;
  series: EngagementSummary['series'];
}

/** One period's days: the range's activity days, MAU's window and the retention cohort's first days. */
function windowsOf(range: DateRange, now: Date): UserWindows {
  const days = activityDays(range, localDate(now, range.tz));
  return {
    days,
    mau: days ? mauWindow(days) : null,
    retentionCohort: days ? retentionCohortDays(days) : null,
  };
}

interface Daily {
  inRange: DailyActivity[];
  inMau: DailyActivity[];
  /** Rows of activity_daily in MAU's window: what an exact MAU count would read. */
  mauPersonDays: number;
}

/** The daily series of a period; both windows end at its last day, so the longer covers both. */
async function dailyOf(tx: Tx, domainIds: readonly string[], w: UserWindows): Promise<Daily> {
  if (!w.days || !w.mau) return { inRange: [], inMau: [], mauPersonDays: 0 };
  const union: DaySpan = w.days.days >= w.mau.days ? w.days : w.mau;
  const rows = await selectDailyActivity(tx, domainIds, union);
  const mauFrom = w.mau.from;
  const mauPersonDays = rows.reduce((s, r) => (r.day >= mauFrom ? s + r.userRows + r.visitors : s), 0);
  const daily = fillDays(
    union,
    rows.map(({ userRows: _, ...d }) => d),
  );
  const from = w.days.from;
  return {
    inRange: daily.filter((d) => d.day >= from),
    inMau: daily.filter((d) => d.day >= mauFrom),
    mauPersonDays,
  };
}

function totalsOf(daily: Daily, users: UserFigures, mau: MauPersons, revenueEur: number): EngagementTotals {
  const cross = crossDomain(users.buckets);
  // An estimate can fall below the exact count of users it includes; never report fewer.
  const mauPersons = Math.max(mau.persons, users.mauUsers);
  const { inRange, inMau } = daily;
  return {
    dau: averageDaily(inRange, 'persons'),
    dauUsers: averageDaily(inRange, 'users'),
    mau: mauPersons,
    mauUsers: users.mauUsers,
    mauEstimated: mau.estimated,
    stickiness: ratio(averageDaily(inMau, 'persons') ?? 0, mauPersons),
    stickinessUsers: ratio(averageDaily(inMau, 'users') ?? 0, users.mauUsers),
    sessions: inRange.reduce((s, d) => s + d.sessions, 0),
    avgSessionDurationS: averageSessionDuration(inRange),
    activeUsers: cross.activeUsers,
    retention30d: ratio(users.retentionRetained, users.retentionCohort),
    retention30dCohort: users.retentionCohort,
    retention30dRetained: users.retentionRetained,
    revenueEur,
    revenuePerUser: ratio(revenueEur, cross.activeUsers),
    crossDomainUsers: cross.users,
    crossDomainRate: cross.rate,
    segments: segmentUsers(users.buckets),
    domainsPerUser: users.buckets,
  };
}

/** Every engagement figure of the range and of its comparison period, in the caller's scoped transaction. */
async function engagementFigures(
  tx: Tx,
  domainIds: readonly string[],
  ranges: { range: DateRange; previous: DateRange | null },
  now: Date,
): Promise<{ current: Figures; previous: Figures | null }> {
  const periods = ranges.previous ? [ranges.range, ranges.previous] : [ranges.range];
  const windows = periods.map((r) => windowsOf(r, now));
  const daily: Daily[] = [];
  for (const w of windows) daily.push(await dailyOf(tx, domainIds, w));
  const users = await selectUserFigures(tx, domainIds, windows[0] as UserWindows, windows[1] ?? null);
  const mau = await countMauPersons(
    tx,
    domainIds,
    windows.map((w, i) => ({ days: w.mau, personDays: daily[i]?.mauPersonDays ?? 0 })),
  );
  const figures: Figures[] = [];
  for (const [i, range] of periods.entries()) {
    const w = windows[i] as UserWindows;
    const d = daily[i] as Daily;
    const revenueEur = await sumEarnedRevenue(tx, domainIds, range.start, range.end);
    figures.push({
      windows: { activity: w.days, mau: w.mau, retentionCohort: w.retentionCohort },
      totals: totalsOf(d, i === 0 ? users.current : users.previous, mau[i] as MauPersons, revenueEur),
      series: d.inRange.map((x) => ({
        day: x.day,
        dau: x.users + x.visitors,
        dauUsers: x.users,
        sessions: x.sessions,
      })),
    });
  }
  return { current: figures[0] as Figures, previous: figures[1] ?? null };
}

function relative(current: number | null, previous: number | null | undefined): number | null {
  return current === null ? null : change(current, previous);
}

/** `GET /api/v1/metrics/engagement`: DAU, MAU, stickiness, retention, revenue per user, cross-domain use. */
export async function getEngagementSummary({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: MetricQuery;
}): Promise<EngagementSummary> {
  const { range, previous } = resolveQuery(input, ctx.now);
  return inScope(ctx, async (tx) => {
    const domains = await resolveMetricDomains(tx, input.domains);
    const ids = domains.map((d) => d.id);
    const { current, previous: before } = await engagementFigures(tx, ids, { range, previous }, ctx.now);
    const t = current.totals;
    const p = before?.totals;
    return {
      range: rangeOut(range),
      previous: previous ? rangeOut(previous) : null,
      domains,
      windows: current.windows,
      totals: t,
      series: current.series,
      comparison: p ?? null,
      comparisonSeries: before?.series ?? null,
      change: {
        dau: relative(t.dau, p?.dau),
        mau: relative(t.mau, p?.mau),
        stickiness: relative(t.stickiness, p?.stickiness),
        avgSessionDurationS: relative(t.avgSessionDurationS, p?.avgSessionDurationS),
        retention30d: relative(t.retention30d, p?.retention30d),
        revenuePerUser: relative(t.revenuePerUser, p?.revenuePerUser),
        crossDomainRate: relative(t.crossDomainRate, p?.crossDomainRate),
        activeUsers: relative(t.activeUsers, p?.activeUsers),
      },
    };
  });
}
