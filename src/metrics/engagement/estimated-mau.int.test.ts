import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { type EventRow, emptyEvent } from '../../ingest/event-row.ts';
import { insertEvents } from '../../ingest/insert-events.sql.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { MetricQuery } from '../metric-query.ts';
import { refreshRollups } from '../rollups/refresh-rollups.ts';
import { EXACT_MAU_PERSON_DAYS } from './active-people.sql.ts';
import { userId } from './activity-fixture.ts';
import { getEngagementSummary } from './get-engagement-summary.ts';

// Past EXACT_MAU_PERSON_DAYS person-days in MAU's window, MAU is estimated from the sketches.
// Fixture (one domain, UTC): visitors 0..6999 on Nov 2, 3500..10499 on Nov 3, 7000..13999 on Nov 4;
// users U1..U600 on Nov 4.
//   Range Nov 4 (MAU window Oct 6..Nov 4): person-days 7,000 × 3 + 600 = 21,600 (> 20,000) →
//   estimated; exact MAU 14,000 visitors (0..13999) + 600 users = 14,600.
//   Comparison Nov 3 (window Oct 5..Nov 3): 14,000 person-days → exact: 10,500 visitors (0..10499).
// Bound: 3 standard errors of a 2,048-register sketch, 3 × 1.04 / √2048 ≈ 6.9 %.
const HOST = 'big.example';
const NOW = new Date('2026-11-10T12:00:00Z');
const BOUND = 0.069;

describeIntegration('MAU estimated from sketches past the exact limit', () => {
  let db: Db;

  beforeAll(async () => {
    db = await createTestDb();
    const { [HOST]: id } = await insertDomains(db, [HOST]);
    const ev = (at: string, who: { visitor?: number; user?: number }) => ({
      ...emptyEvent(id as string, 'pageview', new Date(at)),
      visitorId: who.visitor === undefined ? null : `visitor-${who.visitor}`,
      userId: who.user === undefined ? null : userId(`U${who.user}`),
      pathname: '/',
    });
    const rows: EventRow[] = [];
    for (let v = 0; v < 7000; v++) rows.push(ev('2026-11-02T10:00:00Z', { visitor: v }));
    for (let v = 3500; v < 10_500; v++) rows.push(ev('2026-11-03T10:00:00Z', { visitor: v }));
    for (let v = 7000; v < 14_000; v++) rows.push(ev('2026-11-04T10:00:00Z', { visitor: v }));
    for (let u = 1; u <= 600; u++) rows.push(ev('2026-11-04T11:00:00Z', { user: u }));
    for (let i = 0; i < rows.length; i += 2000)
      await db.transaction((tx) => insertEvents(tx, rows.slice(i, i + 2000)));
    await refreshRollups(db, { now: NOW });
  }, 300_000);
  afterAll(async () => {
    await db?.close();
  });

  it('the fixture is past the exact limit, its comparison below it', () => {
    expect(21_600).toBeGreaterThan(EXACT_MAU_PERSON_DAYS);
    expect(14_000).toBeLessThanOrEqual(EXACT_MAU_PERSON_DAYS);
  });

  it('estimates MAU within the bound and keeps every other figure exact', async () => {
    const s = await getEngagementSummary({
      ctx: { db, scope: { kind: 'all' }, now: NOW },
      input: MetricQuery.parse({ from: '2026-11-04', to: '2026-11-04', domains: HOST }),
    });
    const t = s.totals;
    expect(t.mauEstimated).toBe(true);
    expect(Math.abs(t.mau - 14_600) / 14_600).toBeLessThan(BOUND);
    expect(t.mau).not.toBe(21_600); // not a sum of days: a visitor of two days counts once
    expect([t.mauUsers, t.dau, t.dauUsers, t.activeUsers]).toEqual([600, 7600, 600, 600]);
    // Stickiness: persons per day over the window (7,000 + 7,000 + 7,600) / 30 ÷ the estimated MAU.
    expect(t.stickiness).toBeCloseTo(21_600 / 30 / t.mau, 12);
    // The comparison day's window holds 14,000 person-days: exact.
    expect([s.comparison?.mauEstimated, s.comparison?.mau, s.comparison?.mauUsers]).toEqual([
      false,
      10_500,
      0,
    ]);
  });
});
