import type { UptimeHistoryResult, UptimeSummaryResult, WebVitalsResult } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { Badge, type BadgeTone } from '../components/badge.tsx';
import { PageHead } from '../components/layout.tsx';
import { Panel, PanelBody } from '../components/panel.tsx';
import { Stat, Stats } from '../components/stat.tsx';
import { formatUptime, UptimeChart } from '../components/uptime-chart.tsx';
import { type Filters, metricsUrl, useFilters, useQueryParam } from '../filters.ts';
import { formatCount, formatDuration, formatRange } from '../format.ts';

type SummaryRow = UptimeSummaryResult['domains'][number];
type VitalsRow = WebVitalsResult['domains'][number];

/** The monitoring endpoints take the metrics' range and domain parameters (no comparison). */
const monitoringUrl = (endpoint: string, filters: Filters) =>
  metricsUrl(endpoint, { ...filters, compare: 'none' }).replace('/api/v1/metrics/', '/api/v1/monitoring/');

const VERDICT_TONE: Record<SummaryRow['verdict'], BadgeTone> = {
  met: 'good',
  missed: 'bad',
  no_data: 'neutral',
};
const VERDICT_LABEL: Record<SummaryRow['verdict'], string> = {
  met: 'Target met',
  missed: 'Below target',
  no_data: 'No checks',
};

const formatMs = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '—' : `${formatCount(ms)} ms`;

/** Open incidents first, then the lowest uptime: what needs attention on top. */
function worstFirst(rows: SummaryRow[]): SummaryRow[] {
  return [...rows].sort(
    (a, b) =>
      Number(b.openIncident !== null) - Number(a.openIncident !== null) ||
      (a.uptime30d ?? 2) - (b.uptime30d ?? 2) ||
      a.domain.host.localeCompare(b.domain.host),
  );
}

function TlsCell(props: { tls: SummaryRow['tls'] }) {
  if (!props.tls) return <span className="muted">—</span>;
  const { daysLeft, level } = props.tls;
  const tone: BadgeTone = level === 'ok' ? 'good' : level === '21d' || level === '14d' ? 'warn' : 'bad';
  return (
    <Badge tone={tone} title={`Certificate valid until ${new Date(props.tls.validTo).toUTCString()}`}>
      {daysLeft < 0 ? 'expired' : `${Math.floor(daysLeft)} d`}
    </Badge>
  );
}

function SummaryTable(props: {
  data: UptimeSummaryResult;
  selected: string;
  onSelect: (host: string) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="table cards" data-testid="uptime-table">
        <thead>
          <tr>
            <th>Domain</th>
            <th title={`Time-weighted over the last 30 days; target ${formatUptime(props.data.target)}`}>
              30 days
            </th>
            <th>Today</th>
            <th title="95th percentile of the response time, last 30 days">p95</th>
            <th title="Days until the TLS certificate expires">TLS</th>
            <th>Incident</th>
          </tr>
        </thead>
        <tbody>
          {worstFirst(props.data.domains).map((r) => (
            <tr
              key={r.domain.host}
              data-host={r.domain.host}
              aria-selected={r.domain.host === props.selected}
            >
              <td>
                <div className="domain-cell">
                  <button
                    type="button"
                    className="link-button"
                    aria-pressed={r.domain.host === props.selected}
                    onClick={() => props.onSelect(r.domain.host)}
                  >
                    {r.domain.name}
                  </button>
                  <span className="host">{r.domain.host}</span>
                </div>
              </td>
              <td data-label="30 days">
                <div className="cell-stack">
                  <span data-testid="uptime-30d">{formatUptime(r.uptime30d)}</span>
                  <Badge
                    tone={VERDICT_TONE[r.verdict]}
                    title={`${formatDuration(r.downtime30dS)} down of a ${formatDuration(r.downtimeBudget30dS)} budget`}
                  >
                    {VERDICT_LABEL[r.verdict]}
                  </Badge>
                </div>
              </td>
              <td data-label="Today">{formatUptime(r.uptimeToday)}</td>
              <td data-label="p95">{formatMs(r.p95Ms30d)}</td>
              <td data-label="TLS">
                <TlsCell tls={r.tls} />
              </td>
              <td data-label="Incident" data-testid="uptime-incident">
                {r.openIncident ? (
                  <Badge tone="bad" title={r.openIncident.lastError ?? undefined}>
                    Down {formatDuration(r.openIncident.durationS)} · {r.openIncident.cause}
                  </Badge>
                ) : r.lastCheck ? (
                  <span className="muted">Up</span>
                ) : (
                  <span className="muted">Not checked</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DomainHistory(props: { host: string }) {
  const [filters] = useFilters();
  const state = useApi<UptimeHistoryResult>(
    monitoringUrl(`uptime/${encodeURIComponent(props.host)}`, { ...filters, domains: [] }),
  );
  const h = state.data;
  return (
    <Panel
      title={`${props.host}: response time and uptime per day`}
      testId="uptime-history"
      actions={h && <span className="hint">{formatRange(h.range.from, h.range.to)}</span>}
    >
      <PanelBody
        state={state}
        height={260}
        isEmpty={(d) => d.totals.checks === 0 && d.incidents.length === 0}
        empty={`No checks of ${props.host} in this period: domains with status active are checked every minute; pick a later range, or set enabled: true for this host in the portfolio file's uptime section.`}
      >
        {(d) => (
          <>
            <Stats count={4} testId="uptime-totals">
              <Stat label="Uptime" value={formatUptime(d.totals.uptime)} testId="history-uptime" />
              <Stat
                label="Downtime"
                value={formatDuration(d.totals.downtimeS)}
                hint={`Budget ${formatDuration(d.totals.downtimeBudgetS)}`}
              />
              <Stat label="p95 response" value={formatMs(d.totals.p95Ms)} />
              <Stat label="Incidents" value={d.incidents.length} testId="history-incidents" />
            </Stats>
            <UptimeChart history={d} testId="uptime-chart" />
            <div className="legend">
              <span>
                <span className="swatch" style={{ background: 'var(--chart-1)' }} />
                p95 response time
              </span>
              <span>
                <span className="swatch" style={{ background: 'var(--good)' }} />
                day at or above {formatUptime(d.target)}
              </span>
              <span>
                <span className="swatch" style={{ background: 'var(--bad)' }} />
                day below it
              </span>
              <span>
                <span className="swatch incident-swatch" />
                incident
              </span>
            </div>
          </>
        )}
      </PanelBody>
    </Panel>
  );
}

const RATING_TONE: Record<string, BadgeTone> = { good: 'good', needs_improvement: 'warn', poor: 'bad' };

function Vital(props: { v: VitalsRow['lcp']; cls?: boolean }) {
  if (props.v.p75 === null) return <span className="muted">—</span>;
  const text = props.cls ? props.v.p75.toFixed(3) : formatMs(Math.round(props.v.p75));
  return (
    <Badge
      tone={RATING_TONE[props.v.rating ?? ''] ?? 'neutral'}
      title={`p75 of ${props.v.samples} page loads`}
    >
      {text}
    </Badge>
  );
}

function WebVitals() {
  const [filters] = useFilters();
  const state = useApi<WebVitalsResult>(monitoringUrl('web-vitals', filters));
  return (
    <Panel title="Web Vitals (p75)" testId="web-vitals">
      <PanelBody
        state={state}
        isEmpty={(d) => d.domains.every((r) => r.pageLoads === 0)}
        empty="No Web Vitals in this period: add the tracker's vitals extension (/js/script.vitals.js instead of /js/script.js) to your pages; each page load then reports LCP, INP, CLS, FCP and TTFB."
      >
        {(d) => (
          <div className="table-wrap">
            <table className="table cards">
              <thead>
                <tr>
                  <th>Domain</th>
                  <th>Page loads</th>
                  <th title="Seed target: LCP below 1.3 s">LCP</th>
                  <th>INP</th>
                  <th>CLS</th>
                  <th>FCP</th>
                  <th>TTFB</th>
                </tr>
              </thead>
              <tbody>
                {d.domains
                  .filter((r) => r.pageLoads > 0)
                  .map((r) => (
                    <tr key={r.domain.host} data-host={r.domain.host}>
                      <td>
                        <div className="domain-cell">
                          <span>{r.domain.name}</span>
                          <span className="host">
                            {r.seedTarget.verdict === 'met'
                              ? `LCP under ${r.seedTarget.lcpBelowMs / 1000} s`
                              : r.seedTarget.verdict === 'missed'
                                ? `LCP above the ${r.seedTarget.lcpBelowMs / 1000} s target`
                                : r.domain.host}
                          </span>
                        </div>
                      </td>
                      <td data-label="Page loads">{formatCount(r.pageLoads)}</td>
                      <td data-label="LCP">
                        <Vital v={r.lcp} />
                      </td>
                      <td data-label="INP">
                        <Vital v={r.inp} />
                      </td>
                      <td data-label="CLS">
                        <Vital v={r.cls} cls />
                      </td>
                      <td data-label="FCP">
                        <Vital v={r.fcp} />
                      </td>
                      <td data-label="TTFB">
                        <Vital v={r.ttfb} />
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        )}
      </PanelBody>
    </Panel>
  );
}

export function UptimePage() {
  const [filters] = useFilters();
  const summary = useApi<UptimeSummaryResult>(monitoringUrl('uptime', filters));
  const [host, setHost] = useQueryParam<string>('host', '');
  const rows = summary.data ? worstFirst(summary.data.domains) : [];
  const selected = rows.some((r) => r.domain.host === host) ? host : (rows[0]?.domain.host ?? '');
  const checked = rows.filter((r) => r.checks30d > 0);
  const down = rows.filter((r) => r.openIncident !== null).length;

  return (
    <>
      <PageHead
        title="Uptime"
        sub="Checks every minute, against the 99.97 % target; certificates and page speed"
      />
      <div className="stack">
        <Stats count={3} testId="uptime-summary">
          <Stat label="Domains checked" value={summary.data ? `${checked.length} of ${rows.length}` : '…'} />
          <Stat label="Down now" value={summary.data ? down : '…'} testId="uptime-down" />
          <Stat
            label="Meeting the target (30 days)"
            value={
              summary.data ? `${rows.filter((r) => r.verdict === 'met').length} of ${checked.length}` : '…'
            }
          />
        </Stats>
        <Panel title="Domains, last 30 days" testId="uptime-domains">
          <PanelBody
            state={summary}
            isEmpty={(d) => d.domains.every((r) => r.checks30d === 0 && r.lastCheck === null)}
            empty="No checks yet: every active domain is checked once a minute by the server (unless UPTIME_CHECKS=off); the first results show up here within a minute of starting it."
          >
            {(d) => <SummaryTable data={d} selected={selected} onSelect={setHost} />}
          </PanelBody>
        </Panel>
        {selected && checked.length > 0 && <DomainHistory key={selected} host={selected} />}
        <WebVitals />
      </div>
    </>
  );
}
