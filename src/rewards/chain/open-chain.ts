// The one chain interface the rewards code talks to (ADR 0013): viem clients over the embedded
// development chain or over any EVM JSON-RPC, chosen by the settings.
import {
  type Address,
  BaseError,
  type Chain,
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  type Hex,
  http,
  type PrivateKeyAccount,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { Db } from '../../db/types.ts';
import { ChainError, type ChainLog } from './chain-error.ts';
import { type ChainSettings, chainModeOf } from './chain-settings.ts';
import { DEV_PRIVATE_KEYS } from './edr-provider.ts';
import { openPersistentDevChain, type ReplayStats } from './persistent-dev-chain.ts';

export interface ChainHandle {
  readonly kind: 'embedded' | 'rpc';
  readonly chainId: number;
  /** "embedded", or the RPC's host: safe to log and to store (never the URL's path or key). */
  readonly network: string;
  readonly publicClient: PublicClient<Transport, Chain>;
  /** Signs locally with the deployer/relayer key; `account` is bound, so calls need not pass it. */
  readonly walletClient: WalletClient<Transport, Chain, PrivateKeyAccount>;
  /** The deployer and relayer: admin of the token, holder of its DOMAIN_ADMIN and AI_ORACLE roles. */
  readonly account: Address;
  /** Where the treasury allocation goes at deployment. */
  readonly treasury: Address;
  /** Confirmations a transaction needs to be final, its own block counting as the first. */
  readonly confirmations: number;
  /** The embedded chain's replay at open; undefined over RPC. */
  readonly replay?: ReplayStats;
  /** Waits until the transaction is mined and has `confirmations`; the receipt may be a revert. */
  waitForReceipt(hash: Hex, options?: { timeoutMs?: number }): Promise<TransactionReceipt>;
  close(): Promise<void>;
}

export interface OpenChainOptions {
  settings: ChainSettings;
  db: Db;
  log?: ChainLog;
  /** Embedded only: replay and serve reads without taking the chain (a CLI beside a server). */
  readOnly?: boolean;
  /** Embedded only: how long to wait for another process's lease (default 25 s). */
  ownershipWaitMs?: number;
}

export const EMBEDDED_CHAIN_ID = 31337;
const DEFAULT_RPC_CONFIRMATIONS = 3;
const RPC_RECEIPT_TIMEOUT_MS = 10 * 60_000;

/** Opens the configured chain; CHAIN=off is an error here (callers check chainModeOf first). */
export async function openChain(options: OpenChainOptions): Promise<ChainHandle> {
  const mode = chainModeOf(options.settings);
  if (mode === 'off') throw new ChainError('the chain is turned off (CHAIN=off)', 'CHAIN');
  const handle = mode === 'rpc' ? await openRpcChain(options) : await openEmbeddedChain(options);
  options.log?.info(
    { chain: handle.kind, chainId: handle.chainId, network: handle.network, account: handle.account },
    'chain open',
  );
  return handle;
}

async function openEmbeddedChain(options: OpenChainOptions): Promise<ChainHandle> {
  const chainId = options.settings.chainId ?? EMBEDDED_CHAIN_ID;
  const provider = await openPersistentDevChain({
    db: options.db,
    chainId,
    readOnly: options.readOnly,
    ownershipWaitMs: options.ownershipWaitMs,
    log: options.log,
  });
  const chain = chainDefinition(chainId, 'Portfolio OS embedded chain');
  // In process: poll receipts and blocks often; a retry only matters after a journal failure.
  const transport = custom({ request: provider.request }, { retryCount: 3, retryDelay: 100 });
  const account = privateKeyToAccount(DEV_PRIVATE_KEYS[0] as Hex);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 });
  return {
    kind: 'embedded',
    chainId,
    network: 'embedded',
    publicClient,
    walletClient: createWalletClient({ chain, transport, account, pollingInterval: 50 }),
    account: account.address,
    treasury: options.settings.tokenTreasuryAddress ?? account.address,
    confirmations: 1,
    replay: provider.replay,
    // Automine: a transaction is in a block when its hash comes back, and that block is final.
    waitForReceipt: (hash) => publicClient.waitForTransactionReceipt({ hash, timeout: 30_000 }),
    close: () => provider.close(),
  };
}

async function openRpcChain(options: OpenChainOptions): Promise<ChainHandle> {
  const { settings } = options;
  const url = settings.chainRpcUrl as string;
  const chainId = settings.chainId ?? EMBEDDED_CHAIN_ID;
  const key = settings.chainPrivateKey;
  if (!key)
    throw new ChainError('CHAIN=rpc needs CHAIN_PRIVATE_KEY or CHAIN_PRIVATE_KEY_FILE', 'CHAIN_PRIVATE_KEY');
  const network = rpcHost(url);
  // No rpcUrls on the chain object: the URL may carry an API key, and clients get serialised.
  const chain = chainDefinition(chainId, `EVM chain ${chainId}`);
  const transport = redactingTransport(
    http(url, { timeout: settings.chainRpcTimeoutSeconds * 1000, retryCount: 3, retryDelay: 500 }),
    url,
  );
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 1000 });
  let answered: number;
  try {
    answered = await publicClient.getChainId();
  } catch (err) {
    throw new ChainError(
      `cannot reach the chain's JSON-RPC at ${network}: ${describe(err)}`,
      'CHAIN_RPC_URL',
    );
  }
  if (answered !== chainId)
    throw new ChainError(
      `CHAIN_ID is ${chainId} but the JSON-RPC at ${network} serves chain ${answered}: ` +
        'point CHAIN_RPC_URL at the intended network or correct CHAIN_ID',
      'CHAIN_ID',
    );
  const account = privateKeyToAccount(key.reveal() as Hex);
  const confirmations = settings.chainConfirmations ?? DEFAULT_RPC_CONFIRMATIONS;
  return {
    kind: 'rpc',
    chainId,
    network,
    publicClient,
    walletClient: createWalletClient({ chain, transport, account, pollingInterval: 1000 }),
    account: account.address,
    treasury: settings.tokenTreasuryAddress ?? account.address,
    confirmations,
    waitForReceipt: (hash, waitOptions) =>
      publicClient.waitForTransactionReceipt({
        hash,
        confirmations,
        timeout: waitOptions?.timeoutMs ?? RPC_RECEIPT_TIMEOUT_MS,
      }),
    close: async () => undefined,
  };
}

function chainDefinition(id: number, name: string): Chain {
  return defineChain({
    id,
    name,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
}

/** The RPC URL as logs may show it: scheme, host and port only. */
export function rpcHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'the configured RPC';
  }
}

/** viem's short account of a failure. */
function describe(err: unknown): string {
  if (!(err instanceof BaseError)) return String((err as Error)?.message ?? err);
  return err.details && err.details !== err.shortMessage
    ? `${err.shortMessage} (${err.details})`
    : err.shortMessage;
}

/**
 * viem's errors quote the URL they called (message, stack, metaMessages, url); the URL may carry an
 * API key, so every error out of this transport names the host only, all down its cause chain.
 */
function redactingTransport(inner: Transport, url: string): Transport {
  const host = rpcHost(url);
  const forms = [...new Set([url, safeHref(url)])].filter((form) => form !== host);
  const scrub = (value: unknown): unknown =>
    typeof value === 'string'
      ? forms.reduce((text, form) => text.replaceAll(form, host), value)
      : Array.isArray(value)
        ? value.map(scrub)
        : value;
  const redact = (err: unknown) => {
    const seen = new Set<object>();
    for (let e = err; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
      seen.add(e);
      for (const name of Object.getOwnPropertyNames(e)) {
        const field = Object.getOwnPropertyDescriptor(e, name);
        if (field && 'value' in field && field.writable)
          (e as Record<string, unknown>)[name] = scrub(field.value);
      }
    }
    return err;
  };
  return (params) => {
    const transport = inner(params);
    const request: typeof transport.request = async (args, options) => {
      try {
        return await transport.request(args, options);
      } catch (err) {
        throw redact(err);
      }
    };
    // The client shows its transport's value (client.transport.url): the host only there too.
    return { ...transport, request, value: { ...transport.value, url: host } };
  };
}

function safeHref(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
