// PortfolioToken deployed on a fresh EDR chain and driven through viem, for the contract tests and
// the gas report: every call comes back as the same Outcome shape the model returns.
import {
  BaseError,
  type Chain,
  createPublicClient,
  createWalletClient,
  custom,
  decodeErrorResult,
  defineChain,
  encodeFunctionData,
  type Hex,
  type PrivateKeyAccount,
  type PublicClient,
  parseEventLogs,
  type Transport,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { portfolioTokenAbi, portfolioTokenBytecode } from '../chain/artifacts/portfolio-token.ts';
import { createEdrProvider, DEV_PRIVATE_KEYS, type EdrProvider } from '../chain/edr-provider.ts';
import { domainIdOf } from '../rules/chain-ids.ts';
import {
  AI_ORACLE_ROLE,
  DOMAIN_ADMIN_ROLE,
  type TokenCall,
  type TokenError,
  type TokenEvent,
} from './contract-model.ts';

export const edrDevChain: Chain = defineChain({
  id: 31337,
  name: 'Portfolio OS dev chain (EDR)',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [] } },
});

export type ChainOutcome =
  | { ok: true; events: TokenEvent[]; gasUsed: bigint }
  | { ok: false; error: TokenError };

export interface TokenHarness {
  provider: EdrProvider;
  publicClient: PublicClient<Transport, Chain>;
  address: Hex;
  /** The ten funded dev accounts: [0] is the admin, [1] the treasury; the rest are free to use. */
  accounts: readonly PrivateKeyAccount[];
  execute(caller: PrivateKeyAccount, call: TokenCall): Promise<ChainOutcome>;
  /** Like execute, but throws with the decoded error when the call reverts. */
  mustExecute(caller: PrivateKeyAccount, call: TokenCall): Promise<{ events: TokenEvent[]; gasUsed: bigint }>;
  snapshot(): Promise<Hex>;
  revert(snapshotId: Hex): Promise<void>;
  close(): Promise<void>;
}

/** Starts a chain and deploys PortfolioToken(admin = accounts[0], treasury = accounts[1]). */
export async function deployTokenHarness(): Promise<TokenHarness> {
  const provider = await createEdrProvider();
  const transport = custom({ request: provider.request });
  const publicClient = createPublicClient({ chain: edrDevChain, transport });
  const walletClient = createWalletClient({ chain: edrDevChain, transport });
  const accounts = DEV_PRIVATE_KEYS.map((key) => privateKeyToAccount(key));
  const [admin, treasury] = accounts as [PrivateKeyAccount, PrivateKeyAccount];

  const deployHash = await walletClient.deployContract({
    account: admin,
    abi: portfolioTokenAbi,
    bytecode: portfolioTokenBytecode,
    args: [admin.address, treasury.address],
  });
  const deployed = await publicClient.getTransactionReceipt({ hash: deployHash });
  if (!deployed.contractAddress) throw new Error('PortfolioToken deployment created no contract');
  const address = deployed.contractAddress;

  const execute = async (caller: PrivateKeyAccount, call: TokenCall): Promise<ChainOutcome> => {
    let hash: Hex;
    try {
      const data = encodeFunctionData({ abi: portfolioTokenAbi, ...call } as Parameters<
        typeof encodeFunctionData<typeof portfolioTokenAbi>
      >[0]);
      hash = await walletClient.sendTransaction({ account: caller, to: address, data });
    } catch (error) {
      const decoded = revertOf(error);
      if (decoded) return { ok: false, error: decoded };
      throw error;
    }
    // Automine: the transaction is in a block once sendTransaction returns.
    const receipt = await publicClient.getTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error(`${call.functionName} passed estimation but reverted`);
    const events = parseEventLogs({ abi: portfolioTokenAbi, logs: receipt.logs }).map(
      ({ eventName, args }) => ({ eventName, args: { ...args } }) as TokenEvent,
    );
    return { ok: true, events, gasUsed: receipt.gasUsed };
  };

  return {
    provider,
    publicClient,
    address,
    accounts,
    execute,
    async mustExecute(caller, call) {
      const outcome = await execute(caller, call);
      if (!outcome.ok)
        throw new Error(`${call.functionName} reverted: ${JSON.stringify(outcome.error, jsonBigint)}`);
      return outcome;
    },
    snapshot: async () => (await provider.request({ method: 'evm_snapshot' })) as Hex,
    async revert(snapshotId) {
      if (!(await provider.request({ method: 'evm_revert', params: [snapshotId] })))
        throw new Error(`evm_revert(${snapshotId}) found no snapshot`);
    },
    close: () => provider.close(),
  };
}

/** The custom error a reverted call carries (the provider answers code 3 with the revert data). */
export function revertOf(error: unknown): TokenError | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const withData = error.walk(
    (cause) =>
      (cause as { code?: unknown }).code === 3 && typeof (cause as { data?: unknown }).data === 'string',
  ) as { data: Hex } | null;
  if (!withData) return undefined;
  const { errorName, args } = decodeErrorResult({ abi: portfolioTokenAbi, data: withData.data });
  return { errorName, args: args ?? [] };
}

export const jsonBigint = (_key: string, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value);

export interface TokenCast {
  admin: PrivateKeyAccount;
  treasury: PrivateKeyAccount;
  /** Holds DOMAIN_ADMIN_ROLE, like the relayer's key. */
  relayer: PrivateKeyAccount;
  /** Holds AI_ORACLE_ROLE. */
  oracle: PrivateKeyAccount;
  /** Funded accounts without any role. */
  users: PrivateKeyAccount[];
}

/** Grants the relayer and oracle roles to accounts[2] and [3] and registers the given hosts. */
export async function castRolesAndDomains(
  harness: TokenHarness,
  hosts: readonly string[],
): Promise<TokenCast> {
  const [admin, treasury, relayer, oracle, ...users] = harness.accounts as [
    PrivateKeyAccount,
    PrivateKeyAccount,
    PrivateKeyAccount,
    PrivateKeyAccount,
    ...PrivateKeyAccount[],
  ];
  await harness.mustExecute(admin, { functionName: 'grantRole', args: [DOMAIN_ADMIN_ROLE, relayer.address] });
  await harness.mustExecute(admin, { functionName: 'grantRole', args: [AI_ORACLE_ROLE, oracle.address] });
  for (const host of hosts) {
    await harness.mustExecute(admin, { functionName: 'registerDomain', args: [domainIdOf(host), host] });
  }
  return { admin, treasury, relayer, oracle, users };
}
