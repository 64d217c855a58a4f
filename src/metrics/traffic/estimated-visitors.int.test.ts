import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { type EventRow, emptyEvent } from '../../ingest/event-row.ts';
import { insertEvents } from '../../ingest/insert-events.sql.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { MetricQuery } from '../metric-query.ts';
import { getOverview } from '../overview/get-overview.ts';
import { refreshRollups } from '../rollups/refresh-rollups.ts';
import { getGoals } from './get-goals.ts';
import { getTraffic } from './get-traffic.ts';
import { TrafficQuery } from './traffic-schemas.ts';
import { EXACT_PERSON_DAYS } from './visitor-sketches.sql.ts';

// Past EXACT_PERSON_DAYS person-days, distinct counts come from the HyperLogLog sketches.
// Fixture (one domain, UTC): Nov 2 visitors 0..5999 view "/", Nov 3 visitors 3000..8999 view "/";
// visitors 0..599 also send Signup on Nov 2, 3000..3299 on Nov 3.
//   person-days 6,000 + 6,000 = 12,000 (> 2,000) → estimated; page views 12,000 exactly;
//   distinct visitors over both days 9,000 (0..8999); Signup uniques 600 + 300 = 900 (disjoint).
// Bound: 3 standard errors of a 2,048-register sketch, 3 × 1.04 / √2048 ≈ 6.9 %.
const HOST = 'big.example';
const NOW = new Date('2026-11-10T12:00:00Z');
const BOUND = 0.069;
const near = (value: number, expected: number) => Math.abs(value - expected) / expected;

describeIntegration('distinct visitors estimated from sketches on large ranges', () => {
  let db: Db;
  const ctx = () => ({ db, scope: { kind: 'all' } as const, now: NOW });

  beforeAll(async () => {
    db = await createTestDb();
    const { [HOST]: id } = await insertDomains(db, [HOST]);
    const ev = (visitor: number, at: string, name = 'pageview') => ({
      ...emptyEvent(id as string, name, new Date(at)),
      visitorId: `visitor-${visitor}`,
      pathname: name === 'pageview' ? '/' : null,
    });
    const rows: EventRow[] = [];
    for (let v = 0; v < 6000; v++) rows.push(ev(v, '2026-11-02T10:00:00Z'));
    for (let v = 3000; v < 9000; v++) rows.push(ev(v, '2026-11-03T10:00:00Z'));
    for (let v = 0; v < 600; v++) rows.push(ev(v, '2026-11-02T10:01:00Z', 'Signup'));
    for (let v = 3000; v < 3300; v++) rows.push(ev(v, '2026-11-03T10:01:00Z', 'Signup'));
    for (let i = 0; i < rows.length; i += 2000)
      await db.transaction((tx) => insertEvents(tx, rows.slice(i, i + 2000)));
    await refreshRollups(db);
  }, 300_000);
  afterAll(async () => {
    await db?.close();
  });

  it('the fixture is past the exact limit', () => {
    expect(12_000).toBeGreaterThan(EXACT_PERSON_DAYS);
  });

  it('traffic: visitors estimated within the bound, sums exact, a one-day bucket too', async () => {
    const out = await getTraffic({
      ctx: ctx(),
      input: TrafficQuery.parse({ from: '2026-11-02', to: '2026-11-03', interval: 'day', domains: HOST }),
    });
    expect(out.totals.pageviews).toBe(12_000);
    expect(out.totals.sessions).toBe(12_000);
    expect(near(out.totals.visitors, 9000)).toBeLessThan(BOUND);
    expect(out.totals.visitors).not.toBe(12_000); // not a sum of days: the overlap counts once
    expect(near(out.series[0]?.visitors as number, 6000)).toBeLessThan(BOUND);
    expect(near(out.series[1]?.visitors as number, 6000)).toBeLessThan(BOUND);
  });

  it('goals: visitors and goal uniques estimated within the bound, events exact', async () => {
    const out = await getGoals({
      ctx: ctx(),
      input: MetricQuery.parse({ from: '2026-11-02', to: '2026-11-03', domains: HOST }),
    });
    expect(near(out.visitors, 9000)).toBeLessThan(BOUND);
    expect(out.goals).toHaveLength(1);
    expect(out.goals[0]?.events).toBe(900);
    expect(near(out.goals[0]?.uniques as number, 900)).toBeLessThan(BOUND);
  });

  it('overview: visitors and conversion from the sketches', async () => {
    const out = await getOverview({
      ctx: ctx(),
      input: MetricQuery.parse({ from: '2026-11-02', to: '2026-11-03', compare: 'none' }),
    });
    expect(near(out.totals.visitors.value, 9000)).toBeLessThan(BOUND);
    expect(out.totals.pageviews.value).toBe(12_000);
    // 900 / 9000 = 0.1; each side has its own error, so twice the bound.
    expect(near(out.totals.conversionRate.value, 0.1)).toBeLessThan(2 * BOUND);
  });
});
