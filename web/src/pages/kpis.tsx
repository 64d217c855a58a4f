import type { KpiOut, KpisOut } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { Badge, type BadgeTone } from '../components/badge.tsx';
import { Tabs } from '../components/bar-list.tsx';
import { KpiSparkline } from '../components/kpi-sparkline.tsx';
import { SimplePageHead } from '../components/layout.tsx';
import { ErrorState, Panel } from '../components/panel.tsx';
import { Stat, Stats } from '../components/stat.tsx';
import { useQueryParam } from '../filters.ts';
import { formatCount, formatDay, formatEur, formatPercent } from '../format.ts';

type Verdict = KpiOut['verdict'];

const VERDICTS: Record<Verdict, { label: string; tone: BadgeTone; hint: string }> = {
  'on-track': { label: 'On track', tone: 'good', hint: 'The trend meets the target by its deadline' },
  'at-risk': { label: 'At risk', tone: 'warn', hint: 'The trend may miss the target' },
  'off-track': { label: 'Off track', tone: 'bad', hint: 'The trend misses the target' },
  'insufficient-data': {
    label: 'Too little data',
    tone: 'neutral',
    hint: 'Fewer than 3 daily values: no trend yet',
  },
  'no-target': { label: 'Watched', tone: 'neutral', hint: 'No target in the portfolio file' },
  'no-deadline': { label: 'No deadline', tone: 'info', hint: 'A target without a date: progress only' },
  unbound: { label: 'Not measured', tone: 'neutral', hint: 'No metric is bound to this key' },
};

/** A value in its KPI's unit: money in its currency, a percentage as 0..100, durations with units. */
export function formatKpiValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '—';
  switch (unit) {
    case 'percentage':
      return `${value.toFixed(Math.abs(value) < 10 ? 2 : 1)}%`;
    case 'ratio':
      return `${value.toFixed(2)}×`;
    case 'count':
    case 'users':
      return formatCount(value);
    case 'milliseconds':
      return `${formatCount(value)} ms`;
    case 'seconds':
      return `${formatCount(value)} s`;
    case 'minutes':
      return `${formatCount(value)} min`;
    case 'hours':
      return `${formatCount(value)} h`;
    case 'days':
      return `${formatCount(value)} d`;
    case 'EUR':
      return formatEur(value);
    default:
      return new Intl.NumberFormat('en', {
        style: 'currency',
        currency: unit,
        maximumFractionDigits: 0,
      }).format(value);
  }
}

function KpiRow(props: { kpi: KpiOut; asOf: string }) {
  const { kpi } = props;
  const v = VERDICTS[kpi.verdict];
  const fmt = (n: number | null) => formatKpiValue(n, kpi.unit);
  return (
    <div className="kpi-row" data-testid="kpi-row" data-key={kpi.key} data-verdict={kpi.verdict}>
      <div className="kpi-main">
        <div className="target-top">
          <span>
            <span className="name">{kpi.name}</span>{' '}
            <Badge tone={v.tone} title={v.hint} testId="kpi-verdict">
              {v.label}
            </Badge>
          </span>
          <span className="num">
            <strong data-testid="kpi-current">{fmt(kpi.current)}</strong>
            {kpi.target !== null && <span className="muted"> of {fmt(kpi.target)}</span>}
          </span>
        </div>
        {kpi.progress !== null && (
          <div
            className="progress"
            role="progressbar"
            aria-label={`${kpi.name}: progress toward the target`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(kpi.progress * 100)}
          >
            <span style={{ width: `${Math.min(100, Math.max(0, kpi.progress * 100))}%` }} />
          </div>
        )}
        <span className="hint" data-testid="kpi-detail">
          {kpiDetail(kpi, fmt)}
        </span>
      </div>
      <div className="kpi-spark">
        <KpiSparkline kpi={kpi} asOf={props.asOf} />
      </div>
    </div>
  );
}

function kpiDetail(kpi: KpiOut, fmt: (n: number | null) => string): string {
  if (kpi.binding.status === 'unbound') return kpi.binding.reason ?? 'No metric is bound to this key.';
  const parts: string[] = [];
  if (kpi.progress !== null)
    parts.push(`${formatPercent(kpi.progress, 0)} of the way from ${fmt(kpi.baseline)}`);
  if (kpi.trend) {
    const perMonth = kpi.trend.slopePerDay * 30;
    parts.push(`trend ${perMonth >= 0 ? '+' : '−'}${fmt(Math.abs(perMonth))}/month`);
  }
  if (kpi.deadline && kpi.projected !== null)
    parts.push(`${fmt(kpi.projected)} expected by ${formatDay(kpi.deadline)}`);
  else if (kpi.deadline) parts.push(`deadline ${formatDay(kpi.deadline)}`);
  if (kpi.probability !== null) parts.push(`${formatPercent(kpi.probability, 0)} chance of meeting it`);
  if (kpi.currentFrom === 'live') parts.push("today's snapshot not taken yet: value computed live");
  if (kpi.verdict === 'insufficient-data')
    parts.push('a trend needs 3 daily values; snapshots are taken every day at 00:10 UTC');
  return parts.join(' · ');
}

function groupByCategory(kpis: KpiOut[]): [string, KpiOut[]][] {
  const groups = new Map<string, KpiOut[]>();
  for (const k of kpis) groups.set(k.category, [...(groups.get(k.category) ?? []), k]);
  return [...groups];
}

function NoAccess(props: { status: number; message: string }) {
  return (
    <Panel title="KPIs">
      <div className="panel-body">
        <div className="state" role="alert" data-testid="kpis-no-access">
          {props.status === 403 ? (
            <>
              <strong>KPIs are portfolio-wide, and your access covers only some domains.</strong>
              <span>
                Their figures add up every domain, so they are shown only to operators who see all of them.
                Ask the owner for access to every domain, or use the overview for your domains.
              </span>
            </>
          ) : (
            <>
              <strong>No portfolio file is loaded yet.</strong>
              <span>KPIs come from its kpis: section; load the portfolio file, then come back.</span>
            </>
          )}
          <span className="muted">{props.message}</span>
        </div>
      </div>
    </Panel>
  );
}

export function KpisPage() {
  const [days, setDays] = useQueryParam<'30' | '90' | '180' | '365'>('days', '90');
  const state = useApi<KpisOut>(`/api/v1/kpis/progress?days=${days}`);
  const data = state.data;
  const count = (v: Verdict) => data?.kpis.filter((k) => k.verdict === v).length ?? 0;
  // No snapshot at all: a history holds at most asOf's value computed live for this answer.
  const noHistory = data?.kpis.every(
    (k) => k.history.filter((p) => p.value !== null).length <= (k.currentFrom === 'live' ? 1 : 0),
  );

  const head = (
    <SimplePageHead
      title="KPIs"
      sub={
        data
          ? `Values as of ${formatDay(data.asOf)} (the last complete UTC day), trend over ${data.days} days`
          : 'Progress toward the portfolio targets'
      }
      controls={
        <Tabs
          label="Trend window"
          value={days}
          onChange={setDays}
          tabs={[
            { value: '30', label: '30 days' },
            { value: '90', label: '90 days' },
            { value: '180', label: '180 days' },
            { value: '365', label: '1 year' },
          ]}
        />
      }
    />
  );

  if (state.error && !state.loading) {
    return (
      <>
        {head}
        {state.error.status === 403 || state.error.status === 503 ? (
          <NoAccess status={state.error.status} message={state.error.message} />
        ) : (
          <div className="panel">
            <ErrorState error={state.error} />
          </div>
        )}
      </>
    );
  }

  return (
    <>
      {head}
      <div className="stack">
        <Stats count={4} testId="kpi-summary">
          <Stat label="On track" value={data ? count('on-track') : '…'} testId="kpi-count-on-track" />
          <Stat label="At risk" value={data ? count('at-risk') : '…'} testId="kpi-count-at-risk" />
          <Stat label="Off track" value={data ? count('off-track') : '…'} testId="kpi-count-off-track" />
          <Stat
            label="Without a verdict"
            hint="Too little data, no target, no deadline or not measured"
            value={data ? data.kpis.length - count('on-track') - count('at-risk') - count('off-track') : '…'}
          />
        </Stats>
        {data === undefined ? (
          <div className="panel">
            <div className="panel-body" aria-busy="true">
              <div className="skeleton" style={{ height: 240 }} />
            </div>
          </div>
        ) : data.kpis.length === 0 ? (
          <div className="panel">
            <div className="state">
              <strong>No KPIs in the portfolio file.</strong>
              <span>
                Add metrics and targets to its kpis: section; they show up here the next time it loads.
              </span>
            </div>
          </div>
        ) : (
          <>
            {noHistory && (
              <div className="notice" data-testid="kpis-no-history">
                No KPI history yet: snapshots are taken daily at 00:10 UTC, and the first run fills the last
                90 days from the data already stored. Values below are computed live.
              </div>
            )}
            {groupByCategory(data.kpis).map(([category, kpis]) => (
              <Panel key={category} title={category} testId="kpi-category">
                <div className={`panel-body${state.loading ? ' loading' : ''}`}>
                  {kpis.map((k) => (
                    <KpiRow key={k.key} kpi={k} asOf={data.asOf} />
                  ))}
                </div>
              </Panel>
            ))}
          </>
        )}
      </div>
    </>
  );
}
