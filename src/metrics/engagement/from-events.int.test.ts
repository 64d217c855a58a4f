import { afterAll, beforeAll, expect, it } from 'vitest';
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
import { getDomainOverlap } from './get-domain-overlap.ts';
import { getEngagementSummary } from './get-engagement-summary.ts';

// From raw events through the rollup job to the engagement figures: the activity_daily contract
// (persons, user ids, sessions by start day) as the engagement formulas read it.

describeIntegration('engagement figures from events folded by the rollup job', () => {
  let db: Db;
  const now = new Date('2026-11-26T12:00:00Z');
  const ctx = () => ({ db, scope: ALL_DOMAINS, now });
  const query = MetricQuery.parse({ from: '2026-11-20', to: '2026-11-22', domains: 'a.example,b.example' });

  beforeAll(async () => {
    db = await createTestDb();
    await ensureEventPartitions(db, now);
    const ids = await insertDomains(db, ['a.example', 'b.example']);
    const a = ids['a.example'] as string;
    const b = ids['b.example'] as string;
    const view = (domain: string, at: string, who: { user?: string; visitor?: string }) => ({
      ...emptyEvent(domain, 'pageview', new Date(at)),
      userId: who.user ? userId(who.user) : null,
      visitorId: who.visitor ?? null,
      pathname: '/',
    });
    await db.transaction((tx) =>
      insertEvents(tx, [
        // U1 on a: one session 10:00–10:10 (600 s); on b at noon: one session of 0 s.
        view(a, '2026-11-20T10:00:00Z', { user: 'U1', visitor: 'p' }),
        view(a, '2026-11-20T10:10:00Z', { user: 'U1', visitor: 'p' }),
        view(b, '2026-11-20T12:00:00Z', { user: 'U1', visitor: 'q' }),
        // Visitor vx on a: 60 minutes apart → two sessions of 0 s.
        view(a, '2026-11-20T10:00:00Z', { visitor: 'vx' }),
        view(a, '2026-11-20T11:00:00Z', { visitor: 'vx' }),
        // U2 on a across midnight: one session of 1,200 s, started on the 21st, active on both days.
        view(a, '2026-11-21T23:50:00Z', { user: 'U2' }),
        view(a, '2026-11-22T00:10:00Z', { user: 'U2' }),
        // Neither visitor nor user: a page view, but nobody.
        view(b, '2026-11-21T09:00:00Z', {}),
      ]),
    );
    await refreshRollups(db, { now });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('counts persons per day, sessions by their first day, and users across domains', async () => {
    const s = await getEngagementSummary({ ctx: ctx(), input: query });
    // 11-20: U1 (a and b, once) + vx = 2; 11-21: U2 = 1; 11-22: U2 = 1.
    expect(s.series.map((d) => [d.day, d.dau, d.dauUsers, d.sessions])).toEqual([
      ['2026-11-20', 2, 1, 4],
      ['2026-11-21', 1, 1, 1],
      ['2026-11-22', 1, 1, 0],
    ]);
    const t = s.totals;
    expect(t.dau).toBeCloseTo(4 / 3, 12); // (2 + 1 + 1) / 3
    // Sessions: U1 a (600), U1 b (0), vx twice (0, 0), U2 (1,200) → 1,800 / 5 = 360 s.
    expect([t.sessions, t.avgSessionDurationS]).toEqual([5, 360]);
    // MAU: U1, U2 and (a, vx) = 3; users U1 and U2, U1 on both domains → 1 / 2.
    expect([t.mau, t.mauUsers, t.activeUsers, t.crossDomainRate]).toEqual([3, 2, 2, 0.5]);
  });

  it('puts the users in the overlap matrix', async () => {
    const o = await getDomainOverlap({ ctx: ctx(), input: query });
    // a: U1, U2; b: U1; both: U1.
    expect([o.users, o.matrix]).toEqual([
      [2, 1],
      [
        [2, 1],
        [1, 1],
      ],
    ]);
  });
});
