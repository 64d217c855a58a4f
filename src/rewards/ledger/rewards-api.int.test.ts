import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addOperator } from '../../auth/add-operator.ts';
import { createApiKey } from '../../auth/create-api-key.ts';
import type { Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { routeTestApp } from '../../test-support/route-test-app.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import {
  balanceOf,
  fold,
  HOSTS,
  insertEvents,
  insertUser,
  ledgerProblems,
  systemCtx,
} from './ledger-fixture.ts';
import { WEI_PER_PTF } from './ptf-decimal.ts';
import { rewardsRoutes } from './routes.ts';

// The rewards API over HTTP as build-server.ts wires it: bearer authentication, zod validation,
// the one error shape. Alice is active on the shop and the music site, Bob on the ride app only.

const PTF = WEI_PER_PTF;

describeIntegration('rewards API', () => {
  let db: Db;
  let app: FastifyInstance;
  let d: Record<string, string>;
  let owner: string;
  let shopAnalyst: string;
  let rideAdmin: string;
  let shopKey: string;
  let shopPublicKey: string;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    db = await createTestDb();
    d = await insertDomains(db, HOSTS);
    const ctx = systemCtx(db);
    owner = (await addOperator({ ctx, input: { email: 'owner@example.com', role: 'owner' } })).token;
    shopAnalyst = (
      await addOperator({
        ctx,
        input: { email: 'ana@example.com', role: 'analyst', domains: ['shop.example'] },
      })
    ).token;
    rideAdmin = (
      await addOperator({
        ctx,
        input: { email: 'rid@example.com', role: 'admin', domains: ['ride.example'] },
      })
    ).token;
    shopKey = (await createApiKey({ ctx, input: { domain: 'shop.example', kind: 'secret' } })).secret;
    shopPublicKey = (await createApiKey({ ctx, input: { domain: 'shop.example', kind: 'public' } })).secret;
    const [shop, ride, music] = [d['shop.example'], d['ride.example'], d['music.example']] as [
      string,
      string,
      string,
    ];
    alice = await insertUser(db, [shop, music], 'alice@example.com');
    bob = await insertUser(db, [ride], 'bob@example.com');
    await insertEvents(db, [
      { domainId: shop, name: 'Purchase', userId: alice, at: '2026-11-20T10:00:00Z', valueEur: '100' },
      { domainId: music, name: 'Track Released', userId: alice, at: '2026-11-21T10:00:00Z' },
      { domainId: ride, name: 'Ride Recorded', userId: bob, at: '2026-11-21T11:00:00Z', props: { km: 40 } },
    ]);
    await fold(db);
    app = await routeTestApp(db, rewardsRoutes({ db, now: () => new Date('2026-11-22T12:00:00Z') }));
  });
  afterAll(async () => {
    expect(await ledgerProblems(db)).toEqual([]);
    await app?.close();
    await db?.close();
  });

  const call = async (method: 'GET' | 'POST', url: string, token?: string, body?: object) => {
    const res = await app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(body ? { payload: body } : {}),
    });
    return { status: res.statusCode, json: res.json() };
  };
  const redeem = (token: string, body: object) => call('POST', '/api/v1/rewards/redemptions', token, body);

  it('summarises the whole ledger for the owner', async () => {
    const res = await call('GET', '/api/v1/rewards/summary?from=2026-11-20&to=2026-11-22', owner);
    expect(res.status).toBe(200);
    expect(res.json.totals).toMatchObject({
      issued: { ptf: '150', wei: (150n * PTF).toString() },
      redeemed: { ptf: '0' },
      outstanding: { ptf: '150' },
      holders: 2,
      rewardedUsers: 2,
      rewards: 3,
      redemptions: 0,
    });
    expect(res.json.byDay).toEqual([
      {
        day: '2026-11-20',
        domain: 'shop.example',
        issued: { ptf: '100', wei: (100n * PTF).toString() },
        redeemed: { ptf: '0', wei: '0' },
        rewards: 1,
        redemptions: 0,
      },
      {
        day: '2026-11-21',
        domain: 'music.example',
        issued: { ptf: '10', wei: (10n * PTF).toString() },
        redeemed: { ptf: '0', wei: '0' },
        rewards: 1,
        redemptions: 0,
      },
      {
        day: '2026-11-21',
        domain: 'ride.example',
        issued: { ptf: '40', wei: (40n * PTF).toString() },
        redeemed: { ptf: '0', wei: '0' },
        rewards: 1,
        redemptions: 0,
      },
    ]);
    expect(res.json.topUsers.map((u: { userId: string; tier: string }) => [u.userId, u.tier])).toEqual([
      [alice, 'silver'],
      [bob, 'bronze'],
    ]);
    expect(res.json.tiers).toEqual({ bronze: 1, silver: 1, gold: 0, platinum: 0 });
    expect(res.json.chain).toMatchObject({ awaiting_wallet: 3, pending: 0 });
  });

  it('limits a domain-scoped operator to its domains and their users', async () => {
    const summary = await call('GET', '/api/v1/rewards/summary?from=2026-11-20&to=2026-11-22', shopAnalyst);
    expect(summary.status).toBe(200);
    expect(summary.json.domains).toEqual(['shop.example']);
    expect(summary.json.totals).toMatchObject({ issued: { ptf: '100' }, rewards: 1, holders: 1 });
    expect(summary.json.topUsers.map((u: { userId: string }) => u.userId)).toEqual([alice]);
    const other = await call('GET', '/api/v1/rewards/summary?domains=ride.example', shopAnalyst);
    expect(other.status).toBe(404);
    expect(other.json.error.field).toBe('domains');

    const bobs = await call('GET', `/api/v1/rewards/users/${bob}`, shopAnalyst);
    expect(bobs.status).toBe(404);
    expect(bobs.json.error).toMatchObject({ code: 'not_found', field: 'userId' });
    expect((await call('GET', `/api/v1/rewards/users/${alice}`, rideAdmin)).status).toBe(404);

    const alices = await call('GET', `/api/v1/rewards/users/${alice}`, shopAnalyst);
    expect(alices.status).toBe(200);
    expect(alices.json.history.items.map((e: { domain: string }) => e.domain)).toEqual(['shop.example']);
    expect(alices.json.rewardedDomains.map((r: { domain: string }) => r.domain)).toEqual(['shop.example']);
  });

  it("shows a user's balance, tier and paginated history to the owner", async () => {
    const first = await call('GET', `/api/v1/rewards/users/${alice}?limit=1`, owner);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      userId: alice,
      tier: 'silver',
      earned: { ptf: '110' },
      balance: { ptf: '110' },
      rewards: 1 + 1,
      rewardedDomains: [{ domain: 'shop.example' }, { domain: 'music.example' }],
    });
    expect(first.json.history.items).toHaveLength(1);
    expect(first.json.history.items[0]).toMatchObject({
      domain: 'music.example',
      kind: 'reward',
      ruleId: 'track',
    });
    const second = await call(
      'GET',
      `/api/v1/rewards/users/${alice}?limit=1&cursor=${first.json.history.nextCursor}`,
      owner,
    );
    expect(second.json.history.items[0]).toMatchObject({ domain: 'shop.example', measure: '100.00' });
    expect(second.json.history.nextCursor).toBeNull();
    expect((await call('GET', '/api/v1/rewards/users/not-a-uuid', owner)).json.error.field).toBe(
      'params.userId',
    );
  });

  it('redeems with the domain key, idempotently, and refuses an overdraft', async () => {
    const body = { userId: alice, domain: 'shop.example', amount: '30.5', idempotencyKey: 'order-1001' };
    const first = await redeem(shopKey, body);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      replayed: false,
      balance: { ptf: '79.5' },
      redemption: {
        kind: 'redemption',
        domain: 'shop.example',
        amount: { ptf: '30.5' },
        total: { ptf: '30.5' },
      },
    });
    expect(first.json.redemption.createdBy).toMatch(/^key:/);
    const again = await redeem(shopKey, body);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ replayed: true, redemption: { id: first.json.redemption.id } });
    expect((await balanceOf(db, alice)).balance).toBe((795n * PTF) / 10n);

    const reused = await redeem(shopKey, { ...body, amount: 1 });
    expect(reused.status).toBe(409);
    expect(reused.json.error.field).toBe('idempotencyKey');

    const over = await redeem(shopKey, {
      ...body,
      amount: '79.500000000000000001',
      idempotencyKey: 'order-1002',
    });
    expect(over.status).toBe(409);
    expect(over.json.error).toMatchObject({ code: 'conflict', field: 'amount' });
    expect(over.json.error.message).toBe(
      'insufficient balance: the user has 79.5 PTF, 79.500000000000000001 PTF requested',
    );
    expect((await balanceOf(db, alice)).balance).toBe((795n * PTF) / 10n);
    const all = await redeem(shopKey, { ...body, amount: 79.5, idempotencyKey: 'order-1003' });
    expect(all.json.balance).toEqual({ ptf: '0', wei: '0' });
    // Redeeming does not lower the tier: it follows lifetime earnings.
    expect((await balanceOf(db, alice)).tier).toBe('silver');
  });

  it('validates amounts and keys with the field at fault', async () => {
    const body = { userId: bob, domain: 'ride.example', amount: '1', idempotencyKey: 'k-1' };
    for (const [patch, field] of [
      [{ amount: '1.0000000000000000001' }, 'body.amount'],
      [{ amount: 0 }, 'body.amount'],
      [{ amount: -3 }, 'body.amount'],
      [{ idempotencyKey: 'has space' }, 'body.idempotencyKey'],
      [{ userId: 'bob' }, 'body.userId'],
      [{ extra: 1 }, 'body'],
    ] as const) {
      const res = await redeem(owner, { ...body, ...patch });
      expect(res.status, JSON.stringify(patch)).toBe(400);
      expect(res.json.error.field).toBe(field);
    }
  });

  it('lets only secret keys, owners and admins redeem, inside their scope', async () => {
    const body = { userId: bob, domain: 'ride.example', amount: '5', idempotencyKey: 'ride-1' };
    expect((await redeem(shopPublicKey, body)).status).toBe(403);
    expect((await redeem(shopAnalyst, body)).status).toBe(403);
    const wrongDomain = await redeem(shopKey, body);
    expect(wrongDomain.status).toBe(404);
    expect(wrongDomain.json.error.field).toBe('domain');
    const notHisUser = await redeem(shopKey, { ...body, domain: 'shop.example' });
    expect(notHisUser.status).toBe(404);
    expect(notHisUser.json.error.field).toBe('userId');
    expect((await redeem(rideAdmin, body)).status).toBe(201);
    expect((await call('POST', '/api/v1/rewards/redemptions', undefined, body)).status).toBe(401);
  });

  it('serialises concurrent redemptions: never more than the balance', async () => {
    // Bob has 40 − 5 = 35 PTF: of eight concurrent 10 PTF redemptions, three go through.
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        redeem(owner, { userId: bob, domain: 'ride.example', amount: 10, idempotencyKey: `burst-${i}` }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    expect((await balanceOf(db, bob)).balance).toBe(5n * PTF);
    const summary = await call('GET', '/api/v1/rewards/summary?from=2026-11-20&to=2026-11-22', owner);
    expect(summary.json.totals).toMatchObject({
      issued: { ptf: '150' },
      redeemed: { ptf: '145' },
      outstanding: { ptf: '5' },
    });
  });
});
