import type { ReactNode } from 'react';
import type { ApiState } from '../../api/use-api.ts';
import { Badge, type BadgeTone } from '../../components/badge.tsx';
import { Panel, PanelBody } from '../../components/panel.tsx';
import { Stat, Stats } from '../../components/stat.tsx';
import { formatCount, formatDuration } from '../../format.ts';
import { formatPtf, type RelayerOverviewOut, shortHex, type TokenOverviewOut, when } from './ptf.ts';

type Relayer = RelayerOverviewOut['relayer'];
type Reconciliation = RelayerOverviewOut['reconciliation'];
type Batch = Relayer['recentBatches'][number];

const QUEUE: { key: keyof Relayer['queue']; label: string; hint: string }[] = [
  { key: 'pending', label: 'Pending', hint: 'Booked, waiting for the next relayer run (or its retry)' },
  { key: 'awaiting_wallet', label: 'Awaiting wallet', hint: 'The user has not linked a wallet yet' },
  { key: 'submitted', label: 'Submitted', hint: 'Sent, waiting for confirmations' },
  { key: 'confirmed', label: 'Confirmed', hint: 'On-chain with enough confirmations' },
  { key: 'failed', label: 'Failed', hint: 'Refused by the contract for good' },
];

const BATCH_TONE: Record<Batch['status'], BadgeTone> = {
  prepared: 'neutral',
  sent: 'info',
  confirmed: 'good',
  failed: 'bad',
  abandoned: 'warn',
};

const ago = (iso: string) => `${formatDuration(Math.max(0, (Date.now() - Date.parse(iso)) / 1000))} ago`;

/** Label/value rows: two columns that stay two columns on a phone. */
function Facts(props: { rows: [string, ReactNode][]; testId?: string }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={props.testId}>
        <tbody>
          {props.rows.map(([label, value]) => (
            <tr key={label}>
              <td className="muted">{label}</td>
              <td style={{ whiteSpace: 'normal', wordBreak: 'break-all' }}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The token as the chain shows it: contract, roles, registry; or why it cannot be read. */
export function TokenPanel(props: { state: ApiState<TokenOverviewOut> }) {
  return (
    <Panel title="Token on-chain" testId="rewards-token">
      <PanelBody state={props.state}>
        {(t) => {
          if (!t.available || !t.chain)
            return (
              <div className="state" data-testid="token-unavailable">
                <strong>{t.configured ? 'The chain did not answer.' : 'No chain on this server.'}</strong>
                <span>{t.reason}</span>
                <span>
                  The ledger keeps booking rewards; the relayer publishes them once the chain is back.
                </span>
              </div>
            );
          const c = t.chain;
          const network = `${c.network === 'embedded' ? 'Embedded development chain' : c.network} · id ${c.chainId} · block ${formatCount(c.blockNumber, true)}`;
          if (!t.token)
            return (
              <div className="state" data-testid="token-undeployed">
                <strong>No token deployed on this chain yet.</strong>
                <span>{network}</span>
                <span>
                  Run <code>portfolio-os token deploy</code> to deploy PortfolioToken and register the
                  domains.
                </span>
              </div>
            );
          const tk = t.token;
          const o = tk.onChain;
          const registered = o?.domains.filter((d) => d.registered).length ?? 0;
          const roles = o ? Object.entries(o.accountRoles).filter(([, has]) => !has) : [];
          return (
            <Facts
              testId="token-facts"
              rows={[
                ['Network', network],
                [
                  'Contract',
                  <span className="mono" key="a" title={tk.address}>
                    {tk.address}
                  </span>,
                ],
                [
                  'State',
                  <span key="s" className="controls" style={{ justifyContent: 'flex-end' }}>
                    {!tk.hasCode && <Badge tone="bad">no code at this address</Badge>}
                    {o && <Badge tone={o.paused ? 'bad' : 'good'}>{o.paused ? 'paused' : 'active'}</Badge>}
                    {!tk.sourceCurrent && <Badge tone="warn">older contract source</Badge>}
                  </span>,
                ],
                ['Holders', o?.holders === null || !o ? '—' : formatCount(o.holders, true)],
                ['Domains registered', o ? `${registered} of ${o.domains.length}` : '—'],
                [
                  'Relayer',
                  <span key="r">
                    <span className="mono" title={c.account}>
                      {shortHex(c.account)}
                    </span>{' '}
                    · {formatPtf(c.accountBalance.eth, { decimals: 4 })} ETH ·{' '}
                    {roles.length === 0 ? 'all roles' : `missing ${roles.map(([r]) => r).join(', ')}`}
                  </span>,
                ],
                ['Deployed', when(tk.deployedAt)],
              ]}
            />
          );
        }}
      </PanelBody>
    </Panel>
  );
}

function BatchesTable(props: { batches: Batch[] }) {
  return (
    <div className="table-wrap">
      <table className="table cards" data-testid="relayer-batches">
        <thead>
          <tr>
            <th>Batch</th>
            <th>Status</th>
            <th>Entries</th>
            <th>Transaction</th>
          </tr>
        </thead>
        <tbody>
          {props.batches.map((b) => (
            <tr key={b.id} data-status={b.status}>
              <td>
                <div className="domain-cell">
                  <span>{b.kind === 'reward' ? 'Rewards' : 'Redemption'}</span>
                  <span className="host">{when(b.createdAt)}</span>
                </div>
              </td>
              <td data-label="Status">
                <Badge tone={BATCH_TONE[b.status]} title={b.lastError ?? undefined}>
                  {b.status}
                </Badge>
              </td>
              <td data-label="Entries" title={`${b.failed} failed, ${b.released} sent back to the queue`}>
                {b.confirmed} / {b.entries}
              </td>
              <td data-label="Transaction" className="mono" title={b.txHash ?? undefined}>
                {shortHex(b.txHash)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The relayer's queue by status, the RPC as it last saw it, and its recent batches. */
export function RelayerPanel(props: { state: ApiState<RelayerOverviewOut> }) {
  return (
    <Panel title="Relayer queue" testId="rewards-relayer">
      <PanelBody state={props.state}>
        {({ relayer: r }) => (
          <div className="stack" style={{ gap: 12 }}>
            <Stats count={5} testId="relayer-queue">
              {QUEUE.map((q) => (
                <Stat
                  key={q.key}
                  label={q.label}
                  hint={q.hint}
                  value={r.queue[q.key]}
                  testId={`queue-${q.key}`}
                />
              ))}
            </Stats>
            <div className="controls" data-testid="relayer-state">
              {r.rpc.up === null ? (
                <Badge tone="neutral">not run yet</Badge>
              ) : r.rpc.up ? (
                <Badge tone="good">RPC up</Badge>
              ) : (
                <Badge tone="bad" title={r.rpc.lastError ?? undefined}>
                  RPC down{r.rpc.downSince ? ` ${ago(r.rpc.downSince).replace(' ago', '')}` : ''}
                </Badge>
              )}
              <span className="hint">
                {r.lastRunAt
                  ? `Last run ${ago(r.lastRunAt)}`
                  : 'The relayer has not run on this database yet.'}
                {r.oldestPendingSeconds !== null &&
                  ` · oldest waiting ${formatDuration(r.oldestPendingSeconds)}`}
                {r.nextAttemptAt && ` · next retry ${when(r.nextAttemptAt)}`}
              </span>
            </div>
            {r.lastError && (
              <p className="hint state-error" data-testid="relayer-error">
                Last error: {r.lastError}
              </p>
            )}
            {r.recentBatches.length > 0 ? (
              <BatchesTable batches={r.recentBatches} />
            ) : (
              <p className="hint">No batches yet: users' rewards are published once they link a wallet.</p>
            )}
          </div>
        )}
      </PanelBody>
    </Panel>
  );
}

type Difference = Reconciliation['differences'][number];

/** The ledger's total (with what is in flight) over the chain's, the chain's in red when they differ. */
function LedgerAndChain(props: {
  ledger: Difference['ledgerEarned'];
  inFlight: Difference['ledgerEarned'];
  chain: Difference['ledgerEarned'];
  testId: string;
}) {
  const differs = props.ledger.wei !== props.chain.wei;
  return (
    <div className="cell-stack">
      <span>
        <span className="muted">ledger </span>
        {formatPtf(props.ledger.ptf)}
        {props.inFlight.wei !== '0' && (
          <span className="muted"> (+{formatPtf(props.inFlight.ptf)} in flight)</span>
        )}
      </span>
      <span className={differs ? 'state-error' : undefined}>
        <span className="muted">chain </span>
        <span data-testid={props.testId}>{formatPtf(props.chain.ptf)}</span>
      </span>
    </div>
  );
}

function DifferencesTable(props: { rows: Difference[] }) {
  return (
    <div className="table-wrap">
      <table className="table cards" data-testid="reconciliation-differences">
        <thead>
          <tr>
            <th>User</th>
            <th>Earned (PTF)</th>
            <th>Redeemed (PTF)</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((d) => (
            <tr key={d.userId} data-user={d.userId}>
              <td>
                <div className="domain-cell">
                  <span className="mono" title={d.userId}>
                    {d.userId.slice(0, 8)}
                  </span>
                  <span className="host mono" title={d.wallet}>
                    {shortHex(d.wallet)}
                  </span>
                </div>
              </td>
              <td data-label="Earned (PTF)">
                <LedgerAndChain
                  ledger={d.ledgerEarned}
                  inFlight={d.ledgerEarnedInFlight}
                  chain={d.chainEarned}
                  testId="chain-earned"
                />
              </td>
              <td data-label="Redeemed (PTF)">
                <LedgerAndChain
                  ledger={d.ledgerRedeemed}
                  inFlight={d.ledgerRedeemedInFlight}
                  chain={d.chainRedeemed}
                  testId="chain-redeemed"
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The last reconciliation: green when the chain agrees with the ledger, the users that differ otherwise. */
export function ReconciliationPanel(props: { state: ApiState<RelayerOverviewOut> }) {
  return (
    <Panel title="Reconciliation" testId="rewards-reconciliation">
      <PanelBody
        state={props.state}
        isEmpty={(d) => d.reconciliation.last === null}
        empty="No reconciliation yet: once the token is deployed, the server compares every wallet's rewardsOf and redeemedOf with the ledger every few minutes."
      >
        {({ reconciliation: { last, lastCompleted: run, differences } }) => (
          <div className="stack" style={{ gap: 12 }}>
            {last?.status === 'error' && (
              <p className="hint state-error" data-testid="reconciliation-error">
                The last run ({when(last.startedAt)}) could not read the chain: {last.error}
              </p>
            )}
            {run && (
              <>
                <div className="controls">
                  <span
                    data-testid="reconciliation-status"
                    data-status={run.differences === 0 ? 'ok' : 'differences'}
                  >
                    {run.differences === 0 ? (
                      <Badge tone="good">In agreement</Badge>
                    ) : (
                      <Badge tone="bad">
                        {run.differences} {run.differences === 1 ? 'difference' : 'differences'}
                      </Badge>
                    )}
                  </span>
                  <span className="hint" data-testid="reconciliation-run">
                    {formatCount(run.usersChecked, true)} {run.usersChecked === 1 ? 'wallet' : 'wallets'}{' '}
                    checked {when(run.startedAt)}
                    {run.blockNumber && ` at block ${formatCount(run.blockNumber, true)}`}
                  </span>
                </div>
                {run.supply?.differs && (
                  <p className="hint state-error" data-testid="supply-differs">
                    Total supply on-chain {formatPtf(run.supply.chain.ptf)} PTF; the ledger explains{' '}
                    {run.supply.ledgerMin.ptf === run.supply.ledgerMax.ptf
                      ? formatPtf(run.supply.ledgerMin.ptf)
                      : `${formatPtf(run.supply.ledgerMin.ptf)} to ${formatPtf(run.supply.ledgerMax.ptf)}`}{' '}
                    PTF.
                  </p>
                )}
                {differences.length > 0 && <DifferencesTable rows={differences} />}
              </>
            )}
          </div>
        )}
      </PanelBody>
    </Panel>
  );
}
