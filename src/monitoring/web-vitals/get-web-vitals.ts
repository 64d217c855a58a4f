import {
  inScope,
  type MetricContext,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../../metrics/metric-query.ts';
import type { MonitoringRangeQuery } from '../uptime/uptime-schemas.ts';
import {
  GOOGLE_THRESHOLDS,
  rateVital,
  SEED_LCP_TARGET_MS,
  seedLcpVerdict,
  VITALS,
  type Vital,
} from './vital-thresholds.ts';
import { webVitalsByDomain } from './web-vitals.sql.ts';
import type { WebVitalsResult } from './web-vitals-schemas.ts';

const round = (v: Vital, x: number) => (v === 'cls' ? Math.round(x * 1000) / 1000 : Math.round(x));

/** p75 of LCP, INP, CLS, FCP and TTFB per domain over a range, rated, against the seed's LCP target. */
export async function getWebVitals({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: MonitoringRangeQuery;
}): Promise<WebVitalsResult> {
  const { range } = resolveQuery({ ...input, compare: 'none' }, ctx.now);
  return inScope(ctx, async (tx) => {
    const domains = await resolveMetricDomains(tx, input.domains);
    const figures = await webVitalsByDomain(
      tx,
      domains.map((d) => d.id),
      range,
    );
    return {
      range: rangeOut(range),
      thresholds: GOOGLE_THRESHOLDS,
      domains: domains.map((domain) => {
        const f = figures.get(domain.id);
        const vital = (v: Vital) => {
          const p75 = f?.vitals[v].p75 ?? null;
          return {
            p75: p75 === null ? null : round(v, p75),
            samples: f?.vitals[v].samples ?? 0,
            rating: p75 === null ? null : rateVital(v, p75),
          };
        };
        const out = Object.fromEntries(VITALS.map((v) => [v, vital(v)])) as Record<
          Vital,
          ReturnType<typeof vital>
        >;
        return {
          domain,
          pageLoads: f?.pageLoads ?? 0,
          ...out,
          seedTarget: { lcpBelowMs: SEED_LCP_TARGET_MS, verdict: seedLcpVerdict(f?.vitals.lcp.p75 ?? null) },
        };
      }),
    };
  });
}
