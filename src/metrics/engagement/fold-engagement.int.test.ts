import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEventPartitions } from '../../db/partitions.ts';
import { ALL_DOMAINS, type Db } from '../../db/types.ts';
import { emptyEvent } from '../../ingest/event-row.ts';
import { insertEvents } from '../../ingest/insert-events.sql.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { MetricQuery } from '../metric-query.ts';
import { refreshRollups } from '../rollups/refresh-rollups.ts';
import { userId } from './activity-fixture.ts';
import { ENGAGEMENT_BACKFILL_STEPS } from './fold-engagement.sql.ts';
import { getEngagementSummary } from './get-engagement-summary.ts';

// The engagement rollups kept by the fold (its ENGAGEMENT_FOLD_STEPS), over two runs: the second brings a late event before a
// user's first day, a user joining a second domain on a day, and an event that grows a session
// started the day before. Every row is worked out by hand; then the tables are rebuilt from
// activity_daily by the backfill and must come out the same.

const tables = {
  daily: `SELECT d.host, day, users, visitors, sessions::int, duration_s::int AS duration
            FROM engagement_daily JOIN domains d ON d.id = domain_id ORDER BY 1, 2`,
  shared: `SELECT d.host, day, user_id FROM shared_user_days JOIN domains d ON d.id = domain_id ORDER BY 1, 2, 3`,
  users: `SELECT d.host, user_id, first_day, last_day, days::text AS days, weeks::int, months::int, shared
            FROM user_activity JOIN domains d ON d.id = domain_id ORDER BY 1, 2`,
};

describeIntegration('engagement rollups kept by the fold', () => {
  let db: Db;
  const now = new Date('2026-11-26T12:00:00Z');
  const U1 = userId('U1');
  const U2 = userId('U2');

  const snapshot = async () => ({
    daily: (await db.query(tables.daily)).rows,
    shared: (await db.query(tables.shared)).rows,
    users: (await db.query(tables.users)).rows,
  });

  beforeAll(async () => {
    db = await createTestDb();
    await ensureEventPartitions(db, now);
    const ids = await insertDomains(db, ['a.example', 'b.example']);
    const a = ids['a.example'] as string;
    const b = ids['b.example'] as string;
    const view = (domain: string, at: string, who: { user?: string; visitor?: string }) => ({
      ...emptyEvent(domain, 'pageview', new Date(at)),
      userId: who.user ?? null,
      visitorId: who.visitor ?? null,
      pathname: '/',
    });
    await db.transaction((tx) =>
      insertEvents(tx, [
        view(a, '2026-11-20T10:00:00Z', { user: U1 }),
        view(a, '2026-11-20T10:10:00Z', { user: U1 }), // one session of 600 s
        view(b, '2026-11-20T12:00:00Z', { user: U1 }), // U1 on a and b on the 20th
        view(a, '2026-11-23T09:00:00Z', { user: U1 }),
        view(a, '2026-11-20T10:00:00Z', { visitor: 'vx' }),
        view(a, '2026-11-20T11:00:00Z', { visitor: 'vx' }), // two sessions of 0 s
        view(a, '2026-11-21T23:50:00Z', { user: U2 }),
        view(a, '2026-11-22T00:10:00Z', { user: U2 }), // one session from the 21st, 1,200 s
      ]),
    );
    await refreshRollups(db, { now });
    await db.transaction((tx) =>
      insertEvents(tx, [
        view(a, '2026-10-30T08:00:00Z', { user: U1 }), // late, before U1's first day
        view(b, '2026-11-22T00:20:00Z', { user: U2 }), // U2 on a and b on the 22nd
        view(a, '2026-11-22T00:25:00Z', { user: U2 }), // grows the session of the 21st to 2,100 s
      ]),
    );
    await refreshRollups(db, { now });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keeps the day sums, by the day a session starts', async () => {
    expect((await snapshot()).daily).toEqual([
      { host: 'a.example', day: '2026-10-30', users: 1, visitors: 0, sessions: 1, duration: 0 },
      // U1 (one session, 600 s) and vx (two sessions of 0 s).
      { host: 'a.example', day: '2026-11-20', users: 1, visitors: 1, sessions: 3, duration: 600 },
      // U2's session started 23:50 and, with the late 00:25, ends 35 minutes later.
      { host: 'a.example', day: '2026-11-21', users: 1, visitors: 0, sessions: 1, duration: 2100 },
      { host: 'a.example', day: '2026-11-22', users: 1, visitors: 0, sessions: 0, duration: 0 },
      { host: 'a.example', day: '2026-11-23', users: 1, visitors: 0, sessions: 1, duration: 0 },
      { host: 'b.example', day: '2026-11-20', users: 1, visitors: 0, sessions: 1, duration: 0 },
      { host: 'b.example', day: '2026-11-22', users: 1, visitors: 0, sessions: 1, duration: 0 },
    ]);
  });

  it('lists the users active on two domains in a day, on each', async () => {
    expect((await snapshot()).shared).toEqual([
      { host: 'a.example', day: '2026-11-20', user_id: U1 },
      { host: 'a.example', day: '2026-11-22', user_id: U2 },
      { host: 'b.example', day: '2026-11-20', user_id: U1 },
      { host: 'b.example', day: '2026-11-22', user_id: U2 },
    ]);
  });

  // All four rows are `shared`: U1 had a and b from the first run, U2 got b in the second.
  it('moves a first day back for a late event, keeping the later days and periods', async () => {
    expect((await snapshot()).users).toEqual([
      // 10-30 is bit 0; 11-20 is 21 days later, 11-23 is 24 (Oct 30 + 2 = Nov 1). Weeks from Monday
      // 10-26: 11-20 is in the 4th after it (bit 3), Monday 11-23 starts the 5th (bit 4):
      // 1 + 8 + 16 = 25. Months: October (bit 0), November (bit 1) = 3.
      {
        host: 'a.example',
        user_id: U1,
        first_day: '2026-10-30',
        last_day: '2026-11-23',
        days: `1${'0'.repeat(20)}1001`,
        weeks: 25,
        months: 3,
        shared: true,
      },
      // Saturday 11-21 and Sunday 11-22: one ISO week.
      {
        host: 'a.example',
        user_id: U2,
        first_day: '2026-11-21',
        last_day: '2026-11-22',
        days: '11',
        weeks: 1,
        months: 1,
        shared: true,
      },
      {
        host: 'b.example',
        user_id: U1,
        first_day: '2026-11-20',
        last_day: '2026-11-20',
        days: '1',
        weeks: 1,
        months: 1,
        shared: true,
      },
      {
        host: 'b.example',
        user_id: U2,
        first_day: '2026-11-22',
        last_day: '2026-11-22',
        days: '1',
        weeks: 1,
        months: 1,
        shared: true,
      },
    ]);
  });

  it('counts a user on two domains once a day', async () => {
    const s = await getEngagementSummary({
      ctx: { db, scope: ALL_DOMAINS, now },
      input: MetricQuery.parse({ from: '2026-11-20', to: '2026-11-23', compare: 'none' }),
    });
    // 11-20: U1 (a, b) + vx = 2; 11-21: U2 = 1; 11-22: U2 (a, b) = 1; 11-23: U1 = 1.
    expect(s.series.map((d) => [d.day, d.dau, d.dauUsers])).toEqual([
      ['2026-11-20', 2, 1],
      ['2026-11-21', 1, 1],
      ['2026-11-22', 1, 1],
      ['2026-11-23', 1, 1],
    ]);
    // Both users on both domains in the range.
    expect(s.totals.domainsPerUser).toEqual([{ domains: 2, users: 2 }]);
  });

  describe('rebuilt from activity_daily by the backfill', () => {
    it('gives the same rows as the fold kept', async () => {
      const kept = await snapshot();
      await db.transaction(async (tx) => {
        await tx.query('DELETE FROM engagement_daily');
        await tx.query('DELETE FROM shared_user_days');
        await tx.query('DELETE FROM user_activity');
        for (const sql of ENGAGEMENT_BACKFILL_STEPS) await tx.query(sql);
      });
      expect(await snapshot()).toEqual(kept);
    });
  });
});
