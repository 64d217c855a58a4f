import {
  addDays,
  inScope,
  type MetricContext,
  makeRange,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../../metrics/metric-query.ts';
import { AppError } from '../../shared/app-error.ts';
import { incidentOut } from './list-incidents.ts';
import { type CheckFigures, checkFigures, incidentsOverlapping, monitoredSince } from './uptime.sql.ts';
import { downtimeBudgetS, UPTIME_TARGET, uptimeOver, uptimeVerdict } from './uptime-formulas.ts';
import type { UptimeHistoryQuery, UptimeHistoryResult } from './uptime-schemas.ts';

/** Longest per-day series: a year and a bit. */
export const MAX_HISTORY_DAYS = 400;

const round = (x: number | null, digits: number) =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;
const EMPTY: CheckFigures = { checks: 0, failed: 0, p50Ms: null, p95Ms: null, p99Ms: null };

/** One domain: uptime and response-time percentiles per day of the range, and its incidents. */
export async function getUptimeHistory({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: UptimeHistoryQuery & { host: string };
}): Promise<UptimeHistoryResult> {
  const { range } = resolveQuery({ ...input, compare: 'none' }, ctx.now);
  if (range.days > MAX_HISTORY_DAYS)
    throw new AppError('invalid_request', `at most ${MAX_HISTORY_DAYS} days of daily uptime`, 'from');
  const days = Array.from({ length: range.days }, (_, i) =>
    makeRange(addDays(range.from, i), addDays(range.from, i), range.tz),
  );
  return inScope(ctx, async (tx) => {
    const [domain] = await resolveMetricDomains(tx, input.host);
    if (!domain) throw new AppError('not_found', `unknown domain: ${input.host}`, 'host');
    const ids = [domain.id];
    const first = (await monitoredSince(tx, ids)).get(domain.id) ?? null;
    const incidents = await incidentsOverlapping(tx, ids, range);
    const spans = incidents.map((i) => ({ start: i.openedAt, end: i.closedAt }));
    const figures = await checkFigures(tx, ids, [...days, range]);
    const at = (i: number) => figures[i]?.get(domain.id) ?? EMPTY;
    const whole = uptimeOver(range, first, spans, ctx.now);
    const figuresOut = (f: CheckFigures) => ({
      checks: f.checks,
      failed: f.failed,
      p50Ms: round(f.p50Ms, 1),
      p95Ms: round(f.p95Ms, 1),
      p99Ms: round(f.p99Ms, 1),
    });
    return {
      domain,
      range: rangeOut(range),
      target: UPTIME_TARGET,
      totals: {
        uptime: round(whole.uptime, 6),
        downtimeS: Math.round(whole.downtimeS),
        downtimeBudgetS: Math.round(downtimeBudgetS(whole.monitoredS)),
        verdict: uptimeVerdict(whole.uptime),
        ...figuresOut(at(days.length)),
      },
      series: days.map((d, i) => {
        const u = uptimeOver(d, first, spans, ctx.now);
        return {
          day: d.from,
          uptime: round(u.uptime, 6),
          downtimeS: Math.round(u.downtimeS),
          ...figuresOut(at(i)),
        };
      }),
      incidents: incidents.map((r) => incidentOut(r, domain.host, ctx.now)),
    };
  });
}
