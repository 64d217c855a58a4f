import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db, Scope } from '../../db/types.ts';
import { emptyEvent } from '../../ingest/event-row.ts';
import { insertEvents } from '../../ingest/insert-events.sql.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { MetricQuery } from '../metric-query.ts';
import { refreshRollups } from '../rollups/refresh-rollups.ts';
import { getOverview } from './get-overview.ts';

// Fixture, range 2026-11-01..2026-11-07 (UTC), compared with 2026-10-25..2026-10-31:
//   shop: v:a (pageview Nov 2, Signup Nov 2), v:b (pageview Nov 3), v:c (pageview Oct 28)
//         orders €30 (Nov 2) and €20 (Oct 28); subscription €15/month from Oct 1 → MRR 15 at both ends
//   blog: v:d (pageviews Nov 4 and Nov 5, 2 sessions), v:e (pageview Nov 5)
//         subscription €10/month from Nov 3 → MRR 10 now, 0 at the end of the comparison period
// Current: shop visitors 2, page views 2, sessions 2 (a: 1 pageview + Signup = not a bounce? a Signup
// is an interactive custom event, so a's session is not a bounce; b bounces) → bounce 1/2 = 0.5;
// converters 1 → conversion 1/2 = 0.5; revenue 30; MRR 15.
// blog visitors 2, page views 3, sessions 3, all bounces → 1.0; conversion 0; revenue 0; MRR 10.
// Totals: visitors 4, page views 5, bounce 4/5 = 0.8, conversion 1/4 = 0.25, revenue 30, MRR 25.
// Previous: shop visitors 1 (v:c), page views 1, revenue 20, MRR 15; blog 0, MRR 0; totals MRR 15.
const SHOP = 'shop.example';
const BLOG = 'blog.example';
const NOW = new Date('2026-11-08T12:00:00Z');

describeIntegration('portfolio overview', () => {
  let db: Db;
  let ids: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDb();
    ids = await insertDomains(db, [SHOP, BLOG]);
    const shop = ids[SHOP] as string;
    const blog = ids[BLOG] as string;
    const ev = (domain: string, visitor: string, at: string, name = 'pageview') => ({
      ...emptyEvent(domain, name, new Date(at)),
      visitorId: visitor,
      pathname: name === 'pageview' ? '/' : null,
      url: name === 'pageview' ? 'https://x.example/' : null,
    });
    await db.transaction((tx) =>
      insertEvents(tx, [
        ev(shop, 'a', '2026-11-02T10:00:00Z'),
        ev(shop, 'a', '2026-11-02T10:01:00Z', 'Signup'),
        ev(shop, 'b', '2026-11-03T10:00:00Z'),
        ev(shop, 'c', '2026-10-28T10:00:00Z'),
        ev(blog, 'd', '2026-11-04T10:00:00Z'),
        ev(blog, 'd', '2026-11-05T10:00:00Z'),
        ev(blog, 'e', '2026-11-05T11:00:00Z'),
      ]),
    );
    await db.query(
      `INSERT INTO revenue (domain_id, kind, amount, currency, amount_eur, occurred_at, external_id)
       VALUES ($1, 'order', 30, 'EUR', 30, '2026-11-02T12:00:00Z', 'o1'),
              ($1, 'order', 20, 'EUR', 20, '2026-10-28T12:00:00Z', 'o2')`,
      [shop],
    );
    for (const [domain, external, mrr, start] of [
      [shop, 'sub_shop', '15.00', '2026-10-01T00:00:00Z'],
      [blog, 'sub_blog', '10.00', '2026-11-03T00:00:00Z'],
    ] as const) {
      const sub = await db.query<{ id: string }>(
        `INSERT INTO subscriptions (domain_id, external_id, customer_id, plan, status, mrr_eur, started_at)
         VALUES ($1, $2, $2, 'monthly', 'active', $3, $4) RETURNING id`,
        [domain, external, mrr, start],
      );
      await db.query(
        `INSERT INTO subscription_changes (domain_id, subscription_id, customer_id, at, mrr_before, mrr_after, status_after)
         VALUES ($1, $2, $3, $4, 0, $5, 'active')`,
        [domain, sub.rows[0]?.id, external, start, mrr],
      );
    }
    await refreshRollups(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  const overview = (scope: Scope, query: Record<string, string> = {}) =>
    getOverview({
      ctx: { db, scope, now: NOW },
      input: MetricQuery.parse({ from: '2026-11-01', to: '2026-11-07', ...query }),
    });

  it('puts every domain side by side with totals and the comparison period', async () => {
    const out = await overview({ kind: 'all' });
    const byHost = Object.fromEntries(out.domains.map((d) => [d.domain.host, d.figures]));
    expect(byHost[SHOP]).toMatchObject({
      visitors: { value: 2, previous: 1, change: 1 },
      pageviews: { value: 2, previous: 1 },
      bounceRate: { value: 0.5, previous: 1 },
      revenueEur: { value: 30, previous: 20, change: 0.5 },
      mrrEur: { value: 15, previous: 15, change: 0 },
      conversionRate: { value: 0.5, previous: 0 },
    });
    expect(byHost[BLOG]).toMatchObject({
      visitors: { value: 2, previous: 0, change: null },
      pageviews: { value: 3 },
      bounceRate: { value: 1 },
      revenueEur: { value: 0 },
      mrrEur: { value: 10, previous: 0 },
      conversionRate: { value: 0 },
    });
    expect(out.totals).toMatchObject({
      visitors: { value: 4, previous: 1 },
      pageviews: { value: 5, previous: 1 },
      bounceRate: { value: 0.8 },
      revenueEur: { value: 30, previous: 20 },
      mrrEur: { value: 25, previous: 15 },
      conversionRate: { value: 0.25, previous: 0 },
    });
  });

  it('limits itself to the asked domains and to what the caller may see', async () => {
    const one = await overview({ kind: 'all' }, { domains: BLOG, compare: 'none' });
    expect(one.domains.map((d) => d.domain.host)).toEqual([BLOG]);
    expect(one.totals.visitors).toEqual({ value: 2, previous: null, change: null });
    const scoped = await overview({ kind: 'domains', domainIds: [ids[SHOP] as string] });
    expect(scoped.domains.map((d) => d.domain.host)).toEqual([SHOP]);
    expect(scoped.totals.mrrEur.value).toBe(15);
    // The money sums run as the owner (app_overview_money): they still see only the caller's domains.
    const asShop = await db.transaction(
      (tx) =>
        tx.query<{ domain_id: string }>(
          `SELECT domain_id::text FROM app_overview_money($1::uuid[], '2026-01-01', '2027-01-01', '2025-01-01', '2026-01-01')`,
          [[ids[SHOP], ids[BLOG]]],
        ),
      { scope: { kind: 'domains', domainIds: [ids[SHOP] as string] } },
    );
    expect(asShop.rows.map((r) => r.domain_id)).toEqual([ids[SHOP]]);
    await expect(
      overview({ kind: 'domains', domainIds: [ids[SHOP] as string] }, { domains: BLOG }),
    ).rejects.toMatchObject({
      code: 'not_found',
      field: 'domains',
    });
  });
});
