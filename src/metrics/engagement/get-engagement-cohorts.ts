import {
  inScope,
  localDate,
  type MetricContext,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { buildCohortTable, cohortCountsFromMasks, cohortStarts, periodStart } from './cohort-table.ts';
import { selectCohortMasks } from './cohorts.sql.ts';
import { earlierDay } from './engagement-formulas.ts';
import type { CohortQuery, EngagementCohorts } from './engagement-schemas.ts';

/**
 * `GET /api/v1/metrics/engagement/cohorts`: the last `periods` weekly or monthly cohorts of identified
 * users up to the range's last day (today when the range runs on), each followed period by period.
 */
export async function getEngagementCohorts({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: CohortQuery;
}): Promise<EngagementCohorts> {
  const { range } = resolveQuery({ ...input, compare: 'none' }, ctx.now);
  const today = localDate(ctx.now, range.tz);
  const lastDay = earlierDay(range.to, today);
  const starts = cohortStarts(input.interval, lastDay, input.periods);
  const lastPeriod = periodStart(input.interval, lastDay);
  return inScope(ctx, async (tx) => {
    const domains = await resolveMetricDomains(tx, input.domains);
    const masks = await selectCohortMasks(
      tx,
      domains.map((d) => d.id),
      input.interval,
      starts[0] as string,
      lastDay,
      lastPeriod,
    );
    const counts = cohortCountsFromMasks(input.interval, lastPeriod, masks);
    return {
      range: rangeOut(range),
      domains,
      interval: input.interval,
      lastDay,
      cohorts: buildCohortTable(input.interval, starts, lastDay, counts),
    };
  });
}
