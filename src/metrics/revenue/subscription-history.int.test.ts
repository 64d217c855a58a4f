import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadMigrations } from '../../db/migrate.ts';
import type { Db } from '../../db/types.ts';
import { stripeEvent } from '../../ingest/stripe/stripe-fixtures.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import {
  pricedSubscription,
  type RevenueMetricsTestApp,
  startRevenueMetricsTestApp,
} from './revenue-metrics-test-app.ts';

const HOST = 'fixie.run';
const seconds = (iso: string) => Date.parse(iso) / 1000;

describeIntegration('subscription history from Stripe events', () => {
  let t: RevenueMetricsTestApp;
  beforeAll(async () => {
    t = await startRevenueMetricsTestApp([HOST]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const history = async (externalId: string) =>
    (
      await t.db.query<{
        at: Date;
        mrr_before: string;
        mrr_after: string;
        status_before: string | null;
        status_after: string;
        customer_id: string | null;
      }>(
        `SELECT c.at, c.mrr_before, c.mrr_after, c.status_before, c.status_after, c.customer_id
           FROM subscription_changes c JOIN subscriptions s ON s.id = c.subscription_id
          WHERE s.external_id = $1 ORDER BY c.at, c.id`,
        [externalId],
      )
    ).rows.map((r) => [
      r.at.toISOString(),
      r.mrr_before,
      r.mrr_after,
      r.status_before,
      r.status_after,
      r.customer_id,
    ]);
  const event = (type: string, sub: ReturnType<typeof pricedSubscription>, at: string) =>
    stripeEvent(type, sub, { created: seconds(at) });

  it('records the first payment, then each change of counted MRR; a redelivery or a stale event records nothing', async () => {
    const base = { id: 'sub_h1', customer: 'cus_h1', start: '2026-03-01T10:00:00Z', channel: 'Email' };
    const created = event(
      'customer.subscription.created',
      pricedSubscription({ ...base, cents: 3000 }),
      base.start,
    );
    expect((await t.deliver(HOST, created)).outcome).toBe('applied');
    expect((await t.deliver(HOST, created)).outcome).toBe('duplicate');
    const upgrade = event(
      'customer.subscription.updated',
      pricedSubscription({ ...base, cents: 5000 }),
      '2026-03-05T00:00:00Z',
    );
    expect((await t.deliver(HOST, upgrade)).outcome).toBe('applied');
    const late = event(
      'customer.subscription.updated',
      pricedSubscription({ ...base, cents: 9900 }),
      '2026-03-03T00:00:00Z',
    );
    expect((await t.deliver(HOST, late)).outcome).toBe('stale');
    // past_due still counts: no change of counted MRR.
    const pastDue = event(
      'customer.subscription.updated',
      pricedSubscription({ ...base, cents: 5000, status: 'past_due' }),
      '2026-03-06T00:00:00Z',
    );
    expect((await t.deliver(HOST, pastDue)).outcome).toBe('applied');
    const deleted = event(
      'customer.subscription.deleted',
      pricedSubscription({ ...base, cents: 5000, status: 'canceled', endedAt: '2026-03-20T00:00:00Z' }),
      '2026-03-20T00:00:05Z',
    );
    expect((await t.deliver(HOST, deleted)).outcome).toBe('applied');
    expect(await history('sub_h1')).toEqual([
      ['2026-03-01T10:00:00.000Z', '0.00', '30.00', null, 'active', 'cus_h1'],
      ['2026-03-05T00:00:00.000Z', '30.00', '50.00', 'active', 'active', 'cus_h1'],
      ['2026-03-20T00:00:05.000Z', '50.00', '0.00', 'past_due', 'canceled', 'cus_h1'],
    ]);
    const stored = await t.db.query('SELECT customer_id, channel FROM subscriptions WHERE external_id = $1', [
      'sub_h1',
    ]);
    expect(stored.rows).toEqual([{ customer_id: 'cus_h1', channel: 'Email' }]);
  });

  it('counts a yearly plan as its price ÷ 12', async () => {
    // €240 a year = €20 a month.
    const sub = pricedSubscription({
      id: 'sub_year',
      customer: 'cus_y',
      cents: 24_000,
      interval: 'year',
      start: '2026-03-02T00:00:00Z',
    });
    await t.deliver(HOST, event('customer.subscription.created', sub, '2026-03-02T00:00:00Z'));
    expect(await history('sub_year')).toEqual([
      ['2026-03-02T00:00:00.000Z', '0.00', '20.00', null, 'active', 'cus_y'],
    ]);
  });

  it('starts counting when a trial converts, not when it starts', async () => {
    const base = {
      id: 'sub_trial',
      customer: 'cus_t',
      cents: 1500,
      start: '2026-03-01T00:00:00Z',
      trialEnd: '2026-03-15T00:00:00Z',
    };
    await t.deliver(
      HOST,
      event('customer.subscription.created', pricedSubscription({ ...base, status: 'trialing' }), base.start),
    );
    expect(await history('sub_trial')).toEqual([]);
    await t.deliver(HOST, event('customer.subscription.updated', pricedSubscription(base), base.trialEnd));
    expect(await history('sub_trial')).toEqual([
      ['2026-03-15T00:00:00.000Z', '0.00', '15.00', 'trialing', 'active', 'cus_t'],
    ]);
  });

  it('keeps the paid stretch when `deleted` arrives before `created`', async () => {
    const base = { id: 'sub_ooo', customer: 'cus_o', cents: 4000, start: '2026-03-02T00:00:00Z' };
    const created = event('customer.subscription.created', pricedSubscription(base), base.start);
    const deleted = event(
      'customer.subscription.deleted',
      pricedSubscription({ ...base, status: 'canceled', endedAt: '2026-03-09T00:00:00Z' }),
      '2026-03-09T00:00:00Z',
    );
    expect((await t.deliver(HOST, deleted)).outcome).toBe('applied');
    expect((await t.deliver(HOST, created)).outcome).toBe('stale');
    expect(await history('sub_ooo')).toEqual([
      ['2026-03-02T00:00:00.000Z', '0.00', '40.00', null, 'active', 'cus_o'],
      ['2026-03-09T00:00:00.000Z', '40.00', '0.00', 'active', 'canceled', 'cus_o'],
    ]);
  });

  it('keeps the chain consistent when deliveries about one subscription arrive at once', async () => {
    const base = { id: 'sub_race', customer: 'cus_r', start: '2026-04-01T00:00:00Z' };
    const events = Array.from({ length: 8 }, (_, i) =>
      event(
        'customer.subscription.updated',
        pricedSubscription({ ...base, cents: ((i % 3) + 1) * 1000, status: i === 5 ? 'paused' : 'active' }),
        new Date(Date.parse(base.start) + i * 60_000).toISOString(),
      ),
    );
    await Promise.all(events.map((e) => t.deliver(HOST, e)));
    const rows = await history('sub_race');
    expect(rows.length).toBeGreaterThan(0);
    // Each row starts where the previous ended, times never go back, and the last is the current state.
    expect(rows[0]?.[1]).toBe('0.00');
    for (let i = 1; i < rows.length; i += 1) {
      expect(rows[i]?.[1]).toBe(rows[i - 1]?.[2]);
      expect(String(rows[i]?.[0]) >= String(rows[i - 1]?.[0])).toBe(true);
    }
    const current = await t.db.query<{ counted: string }>(
      `SELECT CASE WHEN status IN ('active', 'past_due') THEN mrr_eur ELSE 0 END::numeric(14, 2)::text AS counted
         FROM subscriptions WHERE external_id = 'sub_race'`,
    );
    expect(rows[rows.length - 1]?.[2]).toBe(current.rows[0]?.counted);
  });
});

describeIntegration('subscription history backfill (migration 0006)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb({ migrated: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives each subscription counted today one change at its start, and the others none', async () => {
    const migrations = await loadMigrations();
    for (const m of migrations.filter((x) => x.version < 6)) await db.exec(m.sql);
    const { 'backfill.example': domainId } = await insertDomains(db, ['backfill.example']);
    await db.query(
      `INSERT INTO subscriptions (domain_id, external_id, plan, status, mrr_eur, started_at)
       VALUES ($1, 'active', 'p', 'active', 10, '2025-01-01Z'), ($1, 'late', 'p', 'past_due', 20, '2025-02-01Z'),
              ($1, 'gone', 'p', 'canceled', 30, '2025-03-01Z'), ($1, 'trial', 'p', 'trialing', 40, '2025-04-01Z'),
              ($1, 'free', 'p', 'active', 0, '2025-05-01Z')`,
      [domainId],
    );
    const m6 = migrations.find((x) => x.version === 6);
    await db.exec(m6?.sql ?? '');
    const rows = await db.query<{
      external_id: string;
      at: Date;
      mrr_before: string;
      mrr_after: string;
      status_after: string;
    }>(
      `SELECT s.external_id, c.at, c.mrr_before, c.mrr_after, c.status_after
         FROM subscription_changes c JOIN subscriptions s ON s.id = c.subscription_id ORDER BY c.at`,
    );
    expect(
      rows.rows.map((r) => [r.external_id, r.at.toISOString(), r.mrr_before, r.mrr_after, r.status_after]),
    ).toEqual([
      ['active', '2025-01-01T00:00:00.000Z', '0.00', '10.00', 'active'],
      ['late', '2025-02-01T00:00:00.000Z', '0.00', '20.00', 'past_due'],
    ]);
  });
});
