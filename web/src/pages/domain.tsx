import type { TrafficResult, TrafficTotals } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { Tabs } from '../components/bar-list.tsx';
import { PageHead } from '../components/layout.tsx';
import { LiveBadge, useLiveVisitors } from '../components/live-visitors.tsx';
import { Panel, PanelBody } from '../components/panel.tsx';
import { Stat, Stats } from '../components/stat.tsx';
import { TrackerSnippet } from '../components/tracker-snippet.tsx';
import { TrafficChart } from '../components/traffic-chart.tsx';
import {
  defaultInterval,
  type Filters,
  metricsUrl,
  periodDays,
  useFilters,
  useQueryParam,
} from '../filters.ts';
import { formatCount, formatDuration, formatEur, formatPercent, toNumber } from '../format.ts';
import { navigate, useLocation } from '../router.ts';
import { useSession } from '../session.tsx';
import {
  CampaignsPanel,
  DevicesPanel,
  FunnelPanel,
  GoalsPanel,
  PagesPanel,
  SourcesPanel,
} from './domain-panels.tsx';

type Metric =
  | 'visitors'
  | 'sessions'
  | 'pageviews'
  | 'viewsPerVisit'
  | 'bounceRate'
  | 'visitDurationS'
  | 'revenueEur';
type Interval = 'hour' | 'day' | 'week' | 'month';

const METRICS: { key: Metric; label: string; format: (v: unknown) => string; lowerIsBetter?: boolean }[] = [
  { key: 'visitors', label: 'Unique visitors', format: (v) => formatCount(v) },
  { key: 'sessions', label: 'Total visits', format: (v) => formatCount(v) },
  { key: 'pageviews', label: 'Total pageviews', format: (v) => formatCount(v) },
  {
    key: 'viewsPerVisit',
    label: 'Views per visit',
    format: (v) => (toNumber(v) === null ? '—' : (toNumber(v) as number).toFixed(2)),
  },
  { key: 'bounceRate', label: 'Bounce rate', format: (v) => formatPercent(v, 0), lowerIsBetter: true },
  { key: 'visitDurationS', label: 'Visit duration', format: formatDuration },
  { key: 'revenueEur', label: 'Revenue', format: (v) => formatEur(v) },
];

/** A figure of the totals or of one bucket (buckets have no views per visit or revenue: derived or absent). */
function figure(f: Partial<TrafficTotals> | null | undefined, key: Metric): number | null {
  if (!f) return null;
  if (key === 'viewsPerVisit' && f.viewsPerVisit === undefined) {
    return f.sessions ? (f.pageviews ?? 0) / f.sessions : null;
  }
  return toNumber(f[key]);
}

function change(t: TrafficResult, key: Metric): number | null {
  const now = figure(t.totals, key);
  const before = figure(t.comparison, key);
  return now === null || before === null || before === 0 ? null : (now - before) / Math.abs(before);
}

function TrafficTop(props: { host: string; filters: Filters }) {
  const [metric, setMetric] = useQueryParam<Metric>('metric', 'visitors');
  const auto = defaultInterval(periodDays(props.filters));
  const [interval, setInterval] = useQueryParam<Interval>('interval', auto);
  const traffic = useApi<TrafficResult>(metricsUrl('traffic', props.filters, { interval }));
  const def = METRICS.find((m) => m.key === metric) ?? (METRICS[0] as (typeof METRICS)[number]);
  const empty = (t: TrafficResult) =>
    (toNumber(t.totals.visitors) ?? 0) === 0 && (toNumber(t.totals.pageviews) ?? 0) === 0;

  return (
    <>
      <Stats count={METRICS.length} testId="domain-stats">
        {METRICS.map((m) => (
          <Stat
            key={m.key}
            label={m.label}
            value={traffic.data ? m.format(figure(traffic.data.totals, m.key)) : '…'}
            change={traffic.data ? change(traffic.data, m.key) : null}
            lowerIsBetter={m.lowerIsBetter}
            selected={metric === m.key}
            onSelect={() => setMetric(m.key)}
            testId={`stat-${m.key}`}
          />
        ))}
      </Stats>
      <Panel
        title={def.label}
        actions={
          <Tabs<Interval>
            label="Interval"
            value={interval}
            onChange={setInterval}
            tabs={[
              { value: 'hour', label: 'Hours' },
              { value: 'day', label: 'Days' },
              { value: 'week', label: 'Weeks' },
              { value: 'month', label: 'Months' },
            ]}
          />
        }
      >
        <PanelBody state={traffic} isEmpty={empty} empty={<TrackerSnippet host={props.host} />} height={260}>
          {(t) => (
            <TrafficChart
              testId="domain-chart"
              traffic={t}
              filters={props.filters}
              name={def.label}
              value={(p) => figure(p, def.key)}
              format={(n) => def.format(n)}
            />
          )}
        </PanelBody>
      </Panel>
    </>
  );
}

export function DomainPage(props: { host: string }) {
  const [filters] = useFilters();
  const { domains } = useSession();
  const { search } = useLocation();
  const domain = domains.find((d) => d.host === props.host);
  const live = useLiveVisitors(domain ? [props.host] : []);
  if (!domain) {
    return (
      <div className="panel">
        <div className="state">
          <strong>No domain {props.host} in your scope.</strong>
          <span>It is not in the portfolio, or your access does not include it.</span>
        </div>
      </div>
    );
  }
  // Every panel on this page covers this one domain, whatever the global domain filter says.
  const scoped: Filters = { ...filters, domains: [props.host] };

  return (
    <>
      <PageHead
        title={domain.name}
        sub={
          <a href={`https://${domain.host}`} target="_blank" rel="noreferrer">
            {domain.host} ↗
          </a>
        }
        domainFilter={false}
        extra={
          <>
            <LiveBadge counts={live} host={props.host} />
            {domains.length > 1 && (
              <select
                className="input"
                style={{ width: 'auto' }}
                aria-label="Switch domain"
                value={props.host}
                onChange={(e) => navigate(`/domains/${e.target.value}?${search.toString()}`)}
              >
                {domains.map((d) => (
                  <option key={d.host} value={d.host}>
                    {d.name}
                  </option>
                ))}
              </select>
            )}
          </>
        }
      />
      <div className="stack">
        <TrafficTop host={props.host} filters={scoped} />
        <div className="grid-2">
          <SourcesPanel filters={scoped} />
          <PagesPanel filters={scoped} />
          <CampaignsPanel filters={scoped} />
          <DevicesPanel filters={scoped} />
          <GoalsPanel filters={scoped} />
          <FunnelPanel filters={scoped} />
        </div>
      </div>
    </>
  );
}
