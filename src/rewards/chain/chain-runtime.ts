// The chain as the server runs it: opened at start (in the background, so the server and the
// ledger work while a node is unreachable), the token deployed and the portfolio's domains
// registered, retried until it succeeds. CHAIN=off runs nothing.
import type { Address } from 'viem';
import type { Db } from '../../db/types.ts';
import type { ChainLog } from './chain-error.ts';
import { type ChainSettings, chainModeOf } from './chain-settings.ts';
import { ensureTokenDeployed } from './deploy-token.ts';
import { type ChainHandle, openChain } from './open-chain.ts';
import { portfolioDomains } from './token-deployments.sql.ts';

export interface ReadyChain {
  chain: ChainHandle;
  tokenAddress: Address;
}

export interface ChainRuntime {
  /** The open chain with its token; null while CHAIN=off, opening, or failing to open. */
  current(): ReadyChain | null;
  /** Resolves once the chain is ready (never while CHAIN=off or failing). */
  ready(): Promise<ReadyChain>;
  /** Registers domains the portfolio gained (call after a reload); a no-op until ready. */
  syncDomains(): Promise<void>;
  stop(): Promise<void>;
}

export interface ChainRuntimeOptions {
  settings: ChainSettings;
  db: Db;
  log: ChainLog;
  /** Called once, when the chain is open and the token deployed: start the relayer's jobs here. */
  onReady?: (ready: ReadyChain) => void;
  /** Seconds between two attempts to open (default 60). */
  retrySeconds?: number;
}

export function startChainRuntime(options: ChainRuntimeOptions): ChainRuntime {
  const { db, log } = options;
  let current: ReadyChain | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | null = null;
  let resolveReady: (ready: ReadyChain) => void = () => undefined;
  const readyPromise = new Promise<ReadyChain>((resolve) => {
    resolveReady = resolve;
  });

  const activeDomains = async () => (await portfolioDomains(db)).filter((d) => !d.archived);

  const attempt = async (): Promise<void> => {
    let chain: ChainHandle | undefined;
    try {
      chain = await openChain({ settings: options.settings, db, log });
      const result = await ensureTokenDeployed(db, chain, { domains: await activeDomains() });
      if (stopped) return void (await chain.close());
      current = { chain, tokenAddress: result.deployment.address };
      log.info(
        {
          chain: chain.kind,
          chainId: chain.chainId,
          token: result.deployment.address,
          deployed: result.deployed,
          domainsRegistered: result.domainsRegistered,
          ...(chain.replay
            ? { replayedEntries: chain.replay.entries, replayMs: Math.round(chain.replay.ms) }
            : {}),
        },
        result.deployed ? 'rewards token deployed' : 'rewards token ready',
      );
      options.onReady?.(current);
      resolveReady(current);
    } catch (err) {
      await chain?.close().catch(() => undefined);
      const seconds = options.retrySeconds ?? 60;
      // The message only: a ChainError never carries the key or the RPC URL's path.
      log.error(
        { error: (err as Error).message },
        `the rewards chain is not available; retrying in ${seconds} s`,
      );
      if (!stopped) timer = setTimeout(run, seconds * 1000);
    }
  };

  const run = () => {
    inFlight = attempt().finally(() => {
      inFlight = null;
    });
  };
  if (chainModeOf(options.settings) === 'off')
    log.info({}, 'rewards chain off (CHAIN=off): nothing is published');
  else run();

  return {
    current: () => current,
    ready: () => readyPromise,
    async syncDomains() {
      if (!current) return;
      const result = await ensureTokenDeployed(db, current.chain, { domains: await activeDomains() });
      if (result.domainsRegistered.length > 0)
        log.info({ domains: result.domainsRegistered }, 'domains registered on the rewards token');
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // An open may be waiting (up to 25 s) for a killed process's lease to lapse; shutdown must
      // not (the server gives itself 10 s). Once it ends, a stopped attempt closes what it opened.
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([
        inFlight,
        new Promise<void>((resolve) => {
          waited = setTimeout(resolve, 3000);
        }),
      ]);
      clearTimeout(waited);
      const open = current;
      current = null;
      await open?.chain.close();
    },
  };
}
