import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DOMAINS, type Db } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { type MetricContext, MetricQuery } from '../metric-query.ts';
import { NOW, SELECTED, seedEngagementFixture } from './engagement-fixture.ts';
import { CohortQuery } from './engagement-schemas.ts';
import { getDomainOverlap } from './get-domain-overlap.ts';
import { getEngagementCohorts } from './get-engagement-cohorts.ts';
import { getEngagementSummary } from './get-engagement-summary.ts';
import { selectOverlapCounts } from './overlap.sql.ts';

// Every expected figure is worked out by hand from engagement-fixture.ts; the arithmetic is beside it.

describeIntegration('engagement metrics', () => {
  let db: Db;
  let ids: Record<string, string>;
  let owner: MetricContext;
  let onlyA: MetricContext;
  const query = (q: Record<string, string>) =>
    MetricQuery.parse({ from: '2026-11-20', to: '2026-11-22', ...q });

  beforeAll(async () => {
    db = await createTestDb();
    ids = await seedEngagementFixture(db);
    owner = { db, scope: ALL_DOMAINS, now: NOW };
    onlyA = { db, scope: { kind: 'domains', domainIds: [ids['a.example'] as string] }, now: NOW };
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('summary of a..e over 2026-11-20..22', () => {
    it('DAU, MAU, stickiness and session duration', async () => {
      const s = await getEngagementSummary({ ctx: owner, input: query({ domains: SELECTED }) });
      expect(s.windows).toEqual({
        activity: { from: '2026-11-20', to: '2026-11-22', days: 3 },
        mau: { from: '2026-10-24', to: '2026-11-22', days: 30 },
        retentionCohort: { from: '2026-09-22', to: '2026-09-24', days: 3 },
      });
      // 11-20: U1 U2 U9 + v:x on a + v:x on b = 5; 11-21: U1 U3 U4 + v:y = 4; 11-22: 0.
      expect(s.series).toEqual([
        { day: '2026-11-20', dau: 5, dauUsers: 3, sessions: 7 },
        { day: '2026-11-21', dau: 4, dauUsers: 3, sessions: 7 },
        { day: '2026-11-22', dau: 0, dauUsers: 0, sessions: 0 },
      ]);
      const t = s.totals;
      expect(t.dau).toBe(3); // (5 + 4 + 0) / 3
      expect(t.dauUsers).toBe(2); // (3 + 3 + 0) / 3
      // MAU (10-24..11-22): U1 U2 U3 U4 U5 U9 + (a,v:x) (b,v:x) (a,v:y) (b,v:z) = 6 + 4; U6 (10-23) is out.
      expect([t.mau, t.mauUsers]).toEqual([10, 6]);
      // Persons per day in MAU's window: 10-24: 1, 11-01: 2, 11-20: 5, 11-21: 4 → 12 / 30 = 0.4; ÷ 10.
      expect(t.stickiness).toBeCloseTo(0.04, 12);
      // Users: 1 + 1 + 3 + 3 = 8 → 8 / 30 ÷ 6 = 2 / 45.
      expect(t.stickinessUsers).toBeCloseTo(2 / 45, 12);
      // Sessions 7 + 7 = 14; duration (300 + 60 + 120 + 30 + 0 + 40) + (90 + 0 + 10 + 5 × 20) = 750.
      expect(t.sessions).toBe(14);
      expect(t.avgSessionDurationS).toBeCloseTo(750 / 14, 10);
      // Active: U1 U2 U3 U4 U9 = 5 users.
      expect(t.activeUsers).toBe(5);
    });

    it('30-day retention, revenue per user, cross-domain rate and segments', async () => {
      const t = (await getEngagementSummary({ ctx: owner, input: query({ domains: SELECTED }) })).totals;
      // Cohort first seen 09-22..24 on a..e: U7, U8, U9, U12, U14 (first on f, but on a..e on 09-23).
      // Retained (a day 30..59 later): U7 (day 30), U9 (day 59), U14 (day 30); U8 (day 29) and
      // U12 (day 60) are not; U10 was first seen on 09-21.
      expect([t.retention30dCohort, t.retention30dRetained, t.retention30d]).toEqual([5, 3, 0.6]);
      // Earned revenue 11-20..22 UTC: 100 − 20 (refund) + 30 (approved) + 5 (paid) + 10 (22nd 23:30Z) = 125;
      // pending, failed, reversed, the 19th, the 23rd and f are out. Per user 125 / 5.
      expect(t.revenueEur).toBe(125);
      expect(t.revenuePerUser).toBe(25);
      // Domains per user: U2, U3, U9 on 1 (U2's f is not selected), U1 on 3 (a b c), U4 on 5.
      expect(t.domainsPerUser).toEqual([
        { domains: 1, users: 3 },
        { domains: 3, users: 1 },
        { domains: 5, users: 1 },
      ]);
      // U1 and U4 on ≥ 2 domains: 2 / 5 users.
      expect([t.crossDomainUsers, t.crossDomainRate]).toEqual([2, 0.4]);
      expect(t.segments.map((x) => [x.segment, x.users, x.share])).toEqual([
        ['power_user', 1, 0.2],
        ['multi_domain', 1, 0.2],
        ['single_domain', 3, 0.6],
      ]);
    });

    it('compares with the three days before', async () => {
      const s = await getEngagementSummary({ ctx: owner, input: query({ domains: SELECTED }) });
      expect(s.previous).toEqual({ from: '2026-11-17', to: '2026-11-19', tz: 'UTC', days: 3 });
      const p = s.comparison;
      // 11-17..19: nobody active; MAU 10-21..11-19: U10 U7 U8 U6 U14 U2 U5 + (b,v:z) = 8.
      expect([p?.dau, p?.activeUsers, p?.mau, p?.avgSessionDurationS]).toEqual([0, 0, 8, null]);
      // Cohort 09-19..21: U10 (09-21), back on 10-21 (day 30) → 1 / 1. Revenue: 3 € on the 19th.
      expect([p?.retention30dCohort, p?.retention30d, p?.revenueEur, p?.revenuePerUser]).toEqual([
        1,
        1,
        3,
        null,
      ]);
      // Persons per day 10-21..11-19: 1 + 2 + 2 + 1 + 2 = 8 → 8 / 30 ÷ 8 = 1/30; now 0.04 → +20 %.
      expect(s.change.stickiness).toBeCloseTo(0.2, 10);
      expect(s.change.mau).toBe(0.25); // (10 − 8) / 8
      expect(s.change.retention30d).toBeCloseTo(-0.4, 12); // (0.6 − 1) / 1
      expect([s.change.dau, s.change.revenuePerUser, s.change.crossDomainRate]).toEqual([null, null, null]);
      expect(s.comparisonSeries?.map((d) => d.dau)).toEqual([0, 0, 0]);
    });

    it('in another time zone: same UTC days of activity, revenue between local midnights', async () => {
      const s = await getEngagementSummary({
        ctx: owner,
        input: query({ domains: SELECTED, tz: 'Europe/Brussels' }),
      });
      expect(s.totals.dau).toBe(3);
      // [11-19 23:00Z, 11-22 23:00Z): + 3 (19th 23:30Z) − 10 (22nd 23:30Z) → 125 + 3 − 10 = 118.
      expect(s.totals.revenueEur).toBe(118);
    });

    it('counts no day that has not happened yet', async () => {
      const s = await getEngagementSummary({
        ctx: owner,
        input: query({ domains: SELECTED, to: '2026-12-31', compare: 'none' }),
      });
      expect(s.windows.activity).toEqual({ from: '2026-11-20', to: '2026-11-26', days: 7 });
      // 11-20: 5, 11-21: 4, 11-23: U12 on b → 1; over 7 days → 10 / 7.
      expect(s.totals.dau).toBeCloseTo(10 / 7, 12);
      expect(s.comparison).toBeNull();
      const future = await getEngagementSummary({
        ctx: owner,
        input: query({ from: '2027-01-01', to: '2027-01-31' }),
      });
      expect([future.windows.activity, future.totals.dau, future.totals.mau, future.series]).toEqual([
        null,
        null,
        0,
        [],
      ]);
    });
  });

  it('without a filter covers every domain, f included', async () => {
    const t = (await getEngagementSummary({ ctx: owner, input: query({}) })).totals;
    // U2 is now on a and f: cross-domain users U1, U2, U4 = 3 of 5.
    expect([t.crossDomainUsers, t.crossDomainRate]).toEqual([3, 0.6]);
    // Cohort 09-22..24 over all domains: U7 U8 U9 U12 U13 (U14 was first seen on 09-01 on f);
    // retained U7, U9, U13 (10-25, day 32).
    expect([t.retention30dCohort, t.retention30dRetained]).toEqual([5, 3]);
    expect(t.revenueEur).toBe(1125); // 125 + 1000 on f
  });

  describe('an operator limited to a.example', () => {
    it('sees only a.example, whatever the filter says', async () => {
      const s = await getEngagementSummary({ ctx: onlyA, input: query({}) });
      expect(s.domains.map((d) => d.host)).toEqual(['a.example']);
      const t = s.totals;
      // a only: 11-20 U1 U2 U9 + v:x = 4; 11-21 U3 U4 + v:y = 3 → 7 / 3.
      expect(t.dau).toBeCloseTo(7 / 3, 12);
      expect([t.activeUsers, t.crossDomainUsers, t.crossDomainRate]).toEqual([5, 0, 0]);
      // Cohort first seen on a on 09-22..24: U7 (never back on a), U9 (day 59), U14 (day 30).
      expect([t.retention30dCohort, t.retention30dRetained]).toEqual([3, 2]);
      expect(t.revenueEur).toBe(130); // 100 + 30 on a
      await expect(
        getEngagementSummary({ ctx: onlyA, input: query({ domains: 'b.example' }) }),
      ).rejects.toMatchObject({
        code: 'not_found',
        field: 'domains',
      });
      await expect(
        getDomainOverlap({ ctx: onlyA, input: query({ domains: 'a.example,f.example' }) }),
      ).rejects.toBeInstanceOf(AppError);
    });

    it('row-level security hides other domains even from a query given their ids', async () => {
      const all = Object.values(ids);
      const days = { from: '2026-11-20', to: '2026-11-22', days: 3 };
      const scoped = await db.transaction((tx) => selectOverlapCounts(tx, all, days), { scope: onlyA.scope });
      expect(scoped).toEqual([{ a: ids['a.example'], b: ids['a.example'], users: 5 }]);
      const unscoped = await db.transaction((tx) => selectOverlapCounts(tx, all, days), {
        scope: ALL_DOMAINS,
      });
      expect(unscoped.length).toBeGreaterThan(1);
    });
  });

  describe('cohorts', () => {
    const cohortQuery = (q: Record<string, string>) =>
      CohortQuery.parse({ to: '2026-11-22', domains: SELECTED, ...q });

    it('monthly: users by month first seen, active month by month', async () => {
      const c = await getEngagementCohorts({
        ctx: owner,
        input: cohortQuery({ interval: 'month', periods: '3' }),
      });
      expect(c.lastDay).toBe('2026-11-22');
      // September: U7 U8 U9 U10 U12 U14 = 6; back in October U7 U8 U10 U14 = 4; in November U9 = 1
      // (U12's 11-23 is after the last day). October: U6, U2 = 2, U2 back in November. November:
      // U1 U3 U4 U5 = 4.
      expect(c.cohorts.map((r) => [r.cohort, r.users, r.cells.map((x) => x.users)])).toEqual([
        ['2026-09-01', 6, [6, 4, 1]],
        ['2026-10-01', 2, [2, 1]],
        ['2026-11-01', 4, [4]],
      ]);
      expect(c.cohorts[0]?.cells.map((x) => [x.share, x.complete])).toEqual([
        [1, true],
        [4 / 6, true],
        [1 / 6, false],
      ]);
    });

    it('weekly, and a last day past today stops at today', async () => {
      const weeks = await getEngagementCohorts({
        ctx: owner,
        input: cohortQuery({ interval: 'week', periods: '2' }),
      });
      // Week of Monday 11-16: U1 (20th), U3 and U4 (21st); the week of 11-09 saw nobody new.
      expect(weeks.cohorts.map((r) => [r.cohort, r.users, r.cells.map((x) => [x.users, x.share])])).toEqual([
        [
          '2026-11-09',
          0,
          [
            [0, null],
            [0, null],
          ],
        ],
        ['2026-11-16', 3, [[3, 1]]],
      ]);
      const months = await getEngagementCohorts({
        ctx: owner,
        input: cohortQuery({ to: '2026-12-31', periods: '3' }),
      });
      expect(months.lastDay).toBe('2026-11-26');
      expect(months.cohorts[0]?.cells.map((x) => x.users)).toEqual([6, 4, 2]); // + U12 on 11-23
    });
  });

  it('overlap matrix of a..e', async () => {
    const o = await getDomainOverlap({ ctx: owner, input: query({ domains: SELECTED }) });
    expect(o.domains.map((d) => d.host)).toEqual([
      'a.example',
      'b.example',
      'c.example',
      'd.example',
      'e.example',
    ]);
    // a: U1 U2 U3 U4 U9; b: U1 U4; c: U1 U4; d: U4; e: U4.
    expect(o.users).toEqual([5, 2, 2, 1, 1]);
    expect(o.matrix).toEqual([
      [5, 2, 2, 1, 1],
      [2, 2, 2, 1, 1],
      [2, 2, 2, 1, 1],
      [1, 1, 1, 1, 1],
      [1, 1, 1, 1, 1],
    ]);
    // Row a: 2/5 of a's users are also on b and c, 1/5 on d and e; all of b's are on a.
    expect(o.share[0]).toEqual([1, 0.4, 0.4, 0.2, 0.2]);
    expect(o.share[1]).toEqual([1, 1, 1, 0.5, 0.5]);
  });
});
