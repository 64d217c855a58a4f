import type { Queryable } from '../db/types.ts';

// Test support: subscriptions with a hand-worked MRR history and a few costs, on top of the
// engagement fixture (src/metrics/engagement/engagement-fixture.ts, "now" 2026-11-26).
//
// MRR at the end of each UTC day (customers c1…c4, EUR a month):
//   11-01 s1 c1 +100 (a)  11-08 s2 c2 +50 (b)  11-15 s3 c3 +50 (a)  11-20 s2 → 0 (churn)
//   11-22 s4 c4 +100 (c)
//   11-01..07: 100, 11-08..14: 150, 11-15..19: 200, 11-20..21: 150, 11-22..25: 250
// Costs: marketing 60 on 11-15 (a), infrastructure 40 on 11-16 (portfolio-wide).
export const MRR_BY_DAY: readonly number[] = [
  ...Array(7).fill(100),
  ...Array(7).fill(150),
  ...Array(5).fill(200),
  ...Array(2).fill(150),
  ...Array(4).fill(250),
];
export const FIRST_MONEY_DAY = '2026-11-01';

interface Change {
  sub: string;
  domain: string;
  customer: string;
  at: string;
  before: number;
  after: number;
}

const CHANGES: Change[] = [
  { sub: 's1', domain: 'a.example', customer: 'c1', at: '2026-11-01T10:00:00Z', before: 0, after: 100 },
  { sub: 's2', domain: 'b.example', customer: 'c2', at: '2026-11-08T10:00:00Z', before: 0, after: 50 },
  { sub: 's3', domain: 'a.example', customer: 'c3', at: '2026-11-15T10:00:00Z', before: 0, after: 50 },
  { sub: 's2', domain: 'b.example', customer: 'c2', at: '2026-11-20T10:00:00Z', before: 50, after: 0 },
  { sub: 's4', domain: 'c.example', customer: 'c4', at: '2026-11-22T10:00:00Z', before: 0, after: 100 },
];

/** Writes the subscriptions, their MRR changes and the costs above as the table owner. */
export async function insertKpiMoney(db: Queryable, domainIds: Record<string, string>): Promise<void> {
  const subs = new Map<string, string>();
  for (const c of CHANGES) {
    let id = subs.get(c.sub);
    if (!id) {
      const last = CHANGES.filter((x) => x.sub === c.sub).at(-1) as Change;
      const res = await db.query<{ id: string }>(
        `INSERT INTO subscriptions (domain_id, external_id, plan, status, mrr_eur, started_at, customer_id)
         VALUES ($1, $2, 'plan', $3, $4, $5, $6) RETURNING id`,
        [domainIds[c.domain], c.sub, last.after > 0 ? 'active' : 'canceled', last.after, c.at, c.customer],
      );
      id = (res.rows[0] as { id: string }).id;
      subs.set(c.sub, id);
    }
    await db.query(
      `INSERT INTO subscription_changes (domain_id, subscription_id, customer_id, at, mrr_before, mrr_after,
                                         status_before, status_after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        domainIds[c.domain],
        id,
        c.customer,
        c.at,
        c.before,
        c.after,
        c.before > 0 ? 'active' : null,
        c.after > 0 ? 'active' : 'canceled',
      ],
    );
  }
  await db.query(
    `INSERT INTO costs (domain_id, category, amount, currency, eur_per_unit, amount_eur, incurred_on, source, external_id)
     VALUES ($1, 'marketing', 60, 'EUR', 1, 60, '2026-11-15', 'test', 'k1'),
            (NULL, 'infrastructure', 40, 'EUR', 1, 40, '2026-11-16', 'test', 'k2')`,
    [domainIds['a.example']],
  );
}
