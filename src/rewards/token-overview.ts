import { type Actor, requireReader } from '../auth/actor.ts';
import type { Ctx } from '../auth/context.ts';
import { AppError } from '../shared/app-error.ts';
import type { ChainHandle } from './chain/open-chain.ts';
import { tokenStatus } from './chain/token-status.ts';
import { amountOf } from './ledger/api-schemas.ts';
import { formatPtf } from './ledger/ptf-decimal.ts';
import { describeChainError } from './relayer/chain-errors.ts';
import { readLastReconciliation } from './relayer/read-reconciliation.ts';
import { readRelayerStatus } from './relayer/read-relayer-status.ts';
import type { ReconciliationOut } from './relayer/relayer-api-schemas.ts';
import { MAX_SUPPLY, TREASURY_ALLOCATION } from './rules/token-constants.ts';
import type { RelayerOverviewOut, RelayerOverviewQuery, TokenOverviewOut } from './token-api-schemas.ts';

/** The chain the token routes read: open, or a getter (the chain may open after the server starts). */
export type TokenChainSource = ChainHandle | null | undefined | (() => ChainHandle | null | undefined);

export const NO_CHAIN_REASON =
  'no chain is open on this server: CHAIN=off, or it failed to open (see the server log; docs/chain.md)';

/** A dashboard read must not hang on a slow RPC: past this, the token is shown as unavailable. */
export const TOKEN_STATUS_TIMEOUT_MS = 10_000;

/**
 * The token is portfolio-wide (its supply and holders add up every domain): readers who see every
 * domain only, analysts included — its figures are public on the chain anyway.
 */
function requireTokenReader(actor: Actor): void {
  requireReader(actor);
  if (actor.scope.kind !== 'all')
    throw new AppError(
      'forbidden',
      'the token is portfolio-wide (every domain together); your access is limited to some domains — ' +
        'use GET /api/v1/rewards/summary for your domains',
    );
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the chain did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * GET /api/v1/rewards/token: the chain, the deployment and the contract's state (tokenStatus), or
 * why there is none. A missing or unreachable chain is an answer (configured/available false), not
 * an error: the ledger keeps working without it. Reasons never carry the RPC URL (it may hold a key).
 */
export async function readTokenOverview({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { chain: ChainHandle | null | undefined; timeoutMs?: number };
}): Promise<TokenOverviewOut> {
  requireTokenReader(ctx.actor);
  const base = {
    supply: { cap: amountOf(MAX_SUPPLY), treasury: amountOf(TREASURY_ALLOCATION) },
    chain: null,
    token: null,
  };
  const { chain } = input;
  if (!chain) return { configured: false, available: false, reason: NO_CHAIN_REASON, ...base };
  let status: Awaited<ReturnType<typeof tokenStatus>>;
  try {
    status = await withTimeout(tokenStatus(ctx.db, chain), input.timeoutMs ?? TOKEN_STATUS_TIMEOUT_MS);
  } catch (err) {
    const reason = `the chain (${chain.network}, id ${chain.chainId}) did not answer: ${describeChainError(err).message}`;
    return { configured: true, available: false, reason, ...base };
  }
  const { chain: c, token: t } = status;
  const onChain = t?.onChain ?? null;
  return {
    configured: true,
    available: true,
    reason: null,
    supply: base.supply,
    chain: {
      kind: c.kind,
      chainId: c.chainId,
      network: c.network,
      blockNumber: c.blockNumber,
      confirmations: c.confirmations,
      account: c.account,
      accountBalance: { eth: formatPtf(BigInt(c.accountBalanceWei)), wei: c.accountBalanceWei },
    },
    token: t && {
      address: t.address,
      deployedBlock: t.deployedBlock,
      deployTxHash: t.deployTxHash,
      deployedAt: t.deployedAt,
      deployer: t.deployer,
      treasury: t.treasury,
      sourceCurrent: t.sourceCurrent,
      hasCode: t.hasCode,
      onChain: onChain && {
        name: onChain.name,
        symbol: onChain.symbol,
        decimals: onChain.decimals,
        totalSupply: amountOf(onChain.totalSupplyWei),
        cap: amountOf(onChain.capWei),
        paused: onChain.paused,
        holders: onChain.holders,
        accountRoles: onChain.accountRoles,
        domains: onChain.domains,
      },
    },
  };
}

/**
 * A domain-limited caller sees its users' differences only (the relayer's verb filters them); the
 * run's supply check and difference count cover every domain, so they are replaced by what it may see.
 */
function scopedReconciliation(out: ReconciliationOut): ReconciliationOut {
  const visible = out.differences.length;
  const run = (r: ReconciliationOut['last']) =>
    r && { ...r, supply: null, differences: r.id === out.lastCompleted?.id ? visible : 0 };
  return { last: run(out.last), lastCompleted: run(out.lastCompleted), differences: out.differences };
}

/**
 * GET /api/v1/rewards/relayer: the relayer's queue and recent batches with the last reconciliation,
 * within the caller's scope. Reads the database only, so it answers without a chain.
 */
export async function readRelayerOverview({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: RelayerOverviewQuery;
}): Promise<RelayerOverviewOut> {
  requireReader(ctx.actor);
  const relayer = await readRelayerStatus({ ctx, input: { recentBatches: input.recentBatches } });
  const reconciliation = await readLastReconciliation({ ctx, input: { differences: input.differences } });
  return {
    relayer,
    reconciliation: ctx.actor.scope.kind === 'all' ? reconciliation : scopedReconciliation(reconciliation),
  };
}
