// The embedded development chain, kept across restarts: an EDR provider whose state-changing
// requests are journaled in the database right after they are mined, and replayed at open.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { l1HardforkLatest, l1HardforkToString } from '@nomicfoundation/edr';
import { type Hex, RpcRequestError, toHex } from 'viem';
import { SerialQueue } from '../../db/serial-queue.ts';
import type { Db } from '../../db/types.ts';
import { ChainError, type ChainLog } from './chain-error.ts';
import { createEdrProvider, type EdrProvider, type EdrRequestArguments } from './edr-provider.ts';
import {
  acquireLease,
  appendJournal,
  ensureGenesis,
  type Genesis,
  type JournalEntry,
  readGenesis,
  readJournalPage,
  releaseLease,
  renewLease,
} from './embedded-chain.sql.ts';

export interface PersistentDevChainOptions {
  db: Db;
  chainId: number;
  /** Replays and serves reads, refuses writes and takes no lease: a second process's view. */
  readOnly?: boolean;
  /** How long to wait for another process's lease to lapse before failing (default 25 s). */
  ownershipWaitMs?: number;
  log?: ChainLog;
  /** Milliseconds since the epoch; block timestamps follow it (tests pin it). */
  clock?: () => number;
}

export interface ReplayStats {
  entries: number;
  ms: number;
  blockNumber: bigint;
  /** The replayed chain's last block differs from the recorded one (EVM behaviour changed). */
  diverged: boolean;
}

export interface PersistentDevChain extends EdrProvider {
  readonly chainId: number;
  /** The replay of the open (a rebuild after a failed journal write replays again). */
  readonly replay: ReplayStats;
  /** Entries in the journal as this process knows it. */
  journalLength(): bigint;
}

export class ChainReplayError extends ChainError {
  constructor(chainId: number, seq: bigint, cause: unknown) {
    super(
      `the embedded chain ${chainId} cannot be rebuilt: journal entry ${seq} failed on replay ` +
        `(${(cause as { details?: string }).details ?? (cause as Error).message})`,
    );
    this.name = 'ChainReplayError';
  }
}

const LEASE_SECONDS = 20;
const REPLAY_PAGE = 500;
const PROVIDER_URL = 'edr://persistent';
const EXECUTED = new Set(['eth_sendRawTransaction', 'eth_sendTransaction', 'evm_mine']);

// Reads pass through. Anything else that could move the state outside the journal (snapshots,
// reverts, time travel, balance edits) is refused: the journal is the chain.
const isRead = (method: string) => /^(eth|net|web3)_/.test(method) || method.startsWith('debug_trace');

interface Live {
  provider: EdrProvider;
  lastSeq: bigint;
  lastTimestamp: bigint;
}

type State = { kind: 'ready'; live: Live } | { kind: 'broken'; reason: string } | { kind: 'closed' };

export async function openPersistentDevChain(
  options: PersistentDevChainOptions,
): Promise<PersistentDevChain> {
  const { db, chainId, log } = options;
  const clock = options.clock ?? Date.now;
  const readOnly = options.readOnly ?? false;
  const ownerId = randomUUID();
  const proposed: Genesis = {
    hardfork: l1HardforkToString(l1HardforkLatest()),
    genesisTimestamp: BigInt(Math.floor(clock() / 1000)),
  };
  // A read-only view of a chain never created is an empty chain; it is not stored.
  const genesis = readOnly
    ? ((await readGenesis(db, chainId)) ?? proposed)
    : await ensureGenesis(db, chainId, proposed);

  const takeLease = async (waitMs: number) => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const lease = await acquireLease(db, {
        chainId,
        ownerId,
        label: `${hostname()} pid ${process.pid}`.slice(0, 200),
        seconds: LEASE_SECONDS,
        force: db.kind === 'pglite',
      });
      if (lease.acquired) return;
      if (Date.now() >= deadline)
        throw new ChainError(
          `the embedded chain ${chainId} is in use by ${lease.holder} (lease until ${lease.expiresAt}); ` +
            'one process at a time runs it: stop that one, or use CHAIN=rpc for several servers',
        );
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };

  const build = async (): Promise<{ live: Live; stats: ReplayStats }> => {
    const started = performance.now();
    const provider = await createEdrProvider({
      chainId,
      hardfork: genesis.hardfork,
      genesisTimestamp: genesis.genesisTimestamp,
    });
    const live: Live = { provider, lastSeq: 0n, lastTimestamp: genesis.genesisTimestamp };
    let last: JournalEntry | undefined;
    let diverged = false;
    try {
      for (let page = await readJournalPage(db, chainId, 0n, REPLAY_PAGE); page.length > 0; ) {
        for (const entry of page) {
          const hash = await replayEntry(provider, entry).catch((err: unknown) => {
            throw new ChainReplayError(chainId, entry.seq, err);
          });
          if (hash !== entry.txHash) diverged = true;
          live.lastSeq = entry.seq;
          live.lastTimestamp = entry.blockTimestamp;
          last = entry;
        }
        page = page.length < REPLAY_PAGE ? [] : await readJournalPage(db, chainId, live.lastSeq, REPLAY_PAGE);
      }
      // Each block hash covers its parent's: the last one equal means every replayed block is.
      const head = (await provider.request({
        method: 'eth_getBlockByNumber',
        params: ['latest', false],
      })) as {
        hash: Hex;
        number: Hex;
      };
      if (last && head.hash !== last.blockHash) diverged = true;
      const stats = {
        entries: Number(live.lastSeq),
        ms: performance.now() - started,
        blockNumber: BigInt(head.number),
        diverged,
      };
      if (diverged)
        log?.warn(
          { chainId, entries: stats.entries },
          'the replayed embedded chain differs from the recorded one (EDR or its hardfork changed); every journaled transaction was applied',
        );
      return { live, stats };
    } catch (err) {
      await provider.close();
      throw err;
    }
  };

  if (!readOnly) await takeLease(options.ownershipWaitMs ?? (LEASE_SECONDS + 5) * 1000);
  let opened: Awaited<ReturnType<typeof build>>;
  try {
    opened = await build();
  } catch (err) {
    if (!readOnly) await releaseLease(db, chainId, ownerId).catch(() => undefined);
    throw err;
  }
  let state: State = { kind: 'ready', live: opened.live };
  let rebuilding: Promise<Live> | null = null;
  const queue = new SerialQueue();

  const breakChain = (reason: string) => {
    if (state.kind !== 'ready') return;
    const { provider } = state.live;
    state = { kind: 'broken', reason };
    void provider.close();
    log?.error(
      { chainId, reason },
      'embedded chain stopped; it is rebuilt from the journal at the next request',
    );
  };

  const ready = async (): Promise<Live> => {
    if (state.kind === 'ready') return state.live;
    if (state.kind === 'closed') throw failure('eth_chainId', [], 4900, 'the embedded chain is closed');
    rebuilding ??= (async () => {
      try {
        if (!readOnly) await takeLease(0);
        const { live, stats } = await build();
        // close() may have run while replaying (TypeScript cannot see the await changed it).
        if ((state as State).kind === 'closed') {
          await live.provider.close();
          throw failure('eth_chainId', [], 4900, 'the embedded chain is closed');
        }
        state = { kind: 'ready', live };
        log?.info(
          { chainId, entries: stats.entries, ms: Math.round(stats.ms) },
          'embedded chain rebuilt from its journal',
        );
        return live;
      } finally {
        rebuilding = null;
      }
    })();
    return rebuilding;
  };

  const execute = (method: string, params: unknown[]) =>
    queue.run(async () => {
      const live = await ready();
      // Block times follow the wall clock, strictly increasing; set explicitly so replay can repeat them.
      const timestamp = BigInt(Math.max(Math.floor(clock() / 1000), Number(live.lastTimestamp) + 1));
      let entry: JournalEntry;
      let result: unknown;
      if (method === 'evm_mine') {
        await live.provider.request({ method: 'evm_mine', params: [toHex(timestamp)] });
        const block = (await live.provider.request({
          method: 'eth_getBlockByNumber',
          params: ['latest', false],
        })) as { hash: Hex; number: Hex };
        entry = mined(live, 'mine', { blockNumber: block.number, blockHash: block.hash }, timestamp);
        result = '0x0';
      } else {
        await live.provider.request({ method: 'evm_setNextBlockTimestamp', params: [toHex(timestamp)] });
        // A refused transaction (bad nonce, no funds) mines nothing: there is nothing to journal.
        const hash = (await live.provider.request({ method, params })) as Hex;
        const receipt = (await live.provider.request({
          method: 'eth_getTransactionReceipt',
          params: [hash],
        })) as {
          blockNumber: Hex;
          blockHash: Hex;
        } | null;
        if (!receipt) {
          breakChain(`transaction ${hash} was accepted but not mined`);
          throw failure(method, params, -32603, 'the embedded chain did not mine the transaction; retry');
        }
        entry = mined(
          live,
          method === 'eth_sendRawTransaction' ? 'raw_transaction' : 'transaction',
          receipt,
          timestamp,
        );
        if (entry.kind === 'raw_transaction') entry.rawTx = String(params[0]).toLowerCase();
        else entry.request = params[0] as Record<string, unknown>;
        entry.txHash = hash;
        result = hash;
      }
      // Mined, now journaled. A failure here (or a crash) drops the transaction from the chain:
      // the state must stay what a replay gives, so the chain is rebuilt before the next request.
      let written: boolean;
      try {
        written = await appendJournal(db, chainId, ownerId, entry);
      } catch (err) {
        breakChain(`journal write failed: ${(err as Error).message}`);
        throw failure(
          method,
          params,
          -32603,
          'the embedded chain could not journal the transaction; it was rolled back',
        );
      }
      if (!written) {
        breakChain('another process took over the embedded chain');
        throw failure(method, params, -32603, 'the embedded chain is now owned by another process');
      }
      live.lastSeq = entry.seq;
      live.lastTimestamp = timestamp;
      return result;
    });

  const renewal =
    readOnly || db.kind === 'pglite'
      ? null
      : setInterval(
          () => {
            renewLease(db, { chainId, ownerId, seconds: LEASE_SECONDS })
              .then((held) => {
                if (!held) breakChain('another process took over the embedded chain');
              })
              .catch((err: unknown) =>
                log?.warn({ err, chainId }, 'embedded chain lease renewal failed; retrying'),
              );
          },
          (LEASE_SECONDS * 1000) / 4,
        );
  renewal?.unref();

  return {
    chainId,
    replay: opened.stats,
    journalLength: () => (state.kind === 'ready' ? state.live.lastSeq : 0n),
    async request({ method, params }: EdrRequestArguments) {
      const list = Array.isArray(params) ? params : params === undefined ? [] : [params];
      if (EXECUTED.has(method)) {
        if (readOnly)
          throw failure(
            method,
            list,
            -32601,
            `${method} is refused: this view of the embedded chain is read-only`,
          );
        return execute(method, list);
      }
      if (!isRead(method))
        throw failure(
          method,
          list,
          -32601,
          `${method} is not available on the embedded chain (its journal is its state)`,
        );
      return (await ready()).provider.request({ method, params: list });
    },
    async close() {
      if (state.kind === 'closed') return;
      if (renewal) clearInterval(renewal);
      await queue.run(async () => undefined);
      await rebuilding?.catch(() => undefined);
      const previous = state;
      state = { kind: 'closed' };
      if (previous.kind === 'ready') await previous.live.provider.close();
      if (!readOnly) await releaseLease(db, chainId, ownerId).catch(() => undefined);
    },
  };
}

function mined(
  live: Live,
  kind: JournalEntry['kind'],
  block: { blockNumber: Hex; blockHash: Hex },
  timestamp: bigint,
): JournalEntry {
  return {
    seq: live.lastSeq + 1n,
    kind,
    rawTx: null,
    request: null,
    txHash: null,
    blockNumber: BigInt(block.blockNumber),
    blockTimestamp: timestamp,
    blockHash: block.blockHash,
  };
}

/** Re-executes one entry in its recorded block time; returns the transaction hash (null: a mine). */
async function replayEntry(provider: EdrProvider, entry: JournalEntry): Promise<string | null> {
  const timestamp = toHex(entry.blockTimestamp);
  if (entry.kind === 'mine') {
    await provider.request({ method: 'evm_mine', params: [timestamp] });
    return null;
  }
  await provider.request({ method: 'evm_setNextBlockTimestamp', params: [timestamp] });
  return entry.kind === 'raw_transaction'
    ? ((await provider.request({ method: 'eth_sendRawTransaction', params: [entry.rawTx] })) as string)
    : ((await provider.request({ method: 'eth_sendTransaction', params: [entry.request] })) as string);
}

/** An RPC-shaped error, so viem maps it by code (see edr-provider.ts). */
function failure(method: string, params: unknown[], code: number, message: string): RpcRequestError {
  return new RpcRequestError({ body: { method, params }, error: { code, message }, url: PROVIDER_URL });
}
