import type { Db } from '../../db/types.ts';
import {
  DEFAULT_REGRESSION_OPTIONS,
  detectLatencyRegression,
  type LatencyRegression,
  type LatencyRegressionOptions,
} from './detect-latency-regression.ts';
import { hourOf } from './hourly-latency.ts';
import { readHourlyP95 } from './latency-history.sql.ts';

const HOUR_MS = 3_600_000;

/** The regression rule on the stored history: the last complete hour against its baseline. */
export async function checkLatencyRegression(
  db: Db,
  now: Date,
  options: LatencyRegressionOptions & { route?: string } = DEFAULT_REGRESSION_OPTIONS,
): Promise<LatencyRegression> {
  const to = hourOf(now);
  const from = new Date(to.getTime() - (options.baselineHours + 1) * HOUR_MS);
  const hourly = await readHourlyP95(db, { from, to, ...(options.route ? { route: options.route } : {}) });
  return detectLatencyRegression(hourly, now, options);
}
