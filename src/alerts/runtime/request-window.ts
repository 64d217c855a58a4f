import type { SelfMetrics } from '../../monitoring/self-metrics/registry.ts';

// failed_login_attempts and suspicious_api_calls come from this server's own request counter
// (http_requests_total, by route template and status). The counter only grows, so the evaluator
// keeps its samples of the last hour and reports the growth since the oldest: the count of the
// last hour (since the start while the process is younger than an hour). Server-wide, in memory.

export const LOGIN_ROUTES: readonly string[] = ['/api/v1/auth/login'];
const WINDOW_MS = 3_600_000;

export interface RequestCounts {
  failedLogins: number;
  rateLimited: number;
}

interface CounterValue {
  labels: Record<string, string | number | undefined>;
  value: number;
}

/** Totals since the process started: 401 answers of login routes, 429 answers of any route. */
export async function readRequestTotals(metrics: SelfMetrics): Promise<RequestCounts> {
  const counter = metrics.registry.getSingleMetric('http_requests_total');
  const values: CounterValue[] = counter ? ((await counter.get()).values as CounterValue[]) : [];
  let failedLogins = 0;
  let rateLimited = 0;
  for (const v of values) {
    const status = String(v.labels.status ?? '');
    if (status === '401' && LOGIN_ROUTES.includes(String(v.labels.route ?? ''))) failedLogins += v.value;
    if (status === '429') rateLimited += v.value;
  }
  return { failedLogins, rateLimited };
}

/** Samples of the totals; `lastHour` is the growth over the samples kept (at most an hour old). */
export class RequestWindow {
  private samples: { at: number; totals: RequestCounts }[] = [];

  lastHour(now: Date, totals: RequestCounts): RequestCounts {
    const t = now.getTime();
    this.samples = this.samples.filter((s) => s.at >= t - WINDOW_MS && s.at <= t);
    const oldest = this.samples[0]?.totals ?? { failedLogins: 0, rateLimited: 0 };
    this.samples.push({ at: t, totals });
    return {
      failedLogins: Math.max(0, totals.failedLogins - oldest.failedLogins),
      rateLimited: Math.max(0, totals.rateLimited - oldest.rateLimited),
    };
  }
}
