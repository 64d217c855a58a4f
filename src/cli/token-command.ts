import type { Ctx } from '../auth/context.ts';
import { loadSettings } from '../config/settings.ts';
import type { ChainLog } from '../rewards/chain/chain-error.ts';
import { ChainError } from '../rewards/chain/chain-error.ts';
import { type EnsureTokenResult, ensureTokenDeployed } from '../rewards/chain/deploy-token.ts';
import { loadChainSettings } from '../rewards/chain/load-chain-settings.ts';
import { type ChainHandle, openChain } from '../rewards/chain/open-chain.ts';
import { activeTokenDeployment, portfolioDomains } from '../rewards/chain/token-deployments.sql.ts';
import { type TokenStatus, tokenStatus } from '../rewards/chain/token-status.ts';
import { formatPtf } from '../rewards/ledger/ptf-decimal.ts';
import { type CliIo, DATABASE_HELP, DATABASE_OPTIONS, EXIT, parseCommandArgs, UsageError } from './cli-io.ts';
import { withDatabase } from './with-database.ts';

const HELP = [
  'Usage:',
  '  portfolio-os token deploy [--json]',
  '  portfolio-os token status [--json]',
  '  portfolio-os token reconcile [--json]',
  '',
  'The PortfolioToken on the configured chain (CHAIN, CHAIN_RPC_URL, CHAIN_ID, CHAIN_PRIVATE_KEY;',
  'docs/chain.md). The embedded chain lives in the database: stop the server first on PGlite.',
  '',
  '  deploy      deploy the token unless this chain has one, grant the relayer its roles and',
  '              register every domain of the portfolio; safe to run again (sends only what is missing)',
  '  status      the chain, the deployment and the contract: supply, cap, pause, holders, domains',
  '  reconcile   compare the ledger with the contract (rewardsOf/redeemedOf, supply) and record the',
  '              run; exits 1 when they differ',
  '',
  'Options:',
  '  --json                machine-readable output',
  ...DATABASE_HELP,
].join('\n');

export async function runToken(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, ...DATABASE_OPTIONS });
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    io.out(HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (!['deploy', 'status', 'reconcile'].includes(sub))
    throw new UsageError(`unknown subcommand "${sub}" (deploy, status or reconcile)`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  // Validated before the database opens; the key stays inside the settings' secret.
  loadSettings(process.env, { dataDir: values.data, databaseUrl: values['database-url'] });
  const chainSettings = loadChainSettings(process.env);
  const log: ChainLog = {
    info: () => undefined,
    warn: (_obj, msg) => io.err(`warning: ${msg}`),
    error: (_obj, msg) => io.err(`error: ${msg}`),
  };
  const json = (value: unknown) =>
    io.out(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));

  return withDatabase(values, async (ctx) => {
    // status only reads: beside a server on a shared PostgreSQL it replays without taking the chain.
    const chain = await openChain({ settings: chainSettings, db: ctx.db, log, readOnly: sub !== 'deploy' });
    try {
      if (sub === 'deploy') {
        const domains = (await portfolioDomains(ctx.db)).filter((d) => !d.archived);
        const result = await ensureTokenDeployed(ctx.db, chain, { domains });
        if (values.json) json(result);
        else for (const line of deployLines(chain, result)) io.out(line);
        return EXIT.ok;
      }
      if (sub === 'status') {
        const status = await tokenStatus(ctx.db, chain);
        if (values.json) json(status);
        else for (const line of statusLines(status)) io.out(line);
        return EXIT.ok;
      }
      return await reconcile(ctx, chain, values.json ? json : null, io);
    } finally {
      await chain.close();
    }
  });
}

async function reconcile(ctx: Ctx, chain: ChainHandle, json: ((v: unknown) => void) | null, io: CliIo) {
  const deployment = await activeTokenDeployment(ctx.db, chain.chainId);
  if (!deployment)
    throw new ChainError(`no token is deployed on chain ${chain.chainId}: run \`portfolio-os token deploy\``);
  // Loaded on use: the relayer's module graph is only needed by this subcommand.
  const { reconcileLedger } = await import('../rewards/relayer/reconcile-ledger.ts');
  const result = await reconcileLedger({
    ctx,
    input: {
      chain: { chainId: chain.chainId, publicClient: chain.publicClient, tokenAddress: deployment.address },
    },
  });
  if (json) json(result);
  else if (result.status === 'error') io.out(`reconciliation failed: ${result.error}`);
  else {
    io.out(
      `reconciled ${result.usersChecked} user(s) at block ${result.blockNumber}: ` +
        (result.status === 'ok' ? 'the token matches the ledger' : `${result.differences} difference(s)`),
    );
    if (result.supplyDiffers) io.out('  the total supply differs from treasury + rewards - redemptions');
    for (const u of result.users)
      io.out(
        `  user ${u.userId} (${u.wallet}): earned ledger ${formatPtf(BigInt(u.ledgerEarnedWei))} / chain ` +
          `${formatPtf(BigInt(u.chainEarnedWei))} PTF, redeemed ledger ${formatPtf(BigInt(u.ledgerRedeemedWei))} / ` +
          `chain ${formatPtf(BigInt(u.chainRedeemedWei))} PTF`,
      );
  }
  return result.status === 'ok' ? EXIT.ok : EXIT.failure;
}

function chainLine(c: { kind: string; chainId: number; network: string }): string {
  return c.kind === 'embedded' ? `embedded chain ${c.chainId}` : `chain ${c.chainId} at ${c.network}`;
}

function deployLines(chain: ChainHandle, r: EnsureTokenResult): string[] {
  const d = r.deployment;
  return [
    r.deployed
      ? `Deployed PortfolioToken at ${d.address} on ${chainLine(chain)} (block ${d.deployedBlock}, tx ${d.deployTxHash}).`
      : `PortfolioToken is already deployed at ${d.address} on ${chainLine(chain)}.`,
    r.rolesGranted.length > 0
      ? `Granted ${r.rolesGranted.join(' and ')} to ${chain.account}.`
      : `${chain.account} already holds the relayer roles.`,
    r.domainsRegistered.length > 0
      ? `Registered ${r.domainsRegistered.length} domain(s): ${r.domainsRegistered.join(', ')}.`
      : 'Every domain of the portfolio is registered.',
    `${r.transactions.length} transaction(s) sent.`,
  ];
}

function statusLines(s: TokenStatus): string[] {
  const c = s.chain;
  const lines = [
    `Chain     ${chainLine(c)}, block ${c.blockNumber}, ${c.confirmations} confirmation(s) to be final`,
    `Account   ${c.account} (${formatPtf(BigInt(c.accountBalanceWei))} ETH)`,
  ];
  const t = s.token;
  if (!t) return [...lines, 'Token     not deployed on this chain: run `portfolio-os token deploy`'];
  lines.push(
    `Token     ${t.address}, deployed in block ${t.deployedBlock ?? '?'} on ${t.deployedAt}` +
      (t.sourceCurrent ? '' : ' (from an older contract source)'),
  );
  const o = t.onChain;
  if (!o)
    return [...lines, '          NO CODE at this address on this chain (another network, or a reset chain)'];
  const yes = (b: boolean) => (b ? 'yes' : 'NO');
  lines.push(
    `Supply    ${formatPtf(BigInt(o.totalSupplyWei))} ${o.symbol} of a ${formatPtf(BigInt(o.capWei))} cap` +
      `${o.paused ? ', PAUSED' : ''}; holders ${o.holders ?? 'not counted'}`,
    `Roles     admin ${yes(o.accountRoles.admin)}, domain admin ${yes(o.accountRoles.domainAdmin)}, ` +
      `AI oracle ${yes(o.accountRoles.aiOracle)}`,
    'Domains',
    ...o.domains.map(
      (d) =>
        `  ${d.host.padEnd(32)} ${d.registered ? 'registered' : 'NOT registered'}${d.inPortfolio ? '' : ' (archived)'}`,
    ),
  );
  return lines;
}
