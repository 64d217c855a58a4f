import type { OverviewFigures, OverviewOut, TrafficResult } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { HealthScoreCard } from '../components/health-score.tsx';
import { Link, PageHead } from '../components/layout.tsx';
import { LiveBadge, useLiveVisitors } from '../components/live-visitors.tsx';
import { Panel, PanelBody } from '../components/panel.tsx';
import { ChangeBadge, Stat, Stats } from '../components/stat.tsx';
import { TrackerSnippet } from '../components/tracker-snippet.tsx';
import { TrafficChart } from '../components/traffic-chart.tsx';
import { defaultInterval, metricsUrl, periodDays, useFilters, useQueryParam } from '../filters.ts';
import { formatCount, formatEur, formatPercent } from '../format.ts';
import { useSession } from '../session.tsx';

type Column = 'visitors' | 'pageviews' | 'revenueEur' | 'mrrEur' | 'conversionRate';

const COLUMNS: { key: Column; label: string; total: string; format: (v: number) => string }[] = [
  { key: 'visitors', label: 'Visitors', total: 'Visitors', format: (v) => formatCount(v) },
  { key: 'pageviews', label: 'Pageviews', total: 'Pageviews', format: (v) => formatCount(v) },
  { key: 'revenueEur', label: 'Revenue', total: 'Revenue', format: (v) => formatEur(v) },
  { key: 'mrrEur', label: 'MRR', total: 'MRR', format: (v) => formatEur(v) },
  { key: 'conversionRate', label: 'Conversion', total: 'Conversion rate', format: (v) => formatPercent(v) },
];

function DomainsTable(props: { data: OverviewOut; live: Record<string, number> | null }) {
  const [sort, setSort] = useQueryParam<Column>('sort', 'visitors');
  const rows = [...props.data.domains].sort(
    (a, b) => b.figures[sort].value - a.figures[sort].value || a.domain.host.localeCompare(b.domain.host),
  );
  const totals: OverviewFigures = props.data.totals;
  const liveTotal = props.live ? Object.values(props.live).reduce((a, b) => a + b, 0) : null;
  return (
    <div className="table-wrap">
      <table className="table cards" data-testid="domains-table">
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
          {rows.map(({ domain, figures }) => (
            <tr key={domain.host} data-host={domain.host}>
              <td>
                <div className="domain-cell">
                  <Link to={`/domains/${domain.host}`}>{domain.name}</Link>
                  <span className="host">
                    {domain.host}
                    {figures.visitors.value === 0 && figures.pageviews.value === 0 && (
                      <>
                        {' · '}
                        <Link to={`/domains/${domain.host}`}>install the tracker</Link>
                      </>
                    )}
                  </span>
                </div>
              </td>
              <td className="num" data-label="Now">
                {props.live ? formatCount(props.live[domain.host] ?? 0) : '–'}
              </td>
              {COLUMNS.map((c) => (
                <td key={c.key} data-label={c.label}>
                  <div className="cell-stack">
                    <span data-testid={`cell-${c.key}`}>{c.format(figures[c.key].value)}</span>
                    <ChangeBadge change={figures[c.key].change} />
                  </div>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {rows.length > 1 && (
          <tfoot>
            <tr>
              <td>All domains</td>
              <td className="num" data-label="Now">
                {liveTotal === null ? '–' : formatCount(liveTotal)}
              </td>
              {COLUMNS.map((c) => (
                <td key={c.key} data-label={c.label}>
                  {c.format(totals[c.key].value)}
                </td>
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
  const traffic = useApi<TrafficResult>(metricsUrl('traffic', filters, { interval }));
  return (
    <Panel title="Visitors across the portfolio">
      <PanelBody state={traffic} height={260}>
        {(t) => (
          <TrafficChart
            testId="portfolio-chart"
            traffic={t}
            filters={filters}
            name="Visitors"
            value={(p) => p.visitors}
            format={(n) => formatCount(n)}
          />
        )}
      </PanelBody>
    </Panel>
  );
}

export function OverviewPage() {
  const [filters] = useFilters();
  const { domains } = useSession();
  const overview = useApi<OverviewOut>(metricsUrl('overview', filters));
  const live = useLiveVisitors(filters.domains);
  const totals = overview.data?.totals ?? null;
  const noData =
    totals !== null &&
    totals.visitors.value === 0 &&
    totals.revenueEur.value === 0 &&
    totals.mrrEur.value === 0;

  return (
    <>
      <PageHead
        title="Portfolio overview"
        sub={`${filters.domains.length || domains.length} of ${domains.length} domains`}
        extra={<LiveBadge counts={live} />}
      />
      <div className="stack">
        <HealthScoreCard />
        <Stats count={COLUMNS.length} testId="overview-totals">
          {COLUMNS.map((c) => (
            <Stat
              key={c.key}
              label={c.total}
              value={totals ? c.format(totals[c.key].value) : overview.error ? '—' : '…'}
              change={totals?.[c.key].change ?? null}
              testId={`total-${c.key}`}
            />
          ))}
        </Stats>
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
