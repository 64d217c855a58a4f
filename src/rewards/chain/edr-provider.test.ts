// The in-process EDR chain through viem: revert shape (code 3 + data, decoded, not retried), the
// transaction gas cap, automine, snapshots, options and close.
import {
  type BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  type Hex,
  parseEther,
} from 'viem';
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { portfolioTokenAbi, portfolioTokenBytecode } from './artifacts/portfolio-token.ts';
import {
  createEdrProvider,
  DEV_PRIVATE_KEYS,
  type EdrProvider,
  TRANSACTION_GAS_CAP,
} from './edr-provider.ts';

// Init code that reverts with the 32-byte word 0xfe: mstore(0, 0xfe); revert(0, 32).
const REVERTING_INIT_CODE: Hex = '0x60fe60005260206000fd';
const chain = defineChain({
  id: 31337,
  name: 'edr',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [] } },
});
const admin = privateKeyToAccount(DEV_PRIVATE_KEYS[0] as Hex);

const opened: EdrProvider[] = [];
async function open(options?: Parameters<typeof createEdrProvider>[0]) {
  const provider = await createEdrProvider(options);
  opened.push(provider);
  return provider;
}
afterEach(async () => {
  for (const provider of opened.splice(0)) await provider.close();
});

const rpcErrorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: 'resolved' }) as { code: unknown; data?: unknown; details?: string },
    (error: { code: unknown; data?: unknown; details?: string }) => error,
  );

describe('createEdrProvider', () => {
  it('funds the ten well-known dev accounts of the test mnemonic', async () => {
    const provider = await open();
    const mnemonic = 'test test test test test test test test test test test junk';
    const expected = DEV_PRIVATE_KEYS.map((_, i) => mnemonicToAccount(mnemonic, { addressIndex: i }).address);
    expect(DEV_PRIVATE_KEYS.map((key) => privateKeyToAccount(key).address)).toEqual(expected);
    const accounts = (await provider.request({ method: 'eth_accounts' })) as string[];
    expect(accounts).toEqual(expected.map((address) => address.toLowerCase()));
    const client = createPublicClient({ chain, transport: custom(provider), cacheTime: 0 });
    expect(await client.getBalance({ address: admin.address })).toBe(parseEther('10000'));
    expect(await client.getChainId()).toBe(31337);
  });

  it('answers a revert as code 3 with the revert data, once (viem does not retry it)', async () => {
    const provider = await open();
    const error = await rpcErrorOf(
      provider.request({
        method: 'eth_call',
        params: [{ from: admin.address, data: REVERTING_INIT_CODE }, 'latest'],
      }),
    );
    expect(error.code).toBe(3);
    expect(error.data).toBe(`0x${'fe'.padStart(64, '0')}`);

    let calls = 0;
    const counting = custom({
      request: (args: { method: string; params?: unknown }) => {
        if (args.method === 'eth_call') calls += 1;
        return provider.request(args);
      },
    });
    const client = createPublicClient({ chain, transport: counting });
    const started = performance.now();
    await expect(client.call({ account: admin, data: REVERTING_INIT_CODE })).rejects.toThrow(/reverted/);
    expect(calls).toBe(1);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('lets viem decode custom errors by name, and mines reverted transactions like a real node', async () => {
    const provider = await open();
    const transport = custom(provider);
    const client = createPublicClient({ chain, transport });
    const wallet = createWalletClient({ chain, transport, account: admin });
    const hash = await wallet.deployContract({
      abi: portfolioTokenAbi,
      bytecode: portfolioTokenBytecode,
      args: [admin.address, admin.address],
    });
    const { contractAddress } = await client.getTransactionReceipt({ hash });
    const address = contractAddress as Hex;
    const error = await client
      .simulateContract({ account: admin, address, abi: portfolioTokenAbi, functionName: 'unpause' })
      .catch((e: BaseError) => e.walk((cause) => cause instanceof ContractFunctionRevertedError));
    expect((error as ContractFunctionRevertedError).data?.errorName).toBe('ExpectedPause');

    // With an explicit gas limit nothing estimates first: the transaction is mined and fails.
    const sent = await wallet.writeContract({
      address,
      abi: portfolioTokenAbi,
      functionName: 'unpause',
      gas: 100_000n,
    });
    expect((await client.getTransactionReceipt({ hash: sent })).status).toBe('reverted');
  });

  it('keeps transactions within the Osaka gas cap of 2^24 and mines each one at once', async () => {
    const provider = await open();
    const client = createPublicClient({ chain, transport: custom(provider), cacheTime: 0 });
    const send = (gas?: bigint) =>
      provider.request({
        method: 'eth_sendTransaction',
        params: [
          { from: admin.address, to: admin.address, ...(gas ? { gas: `0x${gas.toString(16)}` } : {}) },
        ],
      });
    const before = await client.getBlockNumber();
    await send(); // the default gas limit fits under the cap
    await send(TRANSACTION_GAS_CAP);
    const tooMuch = await rpcErrorOf(send(TRANSACTION_GAS_CAP + 1n));
    expect(tooMuch.code).toBe(-32000);
    expect(tooMuch.details).toMatch(/gas cap/);
    expect(await client.getBlockNumber()).toBe(before + 2n);
  });

  it('mines empty blocks on request and rolls back to snapshots', async () => {
    const provider = await open();
    const client = createPublicClient({ chain, transport: custom(provider), cacheTime: 0 });
    const start = await client.getBlockNumber();
    await provider.request({ method: 'evm_mine' });
    await provider.request({ method: 'hardhat_mine', params: ['0x5'] });
    expect(await client.getBlockNumber()).toBe(start + 6n);

    const snapshot = (await provider.request({ method: 'evm_snapshot' })) as Hex;
    await provider.request({
      method: 'eth_sendTransaction',
      params: [
        { from: admin.address, to: privateKeyToAccount(DEV_PRIVATE_KEYS[1] as Hex).address, value: '0x1' },
      ],
    });
    expect(await client.getBlockNumber()).toBe(start + 7n);
    expect(await provider.request({ method: 'evm_revert', params: [snapshot] })).toBe(true);
    expect(await client.getBlockNumber()).toBe(start + 6n);
    expect(await client.getBalance({ address: admin.address })).toBe(parseEther('10000'));
    // A snapshot is spent by reverting to it: take a new one for the next rollback.
    expect(await provider.request({ method: 'evm_revert', params: [snapshot] })).toBe(false);
  });

  it('takes the chain id, accounts and hardfork from its options', async () => {
    const key: Hex = `0x${'11'.repeat(32)}`;
    const provider = await open({
      chainId: 1337,
      hardfork: 'cancun',
      accounts: [{ privateKey: key, balance: 5n }],
    });
    const client = createPublicClient({ transport: custom(provider) });
    expect(await client.getChainId()).toBe(1337);
    expect(await client.getBalance({ address: privateKeyToAccount(key).address })).toBe(5n);
    expect(await client.getBalance({ address: admin.address })).toBe(0n);
    // Before Osaka there is no per-transaction cap: 2^24 + 1 fails only for lack of funds.
    const error = await rpcErrorOf(
      provider.request({
        method: 'eth_estimateGas',
        params: [
          { from: admin.address, to: admin.address, gas: `0x${(TRANSACTION_GAS_CAP + 1n).toString(16)}` },
        ],
      }),
    );
    expect(error.code).toBe('resolved');
  });

  it('refuses requests once closed', async () => {
    const provider = await open();
    await provider.close();
    const error = await rpcErrorOf(provider.request({ method: 'eth_chainId' }));
    expect(error.code).toBe(4900);
  });
});
