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
import { countActivePeople } from './active-people.sql.ts';
import { selectDailyActivity } from './daily-activity.sql.ts';
import { selectDomainsPerUser } from './domains-per-user.sql.ts';
import { sumEarnedRevenue } from './earned-revenue.sql.ts';
import {
  activityDays,
  averageDaily,
  averageSessionDuration,
  crossDomain,
  type DailyActivity,
  fillDays,
  mauWindow,
  ratio,
  retentionCohortDays,
  segmentUsers,
} from './engagement-formulas.ts';
import type { EngagementSummary, EngagementTotals } from './engagement-schemas.ts';
import { countRetention30 } from './retention.sql.ts';

interface Figures {
  windows: EngagementSummary['windows'];
  totals: EngagementTotals;
  series: EngagementSummary['series'];
}

/** Every engagement figure of one range, read in the caller's scoped transaction. */
async function engagementFigures(
  tx: Tx,
  domainIds: readonly string[],
  range: DateRange,
  now: Date,
): Promise<Figures> {
  const days = activityDays(range, localDate(now, range.tz));
  const mauDays = days ? mauWindow(days) : null;
  const cohortDays = days ? retentionCohortDays(days) : null;

  // Both end at the last day, so the longer of the range and MAU's window covers both series.
  let daily: DailyActivity[] = [];
  if (days && mauDays) {
    const union = days.days >= mauDays.days ? days : mauDays;
    daily = fillDays(union, await selectDailyActivity(tx, domainIds, union));
  }
  const inRange = days ? daily.filter((d) => d.day >= days.from) : [];
  const inMau = mauDays ? daily.filter((d) => d.day >= mauDays.from) : [];

  const mau = mauDays ? await countActivePeople(tx, domainIds, mauDays) : { users: 0, visitors: 0 };
  const buckets = days ? await selectDomainsPerUser(tx, domainIds, days) : [];
  const retention = cohortDays
    ? await countRetention30(tx, domainIds, cohortDays)
    : { cohort: 0, retained: 0 };
  const revenueEur = await sumEarnedRevenue(tx, domainIds, range.start, range.end);

  const mauPersons = mau.users + mau.visitors;
  const cross = crossDomain(buckets);
  const totals: EngagementTotals = {
    dau: averageDaily(inRange, 'persons'),
    dauUsers: averageDaily(inRange, 'users'),
    mau: mauPersons,
    mauUsers: mau.users,
    stickiness: ratio(averageDaily(inMau, 'persons') ?? 0, mauPersons),
    stickinessUsers: ratio(averageDaily(inMau, 'users') ?? 0, mau.users),
    sessions: inRange.reduce((s, d) => s + d.sessions, 0),
    avgSessionDurationS: averageSessionDuration(inRange),
    activeUsers: cross.activeUsers,
    retention30d: ratio(retention.retained, retention.cohort),
    retention30dCohort: retention.cohort,
    retention30dRetained: retention.retained,
    revenueEur,
    revenuePerUser: ratio(revenueEur, cross.activeUsers),
    crossDomainUsers: cross.users,
    crossDomainRate: cross.rate,
    segments: segmentUsers(buckets),
    domainsPerUser: buckets,
  };
  return {
    windows: { activity: days, mau: mauDays, retentionCohort: cohortDays },
    totals,
    series: inRange.map((d) => ({
      day: d.day,
      dau: d.users + d.visitors,
      dauUsers: d.users,
      sessions: d.sessions,
    })),
  };
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
    const current = await engagementFigures(tx, ids, range, ctx.now);
    const before = previous ? await engagementFigures(tx, ids, previous, ctx.now) : null;
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
