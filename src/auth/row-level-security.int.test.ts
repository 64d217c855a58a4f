import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureEventPartitions } from '../db/partitions.ts';
import type { Db } from '../db/types.ts';
import { insertDomains } from '../test-support/fixtures.ts';
import { describeIntegration } from '../test-support/integration.ts';
import { createTestDb } from '../test-support/test-db.ts';
import { type Actor, systemActor } from './actor.ts';
import { addOperator } from './add-operator.ts';
import { authenticateBearer } from './authenticate.ts';
import { createApiKey } from './create-api-key.ts';

describeIntegration('row-level security keeps each domain to its own scope', () => {
  let db: Db;
  let ids: Record<string, string>;
  let shopKey: Actor;
  let datingAnalyst: Actor;
  const now = new Date('2026-11-26T10:00:00Z');

  beforeAll(async () => {
    db = await createTestDb();
    await ensureEventPartitions(db, now);
    ids = await insertDomains(db, ['shop.example', 'dating.example', 'saas.example']);
    for (const [host, id] of Object.entries(ids)) {
      for (const when of ['2026-11-20T10:00:00Z', '2030-01-01T00:00:00Z']) {
        await db.query(
          "INSERT INTO events (domain_id, occurred_at, name, props) VALUES ($1, $2, 'pageview', $3)",
          [id, when, JSON.stringify({ host })],
        );
      }
      await db.query(
        "INSERT INTO revenue (domain_id, kind, amount, amount_eur, occurred_at) VALUES ($1, 'one_time', 10, 10, $2)",
        [id, now],
      );
    }
    const ctx = { db, actor: systemActor('test'), now };
    const key = await createApiKey({ ctx, input: { domain: 'shop.example', kind: 'secret' } });
    shopKey = (await authenticateBearer(db, key.secret, now)) as Actor;
    const analyst = await addOperator({
      ctx,
      input: { email: 'ana@example.com', role: 'analyst', domains: ['dating.example'] },
    });
    datingAnalyst = (await authenticateBearer(db, analyst.token, now)) as Actor;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('resolves credentials to the right scope', () => {
    expect(shopKey.scope).toEqual({ kind: 'domains', domainIds: [ids['shop.example']] });
    expect(datingAnalyst.scope).toEqual({ kind: 'domains', domainIds: [ids['dating.example']] });
  });

  for (const [who, host] of [
    ['a secret key', 'shop.example'],
    ['a domain-limited analyst', 'dating.example'],
  ] as const) {
    it(`${who} sees only ${host} through queries that forget the domain filter`, async () => {
      const actor = who === 'a secret key' ? shopKey : datingAnalyst;
      const seen = await db.transaction(
        async (tx) => ({
          events: (await tx.query<{ domain_id: string }>('SELECT domain_id FROM events')).rows,
          revenue: (await tx.query<{ domain_id: string }>('SELECT domain_id FROM revenue')).rows,
          domains: (await tx.query<{ host: string }>('SELECT host FROM domains')).rows,
          keys: (await tx.query('SELECT id FROM api_keys')).rows,
          total: (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]?.n,
        }),
        { scope: actor.scope },
      );
      expect(seen.domains.map((d) => d.host)).toEqual([host]);
      expect(seen.events).toHaveLength(2); // one in a monthly partition, one in the default partition
      expect(new Set(seen.events.map((e) => e.domain_id))).toEqual(new Set([ids[host]]));
      expect(seen.revenue.map((r) => r.domain_id)).toEqual([ids[host]]);
      expect(seen.total).toBe(2);
      expect(seen.keys).toHaveLength(host === 'shop.example' ? 1 : 0);
    });
  }

  it('the unscoped owner connection sees every domain', async () => {
    const res = await db.transaction(
      (tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM events'),
      {
        scope: { kind: 'all' },
      },
    );
    expect(res.rows[0]?.n).toBe(6);
  });

  it("refuses to write another domain's rows", async () => {
    await expect(
      db.transaction(
        (tx) =>
          tx.query("INSERT INTO events (domain_id, occurred_at, name) VALUES ($1, now(), 'pageview')", [
            ids['saas.example'],
          ]),
        { scope: shopKey.scope },
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await db.transaction(
      (tx) => tx.query('UPDATE revenue SET amount_eur = 0 WHERE domain_id <> $1', [ids['shop.example']]),
      { scope: shopKey.scope },
    );
    expect(updated.rowCount).toBe(0);
  });

  it('denies reading a partition directly, which would bypass the policy', async () => {
    await expect(
      db.transaction((tx) => tx.query('SELECT * FROM events_default'), { scope: shopKey.scope }),
    ).rejects.toThrow(/permission denied/);
  });

  it('hides operators and access tables from domain-limited callers', async () => {
    const res = await db.transaction((tx) => tx.query('SELECT email FROM operators'), {
      scope: datingAnalyst.scope,
    });
    expect(res.rows).toEqual([]);
  });

  it('shows a cross-domain user, and their wallets, only to the domains the user is active on', async () => {
    const user = await db.query<{ id: string }>(
      "INSERT INTO users (email, loyalty_tier) VALUES ('rider@example.com', 'silver') RETURNING id",
    );
    const userId = user.rows[0]?.id;
    await db.query('INSERT INTO user_domains (user_id, domain_id) VALUES ($1, $2)', [
      userId,
      ids['shop.example'],
    ]);
    await db.query(
      "INSERT INTO user_wallets (address, user_id) VALUES ('0x00000000000000000000000000000000000000aa', $1)",
      [userId],
    );
    const read = (actor: Actor) =>
      db.transaction(
        async (tx) => ({
          users: (await tx.query<{ email: string }>('SELECT email FROM users')).rows.map((r) => r.email),
          wallets: (await tx.query('SELECT address FROM user_wallets')).rowCount,
        }),
        { scope: actor.scope },
      );
    expect(await read(shopKey)).toEqual({ users: ['rider@example.com'], wallets: 1 });
    expect(await read(datingAnalyst)).toEqual({ users: [], wallets: 0 });
  });

  it('leaves no role or scope behind after the transaction (PGlite shares one session)', async () => {
    await db.transaction((tx) => tx.query('SELECT 1'), { scope: shopKey.scope });
    const res = await db.query<{ u: string; s: string | null }>(
      "SELECT current_user AS u, nullif(current_setting('app.domain_ids', true), '') AS s",
    );
    expect(res.rows[0]?.u).not.toBe('portfolio_app');
    expect(res.rows[0]?.s).toBeNull();
  });
});
