import type { DomainOverlap, EngagementCohorts, EngagementSummary } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { BarList, Tabs } from '../components/bar-list.tsx';
import { Legend, LineChart } from '../components/charts.tsx';
import { HeatTable } from '../components/heat-table.tsx';
import { PageHead } from '../components/layout.tsx';
import { Panel, PanelBody } from '../components/panel.tsx';
import { Stat, Stats } from '../components/stat.tsx';
import { metricsUrl, useFilters, useQueryParam } from '../filters.ts';
import { formatBucket, formatCount, formatDuration, formatEur, formatPercent } from '../format.ts';

type Totals = EngagementSummary['totals'];
type ChangeKey = keyof EngagementSummary['change'];

const CARDS: {
  key: keyof Totals & ChangeKey;
  label: string;
  format: (v: unknown) => string;
  hint: string;
}[] = [
  { key: 'dau', label: 'DAU', format: (v) => formatCount(v), hint: 'Average distinct people active per day' },
  {
    key: 'mau',
    label: 'MAU',
    format: (v) => formatCount(v),
    hint: 'Distinct people in the 30 days ending at the last day',
  },
  { key: 'stickiness', label: 'Stickiness', format: (v) => formatPercent(v), hint: 'DAU ÷ MAU' },
  {
    key: 'avgSessionDurationS',
    label: 'Avg. session',
    format: formatDuration,
    hint: 'Total session time ÷ sessions',
  },
  {
    key: 'retention30d',
    label: '30-day retention',
    format: (v) => formatPercent(v),
    hint: 'Share of new users active again 30–59 days later',
  },
  {
    key: 'revenuePerUser',
    label: 'Revenue per user',
    format: (v) => formatEur(v),
    hint: 'Revenue ÷ active identified users',
  },
  {
    key: 'crossDomainRate',
    label: 'Cross-domain',
    format: (v) => formatPercent(v),
    hint: 'Share of active users active on 2 or more domains',
  },
  {
    key: 'activeUsers',
    label: 'Active users',
    format: (v) => formatCount(v),
    hint: 'Distinct identified users active in the range',
  },
];

function Summary(props: { data: EngagementSummary | undefined }) {
  const d = props.data;
  return (
    <Stats count={CARDS.length} testId="engagement-cards">
      {CARDS.map((c) => (
        <Stat
          key={c.key}
          label={c.label}
          hint={
            c.key === 'mau' && d?.totals.mauEstimated
              ? `${c.hint}; estimated from HyperLogLog sketches (standard error 2.3 %)`
              : c.hint
          }
          value={
            d ? `${c.key === 'mau' && d.totals.mauEstimated ? '≈ ' : ''}${c.format(d.totals[c.key])}` : '…'
          }
          change={d?.change[c.key] ?? null}
        />
      ))}
    </Stats>
  );
}

function Segments(props: { totals: Totals }) {
  return (
    <div className="stack" style={{ gap: 18 }}>
      <BarList
        testId="segments"
        columns={['Segment', 'Users', 'Share']}
        rows={props.totals.segments.map((s) => ({
          key: s.segment,
          label: (
            <>
              {s.label}{' '}
              <span className="muted">· {s.minDomains === 1 ? '1 domain' : `≥ ${s.minDomains} domains`}</span>
            </>
          ),
          value: s.users,
          cells: [formatCount(s.users), formatPercent(s.share)],
        }))}
      />
      {props.totals.domainsPerUser.length > 0 && (
        <BarList
          columns={['Active on', 'Users']}
          rows={props.totals.domainsPerUser.map((r) => ({
            key: String(r.domains),
            label: r.domains === 1 ? '1 domain' : `${r.domains} domains`,
            value: r.users,
            cells: [formatCount(r.users)],
          }))}
        />
      )}
    </div>
  );
}

function Cohorts() {
  const [filters] = useFilters();
  const [interval, setInterval] = useQueryParam<'month' | 'week'>('cohorts', 'month');
  const state = useApi<EngagementCohorts>(metricsUrl('engagement/cohorts', filters, { interval }));
  return (
    <Panel
      title="Cohort retention"
      actions={
        <Tabs
          label="Cohort interval"
          value={interval}
          onChange={setInterval}
          tabs={[
            { value: 'month', label: 'Monthly' },
            { value: 'week', label: 'Weekly' },
          ]}
        />
      }
    >
      <PanelBody
        state={state}
        isEmpty={(c) => c.cohorts.every((r) => r.users === 0)}
        empty="No identified users first seen in these cohorts."
      >
        {(c) => {
          // Cohorts before the first one with users are all zeros: leave them out.
          const first = c.cohorts.findIndex((r) => r.users > 0);
          const cohorts = c.cohorts.slice(Math.max(0, first));
          const width = Math.max(0, ...cohorts.map((r) => r.cells.length));
          return (
            <HeatTable
              testId="cohort-table"
              corner="Cohort"
              leadLabel="Users"
              columns={Array.from(
                { length: width },
                (_, i) => `${c.interval === 'week' ? 'Week' : 'Month'} ${i}`,
              )}
              rows={cohorts.map((r) => ({
                key: r.cohort,
                head:
                  c.interval === 'week'
                    ? `Week of ${formatBucket(r.cohort, 'day')}`
                    : formatBucket(r.cohort, 'month'),
                lead: formatCount(r.users),
                cells: Array.from({ length: width }, (_, i) => {
                  const cell = r.cells[i];
                  if (!cell || cell.share === null || r.users === 0) return { intensity: null, text: '' };
                  return {
                    intensity: cell.share,
                    text: formatPercent(cell.share, 0),
                    title: `${formatCount(cell.users)} of ${formatCount(r.users)} users active in ${cell.period}${cell.complete ? '' : ' (period still running)'}`,
                    partial: !cell.complete,
                  };
                }),
              }))}
            />
          );
        }}
      </PanelBody>
    </Panel>
  );
}

function Overlap() {
  const [filters] = useFilters();
  const state = useApi<DomainOverlap>(metricsUrl('engagement/overlap', filters));
  return (
    <Panel title="Domain overlap">
      <PanelBody
        state={state}
        isEmpty={(o) => o.users.every((u) => u === 0)}
        empty="No identified users active in this period."
      >
        {(o) => (
          <>
            <HeatTable
              testId="overlap-matrix"
              corner="Users of ↓ also on →"
              leadLabel="Users"
              columns={o.domains.map((d) => d.name)}
              rows={o.domains.map((d, i) => ({
                key: d.host,
                head: d.name,
                lead: formatCount(o.users[i]),
                cells: o.domains.map((other, j) => {
                  const share = o.share[i]?.[j] ?? null;
                  const both = o.matrix[i]?.[j] ?? 0;
                  if (i === j) return { intensity: null, text: '—' };
                  return {
                    intensity: share,
                    text: share === null ? '' : formatPercent(share, 0),
                    title: `${formatCount(both)} users active on both ${d.host} and ${other.host}`,
                  };
                }),
              }))}
            />
            <p className="hint" style={{ marginTop: 10 }}>
              Each row: the share of that domain's users who were also active on the column's domain.
            </p>
          </>
        )}
      </PanelBody>
    </Panel>
  );
}

export function UsersPage() {
  const [filters] = useFilters();
  const summary = useApi<EngagementSummary>(metricsUrl('engagement', filters));
  return (
    <>
      <PageHead title="Users" sub="Activity, retention and how people move between domains" />
      <div className="stack">
        <Summary data={summary.data} />
        <div className="grid-2">
          <Panel title="Daily active people">
            <PanelBody state={summary} isEmpty={(s) => s.series.length === 0} height={240}>
              {(s) => (
                <>
                  <LineChart
                    testId="dau-chart"
                    labels={s.series.map((p) => formatBucket(p.day, 'day'))}
                    format={(n) => formatCount(n)}
                    series={[
                      {
                        name: 'All people',
                        color: 'var(--chart-1)',
                        fill: true,
                        values: s.series.map((p) => p.dau),
                      },
                      { name: 'Identified users', color: '#10b981', values: s.series.map((p) => p.dauUsers) },
                    ]}
                  />
                  <Legend
                    items={[
                      { name: 'All people (visitors and users)', color: 'var(--chart-1)' },
                      { name: 'Identified users', color: '#10b981' },
                    ]}
                  />
                </>
              )}
            </PanelBody>
          </Panel>
          <Panel title="Segments">
            <PanelBody
              state={summary}
              isEmpty={(s) => s.totals.activeUsers === 0}
              empty="No identified users active in this period."
            >
              {(s) => <Segments totals={s.totals} />}
            </PanelBody>
          </Panel>
        </div>
        <Cohorts />
        <Overlap />
      </div>
    </>
  );
}
