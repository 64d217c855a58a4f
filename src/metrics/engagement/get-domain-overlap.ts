import {
  inScope,
  localDate,
  type MetricContext,
  type MetricQuery,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { activityDays } from './engagement-formulas.ts';
import type { DomainOverlap } from './engagement-schemas.ts';
import { selectOverlapCounts } from './overlap.sql.ts';
import { buildOverlapMatrix } from './overlap-matrix.ts';

/** `GET /api/v1/metrics/engagement/overlap`: identified users shared by each pair of domains. */
export async function getDomainOverlap({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: MetricQuery;
}): Promise<DomainOverlap> {
  const { range } = resolveQuery({ ...input, compare: 'none' }, ctx.now);
  const days = activityDays(range, localDate(ctx.now, range.tz));
  return inScope(ctx, async (tx) => {
    const domains = await resolveMetricDomains(tx, input.domains);
    const ids = domains.map((d) => d.id);
    const counts = days ? await selectOverlapCounts(tx, ids, days) : [];
    return { range: rangeOut(range), activity: days, domains, ...buildOverlapMatrix(ids, counts) };
  });
}
