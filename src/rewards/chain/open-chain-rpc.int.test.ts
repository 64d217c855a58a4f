import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { type Address, parseEther, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { TREASURY_ALLOCATION } from '../rules/token-constants.ts';
import { type Anvil, startAnvil } from './anvil.test-support.ts';
import type { ChainLog } from './chain-error.ts';
import type { ChainSettings } from './chain-settings.ts';
import { ensureTokenDeployed } from './deploy-token.ts';
import { loadChainSettings } from './load-chain-settings.ts';
import { openChain } from './open-chain.ts';
import { portfolioDomains } from './token-deployments.sql.ts';
import { tokenStatus } from './token-status.ts';

const CHAIN_ID = 31_338;
const HOSTS = ['ride.rpc-test.example', 'shop.rpc-test.example']; // sorted, as portfolioDomains lists them
// A fresh key, funded on anvil by the test: it must never appear in a log line or an error.
const key = generatePrivateKey();
const deployer = privateKeyToAccount(key);
const treasury: Address = '0x00000000000000000000000000000000000000aa';

describeIntegration('openChain over JSON-RPC (a real anvil node)', () => {
  let db: Db;
  let anvil: Anvil;
  let dir: string;
  let settings: ChainSettings;
  const logged: string[] = [];
  const log: ChainLog = {
    info: (obj, msg) => logged.push(JSON.stringify({ ...obj, msg }, bigints), inspect(obj, { depth: 8 })),
    warn: (obj, msg) => logged.push(JSON.stringify({ ...obj, msg }, bigints), inspect(obj, { depth: 8 })),
    error: (obj, msg) => logged.push(JSON.stringify({ ...obj, msg }, bigints), inspect(obj, { depth: 8 })),
  };
  const thrown: unknown[] = [];
  const capture = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => e,
    );
    thrown.push(err);
    return err as Error;
  };

  beforeAll(async () => {
    db = await createTestDb();
    await insertDomains(db, HOSTS);
    anvil = await startAnvil({ chainId: CHAIN_ID });
    dir = mkdtempSync(join(tmpdir(), 'pos-chain-'));
    writeFileSync(join(dir, 'key'), `${key}\n`);
    settings = loadChainSettings({
      CHAIN_RPC_URL: anvil.url,
      CHAIN_ID: String(CHAIN_ID),
      CHAIN_PRIVATE_KEY_FILE: join(dir, 'key'),
      CHAIN_CONFIRMATIONS: '1',
      TOKEN_TREASURY_ADDRESS: treasury,
    });
  });
  afterAll(async () => {
    await anvil?.stop();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('deploys once, registers the portfolio, reports status, and refuses a wrong chain id', async () => {
    const chain = await openChain({ settings, db, log });
    expect(chain).toMatchObject({ kind: 'rpc', chainId: CHAIN_ID, network: anvil.url, confirmations: 1 });
    expect(chain.account).toBe(deployer.address);

    // Unfunded: the deployment fails before anything is recorded.
    const poor = await capture(ensureTokenDeployed(db, chain, { domains: HOSTS.map((host) => ({ host })) }));
    expect(poor.message).toMatch(/insufficient funds|exceeds the balance/i);
    expect((await tokenStatus(db, chain)).token).toBeNull();

    await anvil.rpc('anvil_setBalance', [deployer.address, toHex(parseEther('10'))]);
    const domains = (await portfolioDomains(db)).filter((d) => !d.archived);
    const first = await ensureTokenDeployed(db, chain, { domains });
    expect(first).toMatchObject({
      deployed: true,
      rolesGranted: ['DOMAIN_ADMIN_ROLE', 'AI_ORACLE_ROLE'],
      domainsRegistered: HOSTS,
    });
    expect(first.transactions).toHaveLength(5);
    const second = await ensureTokenDeployed(db, chain, { domains });
    expect(second).toMatchObject({
      deployed: false,
      rolesGranted: [],
      domainsRegistered: [],
      transactions: [],
    });

    const status = await tokenStatus(db, chain);
    expect(status.chain).toMatchObject({ kind: 'rpc', chainId: CHAIN_ID, account: deployer.address });
    expect(BigInt(status.chain.accountBalanceWei)).toBeLessThan(parseEther('10'));
    expect(status.token).toMatchObject({
      address: first.deployment.address,
      treasury,
      deployer: deployer.address.toLowerCase(),
      sourceCurrent: true,
      hasCode: true,
    });
    expect(status.token?.onChain).toMatchObject({
      symbol: 'PTF',
      totalSupplyWei: TREASURY_ALLOCATION.toString(),
      paused: false,
      holders: 1,
      accountRoles: { admin: true, domainAdmin: true, aiOracle: true },
    });
    expect(status.token?.onChain?.domains.map((d) => [d.host, d.registered])).toEqual(
      HOSTS.map((host) => [host, true]),
    );
    await chain.close();

    const wrong = await capture(openChain({ settings: { ...settings, chainId: 1 }, db, log }));
    expect(wrong.message).toBe(
      `CHAIN_ID is 1 but the JSON-RPC at ${anvil.url} serves chain ${CHAIN_ID}: ` +
        'point CHAIN_RPC_URL at the intended network or correct CHAIN_ID',
    );
  });

  it('never shows the private key or an RPC URL path in logs, errors or the settings', async () => {
    // An endpoint whose path carries an API key, as hosted RPCs do; nothing listens on port 9.
    const apiKey = 'apikey0123456789abcdef';
    const down = await capture(
      openChain({
        settings: { ...settings, chainRpcUrl: `http://127.0.0.1:9/v3/${apiKey}`, chainRpcTimeoutSeconds: 2 },
        db,
        log,
      }),
    );
    expect(down.message).toMatch(/^cannot reach the chain's JSON-RPC at http:\/\/127\.0\.0\.1:9: /);
    expect(down.message).not.toContain(apiKey);

    // The same node, its URL carrying a key in the query: viem's errors quote the URL they called.
    const chain = await openChain({
      settings: { ...settings, chainRpcUrl: `${anvil.url}/?key=${apiKey}` },
      db,
      log,
    });
    const broke = await capture(
      chain.walletClient.sendTransaction({ to: treasury, value: parseEther('1000') }),
    );
    expect(broke.message).toMatch(/insufficient funds|exceeds the balance/i);
    expect(inspect(broke, { depth: 8 })).toMatch(/URL: http:\/\/127\.0\.0\.1:\d+\n/);
    const everything = [
      ...logged,
      JSON.stringify(settings),
      inspect(settings, { depth: 8, showHidden: true }),
      String(settings.chainPrivateKey),
      `${settings.chainPrivateKey}`,
      inspect(chain, { depth: 4, showHidden: true }),
      ...thrown.flatMap((err) => [
        String(err),
        (err as Error).stack ?? '',
        inspect(err, { depth: 8, showHidden: true }),
      ]),
    ].join('\n');
    expect(logged.length).toBeGreaterThan(0);
    expect(thrown.length).toBeGreaterThanOrEqual(2);
    for (const form of [key, key.slice(2), key.slice(2).toUpperCase()])
      expect(everything).not.toContain(form);
    expect(everything).not.toContain(apiKey);
    expect(everything).toContain('[redacted]');
    expect(settings.chainPrivateKey?.reveal()).toBe(key);
    await chain.close();
  });
});

const bigints = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
