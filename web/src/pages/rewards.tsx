import { useApi } from '../api/use-api.ts';
import { Badge, type BadgeTone } from '../components/badge.tsx';
import { Legend, SignedBarChart } from '../components/charts.tsx';
import { PageHead } from '../components/layout.tsx';
import { Panel, PanelBody } from '../components/panel.tsx';
import { Stat, Stats } from '../components/stat.tsx';
import { defaultInterval, type Filters, TIME_ZONE, useFilters } from '../filters.ts';
import { formatBucket, formatCount, formatRange } from '../format.ts';
import { useSession } from '../session.tsx';
import { ReconciliationPanel, RelayerPanel, TokenPanel } from './rewards/chain-panels.tsx';
import {
  type Amount,
  formatPtf,
  ptfNumber,
  ptfOfWei,
  type RelayerOverviewOut,
  type RewardsSummaryOut,
  sumWei,
  type TokenOverviewOut,
} from './rewards/ptf.ts';
import { SupplyPanel } from './rewards/supply-panel.tsx';

type Summary = RewardsSummaryOut;
type Tier = Summary['topUsers'][number]['tier'];

const TIER_TONE: Record<Tier, BadgeTone> = {
  bronze: 'neutral',
  silver: 'info',
  gold: 'warn',
  platinum: 'good',
};
const DOMAIN_COLORS = [
  'var(--chart-1)',
  '#10b981',
  '#f59e0b',
  '#06b6d4',
  '#ec4899',
  '#8b5cf6',
  '#84cc16',
  '#f97316',
];

function summaryUrl(f: Filters): string {
  const q = new URLSearchParams();
  if (f.period === 'custom' && f.from) {
    q.set('from', f.from);
    if (f.to) q.set('to', f.to);
  } else if (f.period !== 'custom') q.set('period', f.period);
  q.set('tz', TIME_ZONE);
  if (f.domains.length > 0) q.set('domains', f.domains.join(','));
  q.set('top', '10');
  return `/api/v1/rewards/summary?${q.toString().replaceAll('%2C', ',').replaceAll('%2F', '/')}`;
}

function NoRewards() {
  return (
    <div className="exp-empty" data-testid="rewards-empty">
      <strong>
        No rewards yet: add rules under <code>rewards:</code> in the portfolio file.
      </strong>
      <span>
        A rule names a domain, an event and how much PTF it earns (per event, per € of its value or per unit
        of a property); the server books matching events of known users every minute. See{' '}
        <code>docs/rewards.md</code>.
      </span>
      <code className="exp-code">
        {
          'rewards:\n  rules:\n    - { id: shop-spend, domain: shop.example, event: Purchase, ptf: 1, per: value_eur }'
        }
      </code>
    </div>
  );
}

/** 'YYYY-MM-DD' → the chart bucket it falls in: the day, its week's Monday, or its month. */
function bucketOf(day: string, interval: 'day' | 'week' | 'month'): string {
  if (interval === 'month') return day.slice(0, 7);
  if (interval === 'day') return day;
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d.toISOString().slice(0, 10) <= to;
    d.setUTCDate(d.getUTCDate() + 1)
  )
    out.push(d.toISOString().slice(0, 10));
  return out;
}

interface DomainTotals {
  host: string;
  issued: Amount[];
  redeemed: Amount[];
  rewards: number;
  redemptions: number;
}

/** Rewards issued per domain over the range (stacked bars, redemptions below zero) and per domain. */
function ByDomain(props: { data: Summary }) {
  const { range, byDay } = props.data;
  const days = daysOf(range.from, range.to);
  const hourly = defaultInterval(days.length);
  const interval = hourly === 'hour' ? 'day' : hourly;
  const buckets = [...new Set(days.map((d) => bucketOf(d, interval)))];
  const index = new Map(buckets.map((b, i) => [b, i]));
  const byHost = new Map<string, DomainTotals>();
  for (const r of byDay) {
    const t = byHost.get(r.domain) ?? {
      host: r.domain,
      issued: [],
      redeemed: [],
      rewards: 0,
      redemptions: 0,
    };
    t.issued.push(r.issued);
    t.redeemed.push(r.redeemed);
    t.rewards += r.rewards;
    t.redemptions += r.redemptions;
    byHost.set(r.domain, t);
  }
  const hosts = [...byHost.values()].sort(
    (a, b) => Number(sumWei(b.issued) - sumWei(a.issued)) || a.host.localeCompare(b.host),
  );
  const color = (i: number) => DOMAIN_COLORS[i % DOMAIN_COLORS.length] as string;
  const series = (pick: (r: (typeof byDay)[number]) => number) => {
    const values = buckets.map(() => 0);
    for (const r of byDay) {
      const i = index.get(bucketOf(r.day, interval));
      if (i !== undefined) values[i] = (values[i] ?? 0) + pick(r);
    }
    return values;
  };
  const stacks = hosts.map((h, i) => ({
    name: h.host,
    color: color(i),
    values: series((r) => (r.domain === h.host ? ptfNumber(r.issued) : 0)),
  }));
  const redeemedAny = byDay.some((r) => r.redeemed.wei !== '0');
  if (redeemedAny)
    stacks.push({ name: 'Redeemed', color: 'var(--muted)', values: series((r) => -ptfNumber(r.redeemed)) });
  const total = (pick: (t: DomainTotals) => Amount[]) =>
    ptfOfWei(hosts.reduce((s, h) => s + sumWei(pick(h)), 0n));
  return (
    <div className="stack" style={{ gap: 12 }}>
      <SignedBarChart
        testId="rewards-chart"
        labels={buckets.map((b) => formatBucket(b, interval))}
        stacks={stacks}
        format={(n) => formatCount(n)}
      />
      <Legend items={stacks.map((s) => ({ name: s.name, color: s.color }))} />
      <div className="table-wrap">
        <table className="table cards" data-testid="rewards-domains">
          <thead>
            <tr>
              <th>Domain</th>
              <th>Issued (PTF)</th>
              <th>Rewards</th>
              <th>Redeemed (PTF)</th>
              <th>Redemptions</th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((h, i) => (
              <tr key={h.host} data-host={h.host}>
                <td>
                  <span className="swatch" style={{ background: color(i) }} />
                  {h.host}
                </td>
                <td
                  data-label="Issued (PTF)"
                  data-testid="domain-issued"
                  data-ptf={ptfOfWei(sumWei(h.issued))}
                >
                  {formatPtf(ptfOfWei(sumWei(h.issued)))}
                </td>
                <td data-label="Rewards" data-testid="domain-rewards">
                  {formatCount(h.rewards, true)}
                </td>
                <td data-label="Redeemed (PTF)" data-ptf={ptfOfWei(sumWei(h.redeemed))}>
                  {formatPtf(ptfOfWei(sumWei(h.redeemed)))}
                </td>
                <td data-label="Redemptions">{formatCount(h.redemptions, true)}</td>
              </tr>
            ))}
          </tbody>
          {hosts.length > 1 && (
            <tfoot>
              <tr>
                <td>Total</td>
                <td data-label="Issued (PTF)">{formatPtf(total((h) => h.issued))}</td>
                <td data-label="Rewards">{formatCount(props.data.period.rewards, true)}</td>
                <td data-label="Redeemed (PTF)">{formatPtf(total((h) => h.redeemed))}</td>
                <td data-label="Redemptions">{formatCount(props.data.period.redemptions, true)}</td>
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </div>
  );
}

function TopUsers(props: { data: Summary }) {
  const { topUsers, tiers } = props.data;
  return (
    <div className="stack" style={{ gap: 12 }}>
      <div className="table-wrap">
        <table className="table cards" data-testid="top-users">
          <thead>
            <tr>
              <th>User</th>
              <th>Tier</th>
              <th>Balance (PTF)</th>
              <th>Earned (PTF)</th>
            </tr>
          </thead>
          <tbody>
            {topUsers.map((u) => (
              <tr key={u.userId} data-user={u.userId}>
                <td className="mono" title={u.userId}>
                  {u.userId.slice(0, 8)}
                </td>
                <td data-label="Tier">
                  <Badge tone={TIER_TONE[u.tier]} testId="user-tier">
                    {u.tier}
                  </Badge>
                </td>
                <td data-label="Balance (PTF)" data-testid="user-balance" data-ptf={u.balance.ptf}>
                  {formatPtf(u.balance.ptf)}
                </td>
                <td data-label="Earned (PTF)" data-ptf={u.earned.ptf}>
                  {formatPtf(u.earned.ptf)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint" data-testid="rewards-tiers">
        Users by tier: {(Object.keys(TIER_TONE) as Tier[]).map((t) => `${t} ${tiers[t]}`).join(' · ')}
      </p>
    </div>
  );
}

function TokenOutOfScope() {
  return (
    <Panel title="Token on-chain" testId="rewards-token">
      <div className="panel-body">
        <div className="state" data-testid="token-no-access">
          <strong>The token is portfolio-wide, and your access covers only some domains.</strong>
          <span>Its supply and holders add up every domain; the figures here are your domains' ledger.</span>
        </div>
      </div>
    </Panel>
  );
}

/** PTF rewards: supply against the cap, issuance per domain, top users, the token, relayer and reconciliation. */
export function RewardsPage() {
  const { me } = useSession();
  const [filters] = useFilters();
  const unscoped = me.scope === 'all';
  const summary = useApi<Summary>(summaryUrl(filters));
  const token = useApi<TokenOverviewOut>(unscoped ? '/api/v1/rewards/token' : null);
  const relayer = useApi<RelayerOverviewOut>('/api/v1/rewards/relayer');
  const s = summary.data;
  const none = (d: Summary) => d.totals.rewards === 0 && d.totals.redemptions === 0;
  const stat = (a: Amount | undefined) =>
    a ? <span data-ptf={a.ptf}>{formatPtf(a.ptf, { compact: true })}</span> : '…';
  return (
    <>
      <PageHead
        title="Rewards"
        sub="PTF loyalty points across the portfolio: issued, held, and mirrored on-chain"
      />
      <div className="stack">
        <Stats count={5} testId="rewards-totals">
          <Stat label="Issued, all time (PTF)" value={stat(s?.totals.issued)} testId="rewards-issued" />
          <Stat label="Redeemed (PTF)" value={stat(s?.totals.redeemed)} testId="rewards-redeemed" />
          <Stat
            label="Outstanding (PTF)"
            hint="Issued − redeemed: what the portfolio owes its users"
            value={stat(s?.totals.outstanding)}
            testId="rewards-outstanding"
          />
          <Stat
            label="Holders"
            value={s ? formatCount(s.totals.holders, true) : '…'}
            testId="rewards-holders"
          />
          <Stat
            label="Issued in range (PTF)"
            hint={s ? formatRange(s.range.from, s.range.to) : undefined}
            value={stat(s?.period.issued)}
            testId="rewards-period-issued"
          />
        </Stats>
        <div className="grid-2">
          <SupplyPanel
            summary={summary}
            token={token.data}
            partial={!unscoped ? 'scope' : filters.domains.length > 0 ? 'filter' : null}
          />
          {unscoped ? <TokenPanel state={token} /> : <TokenOutOfScope />}
        </div>
        <Panel
          title="Rewards by domain"
          testId="rewards-by-domain"
          actions={s && <span className="hint">{formatRange(s.range.from, s.range.to)}</span>}
        >
          <PanelBody
            state={summary}
            height={280}
            isEmpty={(d) => none(d) || d.byDay.length === 0}
            empty={
              s && none(s) ? <NoRewards /> : 'No rewards or redemptions in this period: pick a longer range.'
            }
          >
            {(d) => <ByDomain data={d} />}
          </PanelBody>
        </Panel>
        <div className="grid-2">
          <Panel title="Top users by balance" testId="rewards-top-users">
            <PanelBody
              state={summary}
              isEmpty={(d) => d.topUsers.length === 0}
              empty={s && none(s) ? 'No rewards yet.' : 'No user holds PTF on these domains.'}
            >
              {(d) => <TopUsers data={d} />}
            </PanelBody>
          </Panel>
          <ReconciliationPanel state={relayer} />
        </div>
        <RelayerPanel state={relayer} />
      </div>
    </>
  );
}
