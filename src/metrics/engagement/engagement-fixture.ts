import type { Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { type ActivityRow, insertActivity, insertRevenue, type RevenueRow } from './activity-fixture.ts';
import { ENGAGEMENT_BACKFILL_STEPS } from './fold-engagement.sql.ts';

// The hand-built portfolio of the engagement tests. The range under test is 2026-11-20..22 (UTC),
// "now" is 2026-11-26; a..e are selected, f is a sixth domain left out by the filter (or the scope).
// Users are U1…U14 (stable uuids), anonymous visitors 'v:x', 'v:y', 'v:z' (per domain).

export const NOW = new Date('2026-11-26T12:00:00Z');
export const HOSTS = ['a.example', 'b.example', 'c.example', 'd.example', 'e.example', 'f.example'] as const;
export const SELECTED = 'a.example,b.example,c.example,d.example,e.example';

const A = 'a.example';
const B = 'b.example';
const C = 'c.example';
const F = 'f.example';

export const ACTIVITY: ActivityRow[] = [
  // In the range. 11-20: U1 (a, b), U2, U9, v:x on a and on b (two visitors: ids are per domain).
  { domain: A, day: '2026-11-20', who: 'U1', sessions: 2, durationS: 300 },
  { domain: B, day: '2026-11-20', who: 'U1', sessions: 1, durationS: 60 },
  { domain: A, day: '2026-11-20', who: 'U2', sessions: 1, durationS: 120 },
  { domain: A, day: '2026-11-20', who: 'v:x', sessions: 1, durationS: 30 },
  { domain: B, day: '2026-11-20', who: 'v:x', sessions: 1, durationS: 0 },
  { domain: A, day: '2026-11-20', who: 'U9', sessions: 1, durationS: 40 },
  // 11-21: U1 (c), U3 (no session started), v:y, U4 on all five selected domains; U2 on f only.
  { domain: C, day: '2026-11-21', who: 'U1', sessions: 1, durationS: 90 },
  { domain: A, day: '2026-11-21', who: 'U3' },
  { domain: A, day: '2026-11-21', who: 'v:y', sessions: 1, durationS: 10 },
  ...HOSTS.slice(0, 5).map((domain) => ({
    domain,
    day: '2026-11-21',
    who: 'U4',
    sessions: 1,
    durationS: 20,
  })),
  { domain: F, day: '2026-11-21', who: 'U2', sessions: 1, durationS: 500 },
  // 11-22: nobody. Before the range, inside MAU's window (10-24..11-22):
  { domain: A, day: '2026-11-01', who: 'U5', sessions: 1, durationS: 200 },
  { domain: B, day: '2026-11-01', who: 'v:z', sessions: 1, durationS: 100 },
  { domain: B, day: '2026-10-24', who: 'U2', sessions: 1, durationS: 50 },
  { domain: A, day: '2026-10-23', who: 'U6', sessions: 1, durationS: 10 },
  // Retention: cohort first seen 09-22..09-24, retained if active again on day 30..59.
  { domain: A, day: '2026-09-22', who: 'U7' },
  { domain: B, day: '2026-10-22', who: 'U7' }, // day 30: retained
  { domain: C, day: '2026-09-23', who: 'U8' },
  { domain: C, day: '2026-10-22', who: 'U8' }, // day 29: not retained
  { domain: A, day: '2026-09-22', who: 'U9' }, // back on 11-20, day 59: retained
  { domain: A, day: '2026-09-21', who: 'U10' }, // first seen before the cohort days
  { domain: A, day: '2026-10-21', who: 'U10' },
  { domain: B, day: '2026-09-24', who: 'U12' },
  { domain: B, day: '2026-11-23', who: 'U12' }, // day 60: not retained
  { domain: F, day: '2026-09-23', who: 'U13' }, // only on f
  { domain: F, day: '2026-10-25', who: 'U13' },
  { domain: F, day: '2026-09-01', who: 'U14' }, // first seen on f long before…
  { domain: A, day: '2026-09-23', who: 'U14' }, // …but on the selected domains first on 09-23
  { domain: A, day: '2026-10-23', who: 'U14' }, // day 30: retained
];

export const REVENUE: RevenueRow[] = [
  { domain: A, at: '2026-11-20T10:00:00Z', eur: '100.00' },
  { domain: B, at: '2026-11-21T10:00:00Z', eur: '-20.00', kind: 'refund' },
  { domain: A, at: '2026-11-21T11:00:00Z', eur: '30.00', kind: 'affiliate', status: 'approved' },
  { domain: 'd.example', at: '2026-11-21T12:00:00Z', eur: '5.00', kind: 'affiliate', status: 'paid' },
  { domain: C, at: '2026-11-22T23:30:00Z', eur: '10.00' }, // 00:30 on the 23rd in Brussels
  { domain: A, at: '2026-11-19T23:30:00Z', eur: '3.00' }, // 00:30 on the 20th in Brussels
  { domain: A, at: '2026-11-21T12:00:00Z', eur: '50.00', kind: 'affiliate', status: 'pending' },
  { domain: A, at: '2026-11-21T12:00:00Z', eur: '5.00', status: 'failed' },
  { domain: A, at: '2026-11-21T12:00:00Z', eur: '7.00', status: 'reversed' },
  { domain: A, at: '2026-11-23T00:00:00Z', eur: '999.00' }, // after the range
  { domain: F, at: '2026-11-20T10:00:00Z', eur: '1000.00' },
];

/**
 * A fresh database holding the fixture, with the engagement rollups built from its activity rows
 * as migration 0009 builds them from existing data; returns host → domain id.
 */
export async function seedEngagementFixture(db: Db): Promise<Record<string, string>> {
  const ids = await insertDomains(db, [...HOSTS]);
  await insertActivity(db, ids, ACTIVITY);
  for (const sql of ENGAGEMENT_BACKFILL_STEPS) await db.query(sql);
  await insertRevenue(db, ids, REVENUE);
  return ids;
}
