import type { MrrMetricsOut, RevenueMetricsOut } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { BarList } from '../components/bar-list.tsx';
import { Legend, LineChart, SignedBarChart } from '../components/charts.tsx';
import { PageHead } from '../components/layout.tsx';
import { Panel, PanelBody } from '../components/panel.tsx';
import { ChangeBadge, Stat, Stats } from '../components/stat.tsx';
import { metricsUrl, periodDays, useFilters } from '../filters.ts';
import {
  formatBucket,
  formatCount,
  formatEur,
  formatMonths,
  formatPercent,
  formatRange,
  formatRatio,
  toNumber,
} from '../format.ts';

type Figures = MrrMetricsOut['total'];
type Bridge = MrrMetricsOut['bridge'];

function relChange(now: number | null, before: number | null | undefined): number | null {
  if (now === null || before === null || before === undefined || before === 0) return null;
  return (now - before) / Math.abs(before);
}

const CARDS: {
  key: keyof Figures;
  label: string;
  format: (v: unknown) => string;
  lowerIsBetter?: boolean;
  hint: string;
}[] = [
  {
    key: 'mrr',
    label: 'MRR',
    format: (v) => formatEur(v),
    hint: 'Monthly recurring revenue at the end of the range (yearly plans ÷ 12)',
  },
  { key: 'arr', label: 'ARR', format: (v) => formatEur(v), hint: '12 × MRR' },
  { key: 'arpa', label: 'ARPA', format: (v) => formatEur(v), hint: 'MRR ÷ paying customers' },
  {
    key: 'payingCustomers',
    label: 'Paying customers',
    format: (v) => formatCount(v),
    hint: 'Customers with MRR above 0',
  },
  {
    key: 'monthlyCustomerChurnRate',
    label: 'Customer churn',
    format: (v) => formatPercent(v),
    lowerIsBetter: true,
    hint: 'Customers lost per month, as a share of paying customers',
  },
  {
    key: 'grossMrrChurn',
    label: 'Gross MRR churn',
    format: (v) => formatPercent(v),
    lowerIsBetter: true,
    hint: '(churn + contraction) ÷ starting MRR',
  },
  {
    key: 'netMrrChurn',
    label: 'Net MRR churn',
    format: (v) => formatPercent(v),
    lowerIsBetter: true,
    hint: '(churn + contraction − expansion − reactivation) ÷ starting MRR',
  },
  {
    key: 'netRevenueRetention',
    label: 'NRR',
    format: (v) => formatPercent(v),
    hint: "End MRR of the start's customers ÷ starting MRR",
  },
  { key: 'clv', label: 'CLV', format: (v) => formatEur(v), hint: 'ARPA ÷ monthly customer churn' },
  {
    key: 'cac',
    label: 'CAC',
    format: (v) => formatEur(v),
    lowerIsBetter: true,
    hint: 'Marketing costs ÷ new customers',
  },
  { key: 'clvToCac', label: 'CLV : CAC', format: formatRatio, hint: 'Above 3× is healthy' },
  {
    key: 'paybackMonths',
    label: 'Payback',
    format: formatMonths,
    lowerIsBetter: true,
    hint: 'Months of ARPA to earn back the CAC',
  },
];

// Two rows: how big recurring revenue is, then how well it is kept and what it costs to win.
const GROWTH_KEYS: (keyof Figures)[] = ['mrr', 'arr', 'arpa', 'payingCustomers', 'netRevenueRetention'];
const GROWTH = CARDS.filter((c) => GROWTH_KEYS.includes(c.key));
const RETENTION = CARDS.filter((c) => !GROWTH_KEYS.includes(c.key));

const MOVES = [
  { key: 'new', name: 'New', color: '#10b981', sign: 1 },
  { key: 'expansion', name: 'Expansion', color: '#6ee7b7', sign: 1 },
  { key: 'reactivation', name: 'Reactivation', color: '#60a5fa', sign: 1 },
  { key: 'contraction', name: 'Contraction', color: '#f59e0b', sign: -1 },
  { key: 'churn', name: 'Churn', color: '#ef4444', sign: -1 },
] as const;

/** Losses are drawn below zero whichever sign the API gives them. */
function signed(m: Bridge[number], key: (typeof MOVES)[number]['key'], sign: number): number {
  return sign * Math.abs(m[key]);
}

function MrrBridge(props: { bridge: Bridge }) {
  const months = props.bridge;
  const labels = months.map((m) => formatBucket(m.month, 'month'));
  const net = months.map((m) => MOVES.reduce((a, mv) => a + signed(m, mv.key, mv.sign), 0));
  return (
    <div className="stack" style={{ gap: 12 }}>
      <SignedBarChart
        testId="mrr-bridge"
        labels={labels}
        stacks={MOVES.map((mv) => ({
          name: mv.name,
          color: mv.color,
          values: months.map((m) => signed(m, mv.key, mv.sign)),
        }))}
        line={{ name: 'Net new MRR', color: 'var(--text)', values: net }}
        format={(n) => formatEur(n)}
      />
      <Legend
        items={[
          ...MOVES.map((m) => ({ name: m.name, color: m.color })),
          { name: 'Net new MRR', color: 'var(--text)' },
        ]}
      />
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>Month</th>
              <th>Start</th>
              {MOVES.map((m) => (
                <th key={m.key}>{m.name}</th>
              ))}
              <th>End</th>
            </tr>
          </thead>
          <tbody>
            {months.map((m, i) => (
              <tr key={m.month}>
                <td>{labels[i]}</td>
                <td>{formatEur(m.start)}</td>
                {MOVES.map((mv) => {
                  const v = signed(m, mv.key, mv.sign);
                  return (
                    <td
                      key={mv.key}
                      style={{ color: v === 0 ? 'var(--muted)' : mv.sign > 0 ? 'var(--good)' : 'var(--bad)' }}
                    >
                      {v === 0 ? '—' : `${v > 0 ? '+' : '−'}${formatEur(Math.abs(v))}`}
                    </td>
                  );
                })}
                <td>
                  <strong>{formatEur(m.end)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function StreamTargets(props: { streams: RevenueMetricsOut['byStream'] }) {
  return (
    <div data-testid="stream-targets">
      {props.streams.map((s) => (
        <div className="target-row" key={String(s.stream)}>
          <div className="target-top">
            <span>
              <span className="name">{s.name ?? s.stream ?? 'Without a stream'}</span>{' '}
              <span className="muted">{s.crossPlatform ? 'cross-platform' : (s.domain ?? '')}</span>
            </span>
            <span className="num">
              <strong>{formatEur(s.net)}</strong>
              {s.target && <span className="muted"> of {formatEur(s.target.forRange)}</span>}{' '}
              <ChangeBadge change={s.change} />
            </span>
          </div>
          {s.target && (
            <>
              <div
                className="progress"
                title={`${formatPercent(s.target.progress)} of the target for this period`}
              >
                <span style={{ width: `${Math.min(100, Math.max(0, (s.target.progress ?? 0) * 100))}%` }} />
              </div>
              <span className="hint">
                {formatPercent(s.target.progress, 0)} of target · run rate {formatEur(s.target.runRate)}/yr
                against {formatEur(s.target.annual)}/yr
              </span>
            </>
          )}
        </div>
      ))}
    </div>
  );
}

function UnitEconomics(props: { rows: MrrMetricsOut['byDomain'] }) {
  return (
    <div className="table-wrap">
      <table className="table cards" data-testid="unit-economics">
        <thead>
          <tr>
            <th>Domain</th>
            <th>MRR</th>
            <th>Customers</th>
            <th>Revenue</th>
            <th>Cost of goods</th>
            <th>Gross margin</th>
            <th>CAC</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map(({ domain, current, previous }) => (
            <tr key={domain.host}>
              <td>{domain.name}</td>
              <td data-label="MRR">
                <div className="cell-stack">
                  {formatEur(current.mrr)}
                  <ChangeBadge change={relChange(current.mrr, previous?.mrr)} />
                </div>
              </td>
              <td data-label="Customers">{formatCount(current.payingCustomers)}</td>
              <td data-label="Revenue">{formatEur(current.revenue)}</td>
              <td data-label="Cost of goods">{formatEur(current.cogs)}</td>
              <td data-label="Gross margin">{formatPercent(current.grossMargin)}</td>
              <td data-label="CAC">{formatEur(current.cac)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CacByChannel(props: { channels: Figures['channels'] }) {
  return (
    <BarList
      columns={['Channel', 'Marketing', 'New', 'CAC']}
      rows={props.channels.map((c) => ({
        key: String(c.channel),
        label: c.channel ?? '(no channel)',
        value: c.marketing,
        cells: [formatEur(c.marketing), formatCount(c.newCustomers), formatEur(c.cac)],
      }))}
    />
  );
}

export function RevenuePage() {
  const [filters] = useFilters();
  const days = periodDays(filters);
  const revenue = useApi<RevenueMetricsOut>(metricsUrl('revenue', filters));
  const mrr = useApi<MrrMetricsOut>(metricsUrl('revenue/mrr', filters));
  const total = mrr.data?.total ?? null;
  const before = mrr.data?.previousTotal ?? null;
  const card = (c: (typeof CARDS)[number]) => (
    <Stat
      key={c.key}
      label={c.label}
      hint={c.hint}
      value={total ? c.format(total[c.key]) : mrr.error ? '—' : '…'}
      change={total ? relChange(toNumber(total[c.key]), toNumber(before?.[c.key])) : null}
      lowerIsBetter={c.lowerIsBetter}
      testId={`mrr-${c.key}`}
    />
  );

  return (
    <>
      <PageHead title="Revenue" sub="Recurring revenue, its movements, and every stream against its target" />
      <div className="stack">
        <Stats count={6} testId="mrr-cards">
          <Stat
            label="Revenue"
            hint="Earned revenue in the range, net of refunds"
            value={revenue.data ? formatEur(revenue.data.total.net) : revenue.error ? '—' : '…'}
            change={revenue.data?.change ?? null}
            testId="revenue-total"
          />
          {GROWTH.map(card)}
        </Stats>
        <Stats count={RETENTION.length} testId="churn-cards">
          {RETENTION.map(card)}
        </Stats>
        <Panel title="MRR bridge" testId="mrr-bridge-panel">
          <PanelBody
            state={mrr}
            isEmpty={(m) => m.bridge.every((b) => b.start === 0 && b.end === 0)}
            empty="No subscriptions in this period. Subscriptions arrive through Stripe webhooks or the revenue API."
            height={280}
          >
            {(m) => <MrrBridge bridge={m.bridge} />}
          </PanelBody>
        </Panel>
        <Panel title="Unit economics by domain">
          <PanelBody state={mrr} isEmpty={(m) => m.byDomain.length === 0} height={160}>
            {(m) => <UnitEconomics rows={m.byDomain} />}
          </PanelBody>
        </Panel>
        <div className="grid-2">
          <Panel title="Revenue streams against their targets">
            <PanelBody
              state={revenue}
              isEmpty={(r) => r.byStream.length === 0}
              empty="No revenue streams in your scope."
            >
              {(r) => <StreamTargets streams={r.byStream} />}
            </PanelBody>
          </Panel>
          <div className="stack">
            <Panel title="Revenue by domain">
              <PanelBody state={revenue} isEmpty={(r) => r.byDomain.length === 0} height={140}>
                {(r) => (
                  <BarList
                    columns={['Domain', 'Net', 'Change']}
                    rows={r.byDomain.map((d) => ({
                      key: d.domain.host,
                      label: d.domain.name,
                      value: Math.max(0, d.net),
                      cells: [formatEur(d.net), <ChangeBadge key="c" change={d.change} />],
                    }))}
                  />
                )}
              </PanelBody>
            </Panel>
            <Panel title="Revenue by type">
              <PanelBody state={revenue} isEmpty={(r) => r.byKind.length === 0} height={140}>
                {(r) => (
                  <BarList
                    columns={['Type', 'Net', 'Change']}
                    rows={r.byKind.map((k) => ({
                      key: k.kind,
                      label: k.kind.replaceAll('_', ' '),
                      value: Math.max(0, k.net),
                      cells: [formatEur(k.net), <ChangeBadge key="c" change={k.change} />],
                    }))}
                  />
                )}
              </PanelBody>
            </Panel>
          </div>
        </div>
        <div className="grid-2">
          <Panel title="Revenue over time">
            <PanelBody state={revenue} isEmpty={(r) => r.series.length === 0} height={240}>
              {(r) => (
                <>
                  <LineChart
                    labels={r.series.map((p) => formatBucket(p.date, r.interval))}
                    format={(n) => formatEur(n)}
                    series={[
                      {
                        name: 'Net revenue',
                        color: 'var(--chart-1)',
                        fill: true,
                        values: r.series.map((p) => p.net),
                      },
                      ...(r.previousSeries
                        ? [
                            {
                              name: 'Comparison',
                              color: 'var(--chart-2)',
                              dashed: true,
                              values: r.series.map((_, i) => r.previousSeries?.[i]?.net ?? null),
                              labels: r.series.map((_, i) => {
                                const p = r.previousSeries?.[i];
                                return p ? formatBucket(p.date, r.interval) : '';
                              }),
                            },
                          ]
                        : []),
                    ]}
                  />
                  {r.previous && r.previousSeries && (
                    <Legend
                      items={[
                        { name: formatRange(r.range.from, r.range.to), color: 'var(--chart-1)' },
                        {
                          name: formatRange(r.previous.from, r.previous.to),
                          color: 'var(--chart-2)',
                          dashed: true,
                        },
                      ]}
                    />
                  )}
                </>
              )}
            </PanelBody>
          </Panel>
          <Panel title="Acquisition cost by channel">
            <PanelBody
              state={mrr}
              isEmpty={(m) => m.total.channels.length === 0}
              empty={`No marketing costs or new customers in these ${days} days. Import costs with "portfolio-os import costs".`}
              height={140}
            >
              {(m) => <CacByChannel channels={m.total.channels} />}
            </PanelBody>
          </Panel>
        </div>
      </div>
    </>
  );
}
