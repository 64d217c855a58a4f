import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPglite } from '../db/open-pglite.ts';
import type { Db } from '../db/types.ts';
import { insertDomains } from '../test-support/fixtures.ts';
import { describeIntegration } from '../test-support/integration.ts';
import { runCli } from '../test-support/spawn-cli.ts';
import { createTestDb, testBackend } from '../test-support/test-db.ts';

// `portfolio-os token` as a user runs it, on the embedded chain: every command is a new process,
// so the token it deployed is found again by replaying the chain's journal from the database.
const HOSTS = ['music.token-cli.example', 'shop.token-cli.example'];
const ENV = {
  DATABASE_URL: '',
  CHAIN: undefined,
  CHAIN_RPC_URL: undefined,
  CHAIN_ID: undefined,
  CHAIN_PRIVATE_KEY: undefined,
  CHAIN_PRIVATE_KEY_FILE: undefined,
  TOKEN_TREASURY_ADDRESS: undefined,
};

describeIntegration('portfolio-os token (the real CLI)', () => {
  let target: string[];
  let dir: string | undefined;
  let pgDb: Db | undefined;
  const token = async (...args: string[]) => runCli(['token', ...args, ...target], ENV);
  const json = async (...args: string[]) => {
    const res = await token(...args, '--json');
    expect(res.stderr).toBe('');
    return { code: res.code, body: JSON.parse(res.stdout) };
  };

  beforeAll(async () => {
    if (testBackend() === 'postgres') {
      pgDb = await createTestDb();
      target = ['--database-url', (pgDb as Db & { url: string }).url];
    } else {
      dir = await mkdtemp(join(tmpdir(), 'pos-token-cli-'));
      target = ['--data', join(dir, 'data')];
      expect((await runCli(['migrate', ...target], ENV)).code).toBe(0);
    }
  });
  afterAll(async () => {
    await pgDb?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('status on a fresh database: the embedded chain, no token yet', async () => {
    const { code, body } = await json('status');
    expect(code).toBe(0);
    expect(body).toMatchObject({
      chain: { kind: 'embedded', chainId: 31337, network: 'embedded' },
      token: null,
    });
    expect(BigInt(body.chain.accountBalanceWei)).toBe(10_000n * 10n ** 18n);
  });

  it('deploys once, registers the portfolio, and every later process sees the same token', async () => {
    const db = pgDb ?? (await openPglite({ dataDir: target[1] as string }));
    try {
      await insertDomains(db, HOSTS);
    } finally {
      if (!pgDb) await db.close();
    }
    const deployed = await json('deploy');
    expect(deployed.code).toBe(0);
    expect(deployed.body).toMatchObject({
      deployed: true,
      rolesGranted: ['DOMAIN_ADMIN_ROLE', 'AI_ORACLE_ROLE'],
      domainsRegistered: HOSTS,
    });
    const address = deployed.body.deployment.address as string;

    const status = await json('status');
    expect(status.body.token).toMatchObject({ address, hasCode: true, sourceCurrent: true });
    expect(status.body.token.onChain).toMatchObject({
      symbol: 'PTF',
      totalSupplyWei: (200_000_000n * 10n ** 18n).toString(),
      holders: 1,
      accountRoles: { admin: true, domainAdmin: true, aiOracle: true },
    });
    expect(status.body.chain.blockNumber).toBe('5');

    const human = await token('status');
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Token     ${address}`);
    expect(human.stdout).toMatch(/Supply {4}200000000 PTF of a 1000000000 cap; holders 1/);
    expect(human.stdout).toMatch(/music\.token-cli\.example +registered/);

    const again = await token('deploy');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `PortfolioToken is already deployed at ${address} on embedded chain 31337.`,
    );
    expect(again.stdout).toContain('0 transaction(s) sent.');

    const reconciled = await json('reconcile');
    expect(reconciled).toMatchObject({
      code: 0,
      body: { status: 'ok', supplyDiffers: false, usersChecked: 0 },
    });
  });

  it('explains what is wrong instead of failing obscurely', async () => {
    const off = await runCli(['token', 'status', ...target], { ...ENV, CHAIN: 'off' });
    expect(off.code).toBe(1);
    expect(off.stderr).toContain('the chain is turned off (CHAIN=off)');
    const key = `0x${'ab'.repeat(32)}`;
    const misplaced = await runCli(['token', 'status', ...target], { ...ENV, CHAIN_PRIVATE_KEY: key });
    expect(misplaced.code).toBe(1);
    expect(misplaced.stderr).toContain('CHAIN_PRIVATE_KEY: is for CHAIN=rpc');
    expect(misplaced.stderr).not.toContain('ab'.repeat(32));
    const unknown = await token('burn');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown subcommand "burn"/);
  });
});
