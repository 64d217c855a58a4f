import type { Overview, OverviewDomain, TrafficSummary } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { Legend, LineChart } from '../components/charts.tsx';
import { Link, PageHead } from '../components/layout.tsx';
import { LiveBadge, useLiveVisitors } from '../components/live-visitors.tsx';
import { Panel, PanelBody } from '../components/panel.tsx';
import { ChangeBadge, Stat } from '../components/stat.tsx';
import { TrackerSnippet } from '../components/tracker-snippet.tsx';
import { defaultInterval, metricsUrl, periodDays, useFilters, useQueryParam } from '../filters.ts';
import { formatBucket, formatCount, formatEur, formatPercent, toNumber } from '../format.ts';
import { useSession } from '../session.tsx';

type Column = 'visitors' | 'pageviews' | 'revenueEur' | 'mrrEur' | 'conversionRate';

const COLUMNS: { key: Column; label: string; format: (v: unknown) => string }[] = [
  { key: 'visitors', label: 'Visitors', format: (v) => formatCount(v) },
  { key: 'pageviews', label: 'Pageviews', format: (v) => formatCount(v) },
  { key: 'revenueEur', label: 'Revenue', format: (v) => formatEur(v) },
  { key: 'mrrEur', label: 'MRR', format: (v) => formatEur(v) },
  { key: 'conversionRate', label: 'Conversion', format: (v) => formatPercent(v) },
];

/** A figure's change, whether the API nests it (`change.visitors`) or flattens it (`visitorsChange`). */
function changeOf(row: Partial<OverviewDomain> | null | undefined, key: string): number | null {
  if (!row) return null;
  const nested = row.change?.[key];
  if (nested !== undefined) return nested ?? null;
  return toNumber(row[`${key}Change`]);
}

function DomainsTable(props: { data: Overview; live: Record<string, number> | null }) {
  const [sort, setSort] = useQueryParam<Column>('sort', 'visitors');
  const rows = [...props.data.domains].sort(
    (a, b) => (toNumber(b[sort]) ?? -1) - (toNumber(a[sort]) ?? -1) || a.host.localeCompare(b.host),
  );
  const totals = props.data.totals;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="domains-table">
        <thead>
          <tr>
            <th>Domain</th>
            <th title="Distinct visitors in the last 5 minutes">Now</th>
            {COLUMNS.map((c) => (
              <th key={c.key} aria-sort={sort === c.key ? 'descending' : undefined}>
                <button type="button" aria-pressed={sort === c.key} onClick={() => setSort(c.key)}>
                  {c.label}
                  {sort === c.key ? ' ↓' : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.host} data-host={d.host}>
              <td>
                <div className="domain-cell">
                  <Link to={`/domains/${d.host}`}>{d.name ?? d.host}</Link>
                  <span className="host">{d.host}</span>
                </div>
              </td>
              <td className="num">{props.live ? formatCount(props.live[d.host] ?? 0) : '–'}</td>
              {COLUMNS.map((c) => (
                <td key={c.key}>
                  <div className="cell-stack">
                    <span data-testid={`cell-${c.key}`}>{c.format(d[c.key])}</span>
                    <ChangeBadge change={changeOf(d, c.key)} />
                  </div>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {totals && rows.length > 1 && (
          <tfoot>
            <tr>
              <td>All domains</td>
              <td className="num">
                {props.live ? formatCount(Object.values(props.live).reduce((a, b) => a + b, 0)) : '–'}
              </td>
              {COLUMNS.map((c) => (
                <td key={c.key}>{c.format(totals[c.key])}</td>
              ))}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

function PortfolioChart() {
  const [filters] = useFilters();
  const interval = defaultInterval(periodDays(filters));
  const traffic = useApi<TrafficSummary>(metricsUrl('traffic', filters, { interval }));
  return (
    <Panel title="Visitors across the portfolio">
      <PanelBody state={traffic} height={260}>
        {(t) => {
          const series = t.series ?? [];
          const prev = t.comparisonSeries ?? null;
          return (
            <>
              <LineChart
                testId="portfolio-chart"
                labels={series.map((p) => formatBucket(p.bucket, interval))}
                format={(n) => formatCount(n)}
                series={[
                  {
                    name: 'Visitors',
                    color: 'var(--chart-1)',
                    fill: true,
                    values: series.map((p) => toNumber(p.visitors)),
                  },
                  ...(prev
                    ? [
                        {
                          name: 'Previous period',
                          color: 'var(--chart-2)',
                          dashed: true,
                          values: series.map((_, i) => toNumber(prev[i]?.visitors)),
                          labels: series.map((_, i) =>
                            prev[i] ? formatBucket(prev[i].bucket, interval) : '',
                          ),
                        },
                      ]
                    : []),
                ]}
              />
              {prev && (
                <Legend
                  items={[
                    { name: 'This period', color: 'var(--chart-1)' },
                    { name: 'Comparison', color: 'var(--chart-2)', dashed: true },
                  ]}
                />
              )}
            </>
          );
        }}
      </PanelBody>
    </Panel>
  );
}

export function OverviewPage() {
  const [filters] = useFilters();
  const { domains } = useSession();
  const overview = useApi<Overview>(metricsUrl('overview', filters));
  const live = useLiveVisitors(filters.domains);
  const t = overview.data?.totals ?? null;
  const noData =
    overview.data !== undefined &&
    (toNumber(t?.visitors) ?? 0) === 0 &&
    (toNumber(t?.revenueEur) ?? 0) === 0 &&
    (toNumber(t?.mrrEur) ?? 0) === 0;

  return (
    <>
      <PageHead
        title="Portfolio overview"
        sub={`${filters.domains.length || domains.length} of ${domains.length} domains`}
        extra={<LiveBadge counts={live} />}
      />
      <div className="stack">
        <div className="stats" data-testid="overview-totals">
          {COLUMNS.map((c) => (
            <Stat
              key={c.key}
              label={c.label === 'Conversion' ? 'Conversion rate' : c.label}
              value={overview.data ? c.format(t?.[c.key]) : '…'}
              change={changeOf(t, c.key) ?? overview.data?.change?.[c.key] ?? null}
              testId={`total-${c.key}`}
            />
          ))}
        </div>
        <Panel title="Domains side by side" testId="overview-domains">
          <PanelBody
            state={overview}
            isEmpty={(o) => o.domains.length === 0}
            empty="No domains in your scope."
          >
            {(o) => (
              <>
                <DomainsTable data={o} live={live?.byHost ?? null} />
                {noData && <TrackerSnippet title="No visits or revenue in this period yet" />}
              </>
            )}
          </PanelBody>
        </Panel>
        <PortfolioChart />
      </div>
    </>
  );
}
