import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb, testBackend } from '../../test-support/test-db.ts';
import { RewardsConfig } from '../reward-schema.ts';
import {
  balanceOf,
  fold,
  HOSTS,
  insertEvents,
  insertUser,
  ledgerProblems,
  RULES,
  systemCtx,
} from './ledger-fixture.ts';
import { WEI_PER_PTF } from './ptf-decimal.ts';
import { recomputeTiers } from './recompute-tiers.ts';
import { startRewardsFold } from './rewards-fold-job.ts';

const PTF = WEI_PER_PTF;

describeIntegration('rewards fold (bookRewardsForEvents)', () => {
  let db: Db;
  let d: Record<string, string>;
  let shop: string;
  let ride: string;
  let music: string;
  let seo: string;

  beforeAll(async () => {
    db = await createTestDb();
    d = await insertDomains(db, HOSTS);
    [shop, ride, music, seo] = HOSTS.map((h) => d[h] as string) as [string, string, string, string];
  });
  afterAll(async () => {
    await db?.close();
  });
  afterEach(async () => {
    expect(await ledgerProblems(db)).toEqual([]);
  });

  const ledgerOf = async (userId: string) =>
    (
      await db.query<{
        rule_id: string;
        amount_wei: string;
        ai_bonus_wei: string;
        milestone_k: number | null;
        milestone_wei: string;
        total_wei: string;
        measure: string | null;
        chain_status: string;
      }>(
        `SELECT rule_id, amount_wei::text AS amount_wei, ai_bonus_wei::text AS ai_bonus_wei, milestone_k,
                milestone_wei::text AS milestone_wei, total_wei::text AS total_wei, measure, chain_status
           FROM ledger_transactions WHERE user_id = $1 ORDER BY seq`,
        [userId],
      )
    ).rows;
  const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0]?.n;
  const horizon = async () =>
    (await db.query<{ h: string }>("SELECT horizon::text AS h FROM rollup_state WHERE name = 'rewards'"))
      .rows[0]?.h;

  it('books rewards from inserted events with exact amounts, bonuses and postings', async () => {
    const u = await insertUser(db, [shop]);
    const stranger = '00000000-0000-4000-8000-00000000dead'; // an id no users row has
    await insertEvents(db, [
      { domainId: shop, name: 'Purchase', userId: u, at: '2026-11-20T10:00:00Z', valueEur: '12.34' },
      {
        domainId: ride,
        name: 'Ride Recorded',
        userId: u,
        at: '2026-11-20T11:00:00Z',
        props: { km: 10, ai: true },
      },
      { domainId: music, name: 'Track Released', userId: u, at: '2026-11-20T12:00:00Z' },
      { domainId: shop, name: 'Purchase', userId: null, at: '2026-11-20T12:30:00Z', valueEur: '99' },
      { domainId: shop, name: 'Add to Cart', userId: u, at: '2026-11-20T12:40:00Z' },
      { domainId: shop, name: 'Purchase', userId: stranger, at: '2026-11-20T12:50:00Z', valueEur: '5' },
    ]);
    const result = await fold(db);
    expect(result).toMatchObject({ events: 3, rewarded: 3, unknownHosts: [] });
    expect(await ledgerOf(u)).toEqual([
      {
        rule_id: 'shop-spend',
        amount_wei: ((12_340n * PTF) / 1000n).toString(),
        ai_bonus_wei: '0',
        milestone_k: null,
        milestone_wei: '0',
        total_wei: ((12_340n * PTF) / 1000n).toString(),
        measure: '12.34',
        chain_status: 'awaiting_wallet',
      },
      {
        rule_id: 'ride-km',
        amount_wei: (10n * PTF).toString(),
        ai_bonus_wei: (PTF / 2n).toString(),
        milestone_k: null,
        milestone_wei: '0',
        total_wei: ((21n * PTF) / 2n).toString(),
        measure: '10',
        chain_status: 'awaiting_wallet',
      },
      {
        // The third rewarded domain: min(10 × 3 / 10, 1000) = 3 PTF once.
        rule_id: 'track',
        amount_wei: (10n * PTF).toString(),
        ai_bonus_wei: '0',
        milestone_k: 3,
        milestone_wei: (3n * PTF).toString(),
        total_wei: (13n * PTF).toString(),
        measure: null,
        chain_status: 'awaiting_wallet',
      },
    ]);
    expect(result.issuedWei).toBe(((35_840n * PTF) / 1000n).toString());
    expect(await balanceOf(db, u)).toEqual({
      earned: (35_840n * PTF) / 1000n,
      balance: (35_840n * PTF) / 1000n,
      tier: 'bronze',
    });
    const postings = await db.query<{ account: string; line: string; amount_wei: string }>(
      `SELECT p.account, p.line, p.amount_wei::text AS amount_wei FROM ledger_postings p
         JOIN ledger_transactions t ON t.id = p.transaction_id WHERE t.rule_id = 'track' AND t.user_id = $1
        ORDER BY p.line_no`,
      [u],
    );
    expect(postings.rows).toEqual([
      { account: `user:${u}`, line: 'base', amount_wei: (10n * PTF).toString() },
      { account: `issuance:${music}`, line: 'base', amount_wei: (-10n * PTF).toString() },
      { account: `user:${u}`, line: 'milestone', amount_wei: (3n * PTF).toString() },
      { account: `issuance:${music}`, line: 'milestone', amount_wei: (-3n * PTF).toString() },
    ]);
  });

  it('is idempotent: a second fold books nothing', async () => {
    const before = await count('SELECT count(*)::int AS n FROM ledger_transactions');
    expect(await fold(db)).toMatchObject({ events: 0, rewarded: 0 });
    expect(await count('SELECT count(*)::int AS n FROM ledger_transactions')).toBe(before);
  });

  it('a fold that fails midway books nothing; the next books every event once', async () => {
    const u = await insertUser(db, [seo]);
    await insertEvents(
      db,
      [1, 2, 3].map((i) => ({ domainId: seo, name: 'Audit Run', userId: u, at: `2026-11-21T0${i}:00:00Z` })),
    );
    const before = await count('SELECT count(*)::int AS n FROM ledger_transactions');
    const h = await horizon();
    for (const failAt of ['page', 'horizon'])
      await expect(
        fold(db, RULES, (s) => {
          if (s === failAt) throw new Error(`crash at ${s}`);
        }),
      ).rejects.toThrow(`crash at ${failAt}`);
    expect(await count('SELECT count(*)::int AS n FROM ledger_transactions')).toBe(before);
    expect((await db.query('SELECT 1 FROM reward_user_domains WHERE user_id = $1', [u])).rowCount).toBe(0);
    expect(await balanceOf(db, u)).toEqual({ earned: 0n, balance: 0n, tier: 'bronze' });
    expect(await horizon()).toBe(h);
    expect(await fold(db)).toMatchObject({ rewarded: 3 });
    expect(await fold(db)).toMatchObject({ rewarded: 0 });
    // Always AI-optimised: 2 + 0.1 PTF per audit.
    expect((await balanceOf(db, u)).earned).toBe(3n * ((21n * PTF) / 10n));
  });

  it('books an event that happened before already booked ones, once, when it arrives', async () => {
    const u = await insertUser(db, [music]);
    await insertEvents(db, [
      { domainId: music, name: 'Track Released', userId: u, at: '2026-11-22T12:00:00Z' },
    ]);
    expect(await fold(db)).toMatchObject({ rewarded: 1 });
    await insertEvents(db, [
      { domainId: music, name: 'Track Released', userId: u, at: '2026-10-01T12:00:00Z' },
    ]);
    expect(await fold(db)).toMatchObject({ events: 1, rewarded: 1 });
    expect(await fold(db)).toMatchObject({ events: 0, rewarded: 0 });
    expect((await ledgerOf(u)).length).toBe(2);
  });

  // PGlite has one session: a transaction left open would block the fold itself.
  it.skipIf(testBackend() === 'pglite')(
    'an event whose transaction is still open is booked once it commits, and holds back nothing after it',
    async () => {
      const u = await insertUser(db, [music]);
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let opened: () => void = () => undefined;
      const isOpen = new Promise<void>((resolve) => {
        opened = resolve;
      });
      const slow = db.transaction(async (tx) => {
        await insertEvents(tx, [
          { domainId: music, name: 'Track Released', userId: u, at: '2026-11-23T10:00:00Z' },
        ]);
        opened();
        await gate;
      });
      await isOpen;
      await insertEvents(db, [
        { domainId: music, name: 'Track Released', userId: u, at: '2026-11-23T10:01:00Z' },
      ]);
      expect(await fold(db)).toMatchObject({ rewarded: 1 }); // the later, committed one
      release();
      await slow;
      expect(await fold(db)).toMatchObject({ rewarded: 1 });
      expect(await fold(db)).toMatchObject({ rewarded: 0 });
      expect((await ledgerOf(u)).length).toBe(2);
    },
  );

  it('pays the milestone once at the 3rd domain, once at the 4th, never for repeated activity', async () => {
    const u = await insertUser(db, [shop]);
    const at = (h: number) => `2026-11-24T${String(h).padStart(2, '0')}:00:00Z`;
    await insertEvents(db, [
      { domainId: shop, name: 'Purchase', userId: u, at: at(1), valueEur: '20' },
      { domainId: ride, name: 'Ride Recorded', userId: u, at: at(2), props: { km: 5 } },
      { domainId: music, name: 'Track Released', userId: u, at: at(3) },
      { domainId: music, name: 'Track Released', userId: u, at: at(4) },
      { domainId: shop, name: 'Purchase', userId: u, at: at(5), valueEur: '20' },
    ]);
    await fold(db);
    await insertEvents(db, [
      { domainId: seo, name: 'Audit Run', userId: u, at: at(6) },
      { domainId: ride, name: 'Ride Recorded', userId: u, at: at(7), props: { km: 5 } },
    ]);
    await fold(db);
    const rows = await ledgerOf(u);
    expect(rows.map((r) => [r.rule_id, r.milestone_k, r.milestone_wei])).toEqual([
      ['shop-spend', null, '0'],
      ['ride-km', null, '0'],
      ['track', 3, (3n * PTF).toString()],
      ['track', null, '0'],
      ['shop-spend', null, '0'],
      // 2 PTF + 5 % = 2.1, × 4 / 10 = 0.84
      ['audit', 4, ((84n * PTF) / 100n).toString()],
      ['ride-km', null, '0'],
    ]);
    const domains = await db.query<{ domain_id: string; ordinal: number }>(
      'SELECT domain_id, ordinal FROM reward_user_domains WHERE user_id = $1 ORDER BY ordinal',
      [u],
    );
    expect(domains.rows).toEqual([
      { domain_id: shop, ordinal: 1 },
      { domain_id: ride, ordinal: 2 },
      { domain_id: music, ordinal: 3 },
      { domain_id: seo, ordinal: 4 },
    ]);
  });

  it('adds the AI bonus from the event property or always, per the rule', async () => {
    const u = await insertUser(db, [ride]);
    await insertEvents(db, [
      {
        domainId: ride,
        name: 'Ride Recorded',
        userId: u,
        at: '2026-11-25T08:00:00Z',
        props: { km: '7.3', ai: 'true' },
      },
      {
        domainId: ride,
        name: 'Ride Recorded',
        userId: u,
        at: '2026-11-25T09:00:00Z',
        props: { km: 7.3, ai: false },
      },
    ]);
    await fold(db);
    expect((await ledgerOf(u)).map((r) => [r.amount_wei, r.ai_bonus_wei, r.measure])).toEqual([
      [((73n * PTF) / 10n).toString(), ((((73n * PTF) / 10n) * 5n) / 100n).toString(), '7.3'],
      [((73n * PTF) / 10n).toString(), '0', '7.3'],
    ]);
  });

  it('caps a rule per user and UTC day, across folds', async () => {
    const u = await insertUser(db, [shop]);
    await insertEvents(db, [
      { domainId: shop, name: 'Purchase', userId: u, at: '2026-11-26T08:00:00Z', valueEur: '200' },
      { domainId: shop, name: 'Purchase', userId: u, at: '2026-11-26T09:00:00Z', valueEur: '150' },
    ]);
    await fold(db);
    await insertEvents(db, [
      { domainId: shop, name: 'Purchase', userId: u, at: '2026-11-26T23:00:00Z', valueEur: '10' },
      { domainId: shop, name: 'Purchase', userId: u, at: '2026-11-27T00:00:00Z', valueEur: '10' },
    ]);
    expect(await fold(db)).toMatchObject({ rewarded: 1, skipped: { daily_cap: 1 } });
    expect((await ledgerOf(u)).map((r) => r.amount_wei)).toEqual(
      [200n * PTF, 100n * PTF, 10n * PTF].map(String),
    );
  });

  it('moves tiers with lifetime earnings, and to new thresholds when they change', async () => {
    const u = await insertUser(db, [music]);
    const tracks = (n: number, day: string) =>
      Array.from({ length: n }, (_, i) => ({
        domainId: music,
        name: 'Track Released',
        userId: u,
        at: `${day}T${String(i).padStart(2, '0')}:00:00Z`,
      }));
    await insertEvents(db, tracks(9, '2026-11-28'));
    await fold(db);
    expect(await balanceOf(db, u)).toMatchObject({ earned: 90n * PTF, tier: 'bronze' });
    await insertEvents(db, tracks(1, '2026-11-29'));
    expect(await fold(db)).toMatchObject({ tiersChanged: 1 });
    expect(await balanceOf(db, u)).toMatchObject({ earned: 100n * PTF, tier: 'silver' });
    const lower = RewardsConfig.parse({ ...RULES, tiers: { silver: 10, gold: 50, platinum: 100 } }).tiers;
    await recomputeTiers({ ctx: systemCtx(db), input: { tiers: lower } });
    expect((await balanceOf(db, u)).tier).toBe('platinum');
    const res = await recomputeTiers({ ctx: systemCtx(db), input: { tiers: RULES.tiers } });
    expect(res.changed).toBeGreaterThan(0);
    expect((await balanceOf(db, u)).tier).toBe('silver');
  });

  it('queues transactions of users with a verified wallet as pending for the relayer', async () => {
    const u = await insertUser(db, [music]);
    await db.query(
      "INSERT INTO user_wallets (address, user_id, chain_id, verified_at) VALUES ('0x' || repeat('ab', 20), $1, 1, now())",
      [u],
    );
    await insertEvents(db, [
      { domainId: music, name: 'Track Released', userId: u, at: '2026-11-30T10:00:00Z' },
    ]);
    await fold(db);
    expect((await ledgerOf(u)).map((r) => r.chain_status)).toEqual(['pending']);
  });

  it('refuses an unbalanced transaction and any change to posted lines, whoever writes', async () => {
    const tx = await db.query<{ id: string; user_id: string; domain_id: string }>(
      'SELECT id, user_id, domain_id FROM ledger_transactions ORDER BY seq LIMIT 1',
    );
    const t = tx.rows[0] as { id: string; user_id: string; domain_id: string };
    await expect(
      db.query(
        `INSERT INTO ledger_postings (transaction_id, line_no, line, account, amount_wei, domain_id)
         VALUES ($1, 90, 'base', $2, 5, $3), ($1, 91, 'base', $4, -4, $3)`,
        [t.id, `user:${t.user_id}`, t.domain_id, `issuance:${t.domain_id}`],
      ),
    ).rejects.toThrow(/unbalanced/);
    await expect(db.query('UPDATE ledger_postings SET amount_wei = amount_wei * 2')).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query('DELETE FROM ledger_postings')).rejects.toThrow(/append-only/);
    await expect(
      db.query('UPDATE reward_balances SET redeemed_wei = earned_wei + 1 WHERE user_id = $1', [t.user_id]),
    ).rejects.toThrow(/check/i);
  });

  it('runs as a periodic job: tiers recomputed when thresholds change, unknown hosts warned once', async () => {
    const u = await insertUser(db, [music]);
    const logs: string[] = [];
    const log = {
      info: (_: object, m?: string) => logs.push(`info ${m}`),
      warn: (_: object, m?: string) => logs.push(`warn ${m}`),
      error: (_: object, m?: string) => logs.push(`error ${m}`),
    };
    let rewards = RewardsConfig.parse({
      ...RULES,
      rules: [...RULES.rules, { id: 'later', domain: 'later.example', event: 'E', ptf: 1 }],
    });
    const job = startRewardsFold({ db, rewards: () => rewards, log, seconds: 0 });
    await insertEvents(db, [
      { domainId: music, name: 'Track Released', userId: u, at: '2026-11-30T12:00:00Z' },
    ]);
    expect(await job.runNow()).toMatchObject({ rewarded: 1, unknownHosts: ['later.example'] });
    expect(await job.runNow()).toMatchObject({ rewarded: 0 });
    expect(logs.filter((l) => l.startsWith('warn'))).toHaveLength(1);
    expect(logs).toContain('info rewards booked');
    expect((await balanceOf(db, u)).tier).toBe('bronze');
    rewards = RewardsConfig.parse({ ...rewards, tiers: { silver: 1, gold: 5, platinum: 10 } });
    await job.runNow();
    expect((await balanceOf(db, u)).tier).toBe('platinum');
    rewards = RULES;
    await job.runNow();
    expect((await balanceOf(db, u)).tier).toBe('bronze');
    await job.stop();
  });

  describe('without rules', () => {
    it('advances the watermark and books nothing; rules added later apply to later events only', async () => {
      const u = await insertUser(db, [seo]);
      await insertEvents(db, [{ domainId: seo, name: 'Audit Run', userId: u, at: '2026-12-01T10:00:00Z' }]);
      const h = await horizon();
      expect(await fold(db, RewardsConfig.parse({}))).toMatchObject({ events: 0, rewarded: 0 });
      expect(await horizon()).not.toBe(h);
      expect(await fold(db)).toMatchObject({ rewarded: 0 });
      expect(await ledgerOf(u)).toEqual([]);
    });
  });
});
