import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import solc from 'solc';
import { createPublicClient, createTestClient, createWalletClient, type Hex, http, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { routeTestApp } from '../../test-support/route-test-app.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { walletRoutes } from './routes.ts';
import { type SiweTestKit, siweTestKit } from './siwe-test-kit.ts';

// Smart-contract wallets (EIP-1271) are accepted when the routes have a chain client: a minimal
// wallet contract whose owner key signs for it, deployed on a real anvil chain started here.

const ANVIL = fileURLToPath(new URL('../../../node_modules/.bin/anvil', import.meta.url));
const OWNED_WALLET = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract OwnedWallet {
  address public immutable owner;
  constructor(address owner_) { owner = owner_; }
  function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
    if (signature.length != 65) return 0xffffffff;
    bytes32 r = bytes32(signature[0:32]);
    bytes32 s = bytes32(signature[32:64]);
    uint8 v = uint8(signature[64]);
    return ecrecover(hash, v, r, s) == owner ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
  }
}`;

function compileOwnedWallet(): { abi: unknown[]; bytecode: Hex } {
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: 'Solidity',
        sources: { 'OwnedWallet.sol': { content: OWNED_WALLET } },
        settings: { outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
      }),
    ),
  );
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  const contract = output.contracts['OwnedWallet.sol'].OwnedWallet;
  return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
}

function startAnvil(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(ANVIL, ['--port', '0', '--chain-id', String(foundry.id)], { stdio: 'pipe' });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /Listening on (\S+)/.exec(out);
      if (m) resolve({ child, url: `http://${m[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`anvil exited with ${code}: ${out}`)));
  });
}

/** The npm wrapper exits before the anvil binary it forwards the signal to: wait for the port. */
async function untilRefused(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(200) });
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`anvil at ${url} still answers`);
}

describeIntegration('smart-contract wallets (EIP-1271)', () => {
  let db: Db;
  let anvil: { child: ChildProcess; url: string };
  let k: SiweTestKit;
  let keyOnly: FastifyInstance;
  let walletAddress: `0x${string}`;
  const owner = privateKeyToAccount(generatePrivateKey());

  beforeAll(async () => {
    db = await createTestDb();
    anvil = await startAnvil();
    const transport = http(anvil.url);
    const chainClient = createPublicClient({ chain: foundry, transport });
    const deployer = privateKeyToAccount(generatePrivateKey());
    await createTestClient({ chain: foundry, mode: 'anvil', transport }).setBalance({
      address: deployer.address,
      value: parseEther('10'),
    });
    const { abi, bytecode } = compileOwnedWallet();
    const hash = await createWalletClient({ account: deployer, chain: foundry, transport }).deployContract({
      abi,
      bytecode,
      args: [owner.address],
    });
    const receipt = await chainClient.waitForTransactionReceipt({ hash });
    walletAddress = receipt.contractAddress as `0x${string}`;
    k = await siweTestKit(db, { chainClient, chainId: foundry.id });
    keyOnly = await routeTestApp(db, walletRoutes({ db, siwe: k.siwe, now: k.clock.now }));
  });
  afterAll(async () => {
    await keyOnly?.close();
    await k?.app.close();
    anvil?.child.kill();
    await db?.close();
  });

  /** A link request for bob whose message names the contract wallet, signed by `signer`. */
  async function contractLink(signer = owner) {
    const nonce = await k.linkNonce(k.keys.a, { userId: k.users.bob });
    return { ...(await k.signed({ address: walletAddress }, nonce, {}, signer)), userId: k.users.bob };
  }

  it("refuses the contract wallet without a chain client, and a signature by a key that is not the wallet's owner", async () => {
    const res = await keyOnly.inject({
      method: 'POST',
      url: '/api/v1/wallets/link',
      headers: { authorization: `Bearer ${k.keys.a}` },
      payload: await contractLink(),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/smart-contract wallets are not accepted/);
    const forged = await k.call('POST', '/api/v1/wallets/link', {
      token: k.keys.a,
      body: await contractLink(privateKeyToAccount(generatePrivateKey())),
    });
    expect(forged.status).toBe(401);
    expect(forged.json.error.field).toBe('signature');
  });

  it('links the contract wallet when its owner signs, checked on the chain', async () => {
    const res = await k.call('POST', '/api/v1/wallets/link', { token: k.keys.a, body: await contractLink() });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({
      userId: k.users.bob,
      address: walletAddress.toLowerCase(),
      payout: true,
    });
  });

  it('answers 503 for a contract wallet while the chain is down, and still links keys offline', async () => {
    const body = await contractLink();
    anvil.child.kill();
    await untilRefused(anvil.url);
    const res = await k.call('POST', '/api/v1/wallets/link', { token: k.keys.a, body });
    expect(res.status).toBe(503);
    expect(res.json.error).toMatchObject({ code: 'unavailable', field: 'signature' });
    const eoa = k.newAccount();
    const linked = await k.call('POST', '/api/v1/wallets/link', {
      token: k.keys.a,
      body: {
        ...(await k.signed(eoa, await k.linkNonce(k.keys.a, { userId: k.users.bob }))),
        userId: k.users.bob,
      },
    });
    expect(linked.status).toBe(200);
  });
});
