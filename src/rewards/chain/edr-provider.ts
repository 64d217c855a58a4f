// An in-process, in-memory EVM (Hardhat's Rust EDR) behind an EIP-1193 `request`, for viem's
// `custom()` transport. Persistence (journal replay) belongs to a layer on top of this factory.
import {
  ContractDecoder,
  EdrContext,
  L1_CHAIN_TYPE,
  l1GenesisState,
  l1HardforkFromString,
  l1HardforkLatest,
  l1HardforkToString,
  l1ProviderFactory,
  MineOrdering,
  type Provider,
} from '@nomicfoundation/edr';
import { type Hex, hexToBytes, RpcRequestError } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

/** EIP-7825 (Osaka) rejects transactions with more gas; older hardforks accept it too. */
export const TRANSACTION_GAS_CAP = 2n ** 24n;

/**
 * The ten keys of the public test mnemonic ("test test … junk", m/44'/60'/0'/0/i) that Hardhat and
 * anvil fund. Everyone knows them: for the development chain only, never for a real network.
 */
export const DEV_PRIVATE_KEYS: readonly Hex[] = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
];

export interface FundedAccount {
  privateKey: Hex;
  /** Wei; 10,000 ETH when omitted. */
  balance?: bigint;
}

export interface EdrProviderOptions {
  /** 31337 when omitted. */
  chainId?: number;
  /** An L1 hardfork name ("cancun", "prague", "osaka"…); EDR's latest when omitted. */
  hardfork?: string;
  /** Funded and unlocked (eth_sendTransaction) accounts; the ten DEV_PRIVATE_KEYS when omitted. */
  accounts?: readonly FundedAccount[];
  /** Seconds since the epoch of the genesis block; now when omitted. */
  genesisTimestamp?: bigint;
}

export interface EdrRequestArguments {
  method: string;
  params?: unknown;
}

export interface EdrProvider {
  /** EIP-1193: resolves with the JSON-RPC result or throws an RPC-shaped error. */
  request(args: EdrRequestArguments): Promise<unknown>;
  /** Drops the chain; later requests fail with code 4900 (disconnected). */
  close(): Promise<void>;
}

const DEFAULT_BALANCE = 10_000n * 10n ** 18n;
const BLOCK_GAS_LIMIT = 60_000_000n;
const EXECUTION_REVERTED = 3;
const PROVIDER_URL = 'edr://in-process';

// EDR asks for one context per process; its provider factory is registered once.
let context: Promise<EdrContext> | undefined;
function edrContext(): Promise<EdrContext> {
  context ??= (async () => {
    const created = new EdrContext();
    await created.registerProviderFactory(L1_CHAIN_TYPE, l1ProviderFactory());
    return created;
  })();
  return context;
}

/** Starts a fresh in-memory chain that mines every transaction as it arrives (automine). */
export async function createEdrProvider(options: EdrProviderOptions = {}): Promise<EdrProvider> {
  const chainId = BigInt(options.chainId ?? 31337);
  const hardfork = options.hardfork ?? l1HardforkToString(l1HardforkLatest());
  const accounts: readonly FundedAccount[] =
    options.accounts ?? DEV_PRIVATE_KEYS.map((privateKey) => ({ privateKey }));
  const funded = accounts.map((account) => ({
    address: hexToBytes(privateKeyToAddress(account.privateKey)),
    balance: account.balance ?? DEFAULT_BALANCE,
  }));

  let provider: Provider | undefined = await (await edrContext()).createProvider(
    L1_CHAIN_TYPE,
    {
      allowBlocksWithSameTimestamp: false,
      allowUnlimitedContractSize: false,
      // Without it a reverting eth_call returns the revert data as if it were a result.
      bailOnCallFailure: true,
      // Like a real node: a reverting transaction is mined and its receipt has status 0.
      bailOnTransactionFailure: false,
      chainId,
      coinbase: hexToBytes('0xc014ba5ec014ba5ec014ba5ec014ba5ec014ba5e'),
      defaultTransactionGasLimit: TRANSACTION_GAS_CAP,
      genesisState: [...l1GenesisState(l1HardforkFromString(hardfork)), ...funded],
      hardfork,
      initialBaseFeePerGas: 1_000_000_000n,
      minGasPrice: 0n,
      mining: { autoMine: true, blockGasLimit: BLOCK_GAS_LIMIT, memPool: { order: MineOrdering.Fifo } },
      network: {
        genesisBlockGasLimit: BLOCK_GAS_LIMIT,
        ...(options.genesisTimestamp === undefined ? {} : { genesisBlockTime: options.genesisTimestamp }),
      },
      networkId: chainId,
      observability: {},
      ownedAccounts: accounts.map((account) => account.privateKey),
      precompileOverrides: [],
    },
    { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} },
    { subscriptionCallback: () => {} },
    new ContractDecoder(),
  );

  let nextId = 0;
  return {
    async request({ method, params }) {
      const body = { jsonrpc: '2.0', id: ++nextId, method, params: params ?? [] };
      if (!provider) throw rpcError(body, { code: 4900, message: 'EDR provider closed' });
      const response = await provider.handleRequest(JSON.stringify(body));
      const payload = (typeof response.data === 'string' ? JSON.parse(response.data) : response.data) as {
        result?: unknown;
        error?: EdrError;
      };
      if (payload.error) throw rpcError(body, toStandardError(payload.error));
      return payload.result;
    },
    async close() {
      provider = undefined;
    },
  };
}

interface EdrError {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * EDR reports reverts as -32000 with `data: { data: '0x…' }`; nodes such as geth answer code 3 with
 * the revert data as `data`, which is what viem decodes into the contract's custom error.
 */
function toStandardError(error: EdrError): EdrError {
  const revertData = (error.data as { data?: unknown } | undefined)?.data;
  if (error.code === -32000 && typeof revertData === 'string' && revertData.startsWith('0x')) {
    return { code: EXECUTION_REVERTED, message: error.message, data: revertData };
  }
  return error;
}

/** A viem BaseError carrying the JSON-RPC code, so viem maps it by code and does not retry reverts. */
function rpcError(body: Record<string, unknown>, error: EdrError): RpcRequestError {
  return new RpcRequestError({ body, error, url: PROVIDER_URL });
}
