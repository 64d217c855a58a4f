import type { Queryable } from '../../db/types.ts';
import { detectAnomalies } from '../../monitoring/anomaly/detect.ts';
import type { LatencyRegression } from '../../monitoring/self-metrics/detect-latency-regression.ts';
import { relayerAlertSeries } from '../../rewards/relayer/alert-metrics.ts';
import type { ChangeWindow } from '../alert-rule-schema.ts';
import type { MetricSeries, MetricSnapshot } from '../engine/metric-snapshot.ts';
import type { RequestCounts } from './request-window.ts';
import {
  selectAcquisition,
  selectActiveDomains,
  selectConversion,
  selectHourlyChainTransactions,
  selectKpiValues,
  selectLastEvents,
  selectRevenueWindows,
  selectUptimeWindow,
} from './snapshot-sources.sql.ts';

/** Uptime figures look at the check runs of the last 10 minutes (10 runs at the default 1/min). */
export const UPTIME_WINDOW_MS = 10 * 60_000;
/** Conversion over the last 7 UTC days, and only with enough visitors to mean something. */
export const CONVERSION_DAYS = 7;
export const CONVERSION_MIN_VISITORS = 50;
/** CAC over the last 30 UTC days. */
export const CAC_DAYS = 30;
/** Hourly on-chain transaction counts the anomaly detector scores (the last complete hour). */
export const ANOMALY_HOURS = 7 * 24;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface SnapshotExtras {
  /** The performance-regression check of this server (checkLatencyRegression), if available. */
  latencyRegression?: LatencyRegression | null;
  /** Login 401s and 429s of the last hour (RequestWindow), if this process counts requests. */
  requests?: RequestCounts | null;
  /** Metric keys of the KPI alert rules: their series come from kpi_snapshots. */
  kpiMetrics?: readonly string[];
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The engine's metric snapshot at `now` from the database (sources in docs/alerts.md, "Runtime").
 * A metric without data gives no series, so its threshold rules stay inactive ("no data").
 */
export async function collectSnapshot(
  tx: Queryable,
  now: Date,
  extras: SnapshotExtras = {},
): Promise<MetricSnapshot> {
  const domains = await selectActiveDomains(tx);
  const series: MetricSeries[] = [];
  const add = (metric: string, domain: string | null, fields: Omit<MetricSeries, 'metric' | 'labels'>) =>
    series.push({ metric, ...(domain === null ? {} : { labels: { domain } }), ...fields });

  for (const u of await selectUptimeWindow(tx, new Date(now.getTime() - UPTIME_WINDOW_MS), now)) {
    if (u.checks === 0) continue;
    add('availability', u.host, { value: u.ok / u.checks });
    add('error_rate', u.host, { value: u.errors / u.checks });
    if (u.p95 !== null) add('response_time_p95', u.host, { value: u.p95 });
    // Days left on the certificate (negative once expired): the seed's 21/14/7-day warnings are rules.
    if (u.tlsValidTo !== null)
      add('tls_days_left', u.host, { value: (new Date(u.tlsValidTo).getTime() - now.getTime()) / DAY_MS });
  }

  const lastEvents = await selectLastEvents(tx, now);
  for (const d of domains) {
    const last = lastEvents.get(d.host);
    add('events', d.host, last ? { lastSeenAt: last.toISOString() } : {});
  }

  for (const r of await selectRevenueWindows(tx, now))
    add('revenue', r.host, {
      value: r.current,
      baseline: { 'day-over-day': r.dayAgo, 'week-over-week': r.weekAgo },
    });

  const today = now.getTime();
  const conversion = await selectConversion(tx, {
    from: isoDay(today - (CONVERSION_DAYS - 1) * DAY_MS),
    to: isoDay(today),
  });
  for (const c of conversion)
    if (c.visitors >= CONVERSION_MIN_VISITORS)
      add('conversion_rate', c.host, { value: c.converters / c.visitors });

  const acquisition = await selectAcquisition(tx, {
    from: isoDay(today - (CAC_DAYS - 1) * DAY_MS),
    to: isoDay(today),
  });
  for (const a of acquisition)
    if (a.newCustomers > 0) add('cac', a.host, { value: a.marketing / a.newCustomers });

  series.push(...(await chainTransactionSeries(tx, now)));
  series.push(...(await relayerAlertSeries(tx, now)));
  series.push(...(await kpiSeries(tx, now, extras.kpiMetrics ?? [])));

  const regression = extras.latencyRegression;
  if (regression && regression.ratio !== null)
    add('latency_regression_ratio', null, { value: regression.ratio });
  if (extras.requests) {
    add('failed_login_attempts', null, { value: extras.requests.failedLogins });
    add('suspicious_api_calls', null, { value: extras.requests.rateLimited });
  }
  return { domains: domains.map((d) => d.host), series };
}

/** Hourly counts of the last week per domain, scored by the anomaly detector at the last complete hour. */
async function chainTransactionSeries(tx: Queryable, now: Date): Promise<MetricSeries[]> {
  const to = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const from = to - ANOMALY_HOURS * HOUR_MS;
  const rows = await selectHourlyChainTransactions(tx, new Date(from), new Date(to));
  const byHost = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const m = byHost.get(r.host) ?? new Map<number, number>();
    m.set(r.hour.getTime(), r.n);
    byHost.set(r.host, m);
  }
  const out: MetricSeries[] = [];
  for (const [host, counts] of byHost) {
    const points = Array.from({ length: ANOMALY_HOURS }, (_, i) => {
      const t = from + i * HOUR_MS;
      return { t, value: counts.get(t) ?? 0 };
    });
    const detection = detectAnomalies(points);
    const probability = detection.probabilities.at(-1);
    out.push({
      metric: 'blockchain_transactions',
      labels: { domain: host },
      value: points.at(-1)?.value ?? 0,
      ...(probability === null || probability === undefined ? {} : { anomalyScore: probability }),
    });
  }
  return out;
}

/** KPI values: the latest day's snapshot (today, else yesterday) against 1, 7 and 30 days before. */
async function kpiSeries(tx: Queryable, now: Date, keys: readonly string[]): Promise<MetricSeries[]> {
  if (keys.length === 0) return [];
  const t = now.getTime();
  const offsets = [0, 1, 2, 7, 8, 30, 31];
  const values = await selectKpiValues(
    tx,
    keys,
    offsets.map((o) => isoDay(t - o * DAY_MS)),
  );
  const out: MetricSeries[] = [];
  for (const key of new Set(keys)) {
    const base = [0, 1].find((o) => values.has(`${key}@${isoDay(t - o * DAY_MS)}`));
    if (base === undefined) continue;
    const at = (o: number) => values.get(`${key}@${isoDay(t - (base + o) * DAY_MS)}`);
    const baseline: Partial<Record<ChangeWindow, number>> = {};
    const windows: [ChangeWindow, number][] = [
      ['day-over-day', 1],
      ['week-over-week', 7],
      ['month-over-month', 30],
    ];
    for (const [w, o] of windows) {
      const v = at(o);
      if (v !== undefined) baseline[w] = v;
    }
    out.push({ metric: key, value: at(0), baseline });
  }
  return out;
}
