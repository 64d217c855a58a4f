import { beforeAll, describe, expect, it } from 'vitest';
import { loadPortfolioFile } from '../config/load-portfolio.ts';
import { ServerEventBatch } from '../ingest/events-api.ts';
import { RecordRevenueBatchInput } from '../ingest/revenue/revenue-schemas.ts';
import { BASELINE } from './calibrate.ts';
import { buildDemoPlan, type DemoDomain, type DemoPlan, dayActivity, utcOffsetHours } from './demo-plan.ts';
import { revenueItems } from './money-facts.ts';
import { addDaysUtc } from './population.ts';
import type { DemoEvent } from './visits.ts';

// The plan is pure: these tests check its calibration against the seed's baseline and that what
// it would send is valid for the APIs, without a server. demo.int.test.ts sends it for real.

const EXAMPLE = new URL('../../examples/seed-portfolio.yaml', import.meta.url).pathname;
const END = '2026-11-25';
let domains: DemoDomain[];
let plan: DemoPlan;

beforeAll(async () => {
  const loaded = await loadPortfolioFile(EXAMPLE);
  if (!loaded.ok) throw new Error('the example portfolio does not load');
  domains = loaded.portfolio.domains.map((d) => ({ host: d.host, kind: d.kind }));
  plan = buildDemoPlan({ seed: 1, days: 90, end: END }, domains);
}, 120_000);

const within = (actual: number, target: number, tolerance: number) =>
  expect(Math.abs(actual / target - 1)).toBeLessThanOrEqual(tolerance);

describe('demo plan', () => {
  it('is calibrated to the baseline at the end of a 90-day period (within 5%)', () => {
    const e = plan.expected;
    within(e.dau7, BASELINE.dau, 0.05);
    within(e.mau, BASELINE.mau, 0.05);
    within(e.crossDomainRate, BASELINE.crossDomainRate, 0.05);
    within(e.retention30, BASELINE.retention30, 0.05);
    within(e.growth, BASELINE.monthlyGrowth, 0.05);
    // MRR is steered onto its curve, not sampled: it lands within a few euros.
    within(e.mrrEur, BASELINE.mrrEur, 0.01);
    within(e.mrrGrowth, BASELINE.monthlyGrowth, 0.03);
    // A few users are on three or more domains, as the seed's segments expect.
    expect(e.segments.multi + e.segments.power).toBeGreaterThan(0);
  });

  it('is the same plan for the same seed and another one for another seed', () => {
    const again = buildDemoPlan({ seed: 1, days: 14, end: END }, domains);
    const same = buildDemoPlan({ seed: 1, days: 14, end: END }, domains);
    const other = buildDemoPlan({ seed: 2, days: 14, end: END }, domains);
    const firstEvents = (p: DemoPlan) =>
      [...dayActivity(p, 13, { userAgents: false }).events.values()].flat().slice(0, 50);
    expect(firstEvents(same)).toEqual(firstEvents(again));
    expect(same.subscriptions.map((s) => s.id)).toEqual(again.subscriptions.map((s) => s.id));
    expect(firstEvents(other)).not.toEqual(firstEvents(again));
  });

  it('sends only what the events and revenue APIs accept', () => {
    for (const day of [0, 45, 89]) {
      const { events, sales } = dayActivity(plan, day, { userAgents: false });
      for (const list of events.values()) {
        for (let i = 0; i < list.length; i += 1000) {
          const batch = ServerEventBatch.safeParse({ events: list.slice(i, i + 1000) });
          expect(batch.success, JSON.stringify(batch.error?.issues[0])).toBe(true);
        }
      }
      for (const items of revenueItems(sales, new Map()).values()) {
        const batch = RecordRevenueBatchInput.safeParse({ items });
        expect(batch.success, JSON.stringify(batch.error?.issues[0])).toBe(true);
      }
    }
  });

  it('keeps each visit inside its UTC day, under 30 minutes between events and 30+ minutes apart', () => {
    const day = 60;
    const date = addDaysUtc(plan.startDate, day);
    const byVisitor = new Map<string, DemoEvent[]>();
    for (const list of dayActivity(plan, day, { userAgents: false }).events.values()) {
      for (const e of list) byVisitor.set(e.visitorId, [...(byVisitor.get(e.visitorId) ?? []), e]);
    }
    expect(byVisitor.size).toBeGreaterThan(500);
    for (const events of byVisitor.values()) {
      const times = events.map((e) => Date.parse(e.occurredAt)).sort((a, b) => a - b);
      expect(events.every((e) => e.occurredAt.startsWith(date))).toBe(true);
      for (let i = 1; i < events.length; i++) {
        const gap = (times[i] as number) - (times[i - 1] as number);
        const sameSession = events[i]?.sessionId === events[i - 1]?.sessionId;
        if (sameSession) expect(gap).toBeLessThan(30 * 60_000);
      }
      const sessions = [...new Set(events.map((e) => e.sessionId))];
      for (let s = 1; s < sessions.length; s++) {
        const previousEnd = Math.max(
          ...events.filter((e) => e.sessionId === sessions[s - 1]).map((e) => Date.parse(e.occurredAt)),
        );
        const nextStart = Math.min(
          ...events.filter((e) => e.sessionId === sessions[s]).map((e) => Date.parse(e.occurredAt)),
        );
        expect(nextStart - previousEnd).toBeGreaterThanOrEqual(30 * 60_000);
      }
    }
  });

  it('follows the Brussels clock: most visits in the day, fewest at night', () => {
    const hours = new Array<number>(24).fill(0);
    for (const list of dayActivity(plan, 80, { userAgents: false }).events.values()) {
      for (const e of list) {
        const hour = new Date(e.occurredAt).getUTCHours();
        if (e.name === 'pageview') hours[hour] = (hours[hour] ?? 0) + 1;
      }
    }
    const offset = utcOffsetHours(addDaysUtc(plan.startDate, 80), 'Europe/Brussels');
    const local = (h: number) => hours[(h - offset + 24) % 24] as number;
    expect(local(20)).toBeGreaterThan(3 * local(4));
    expect(local(11)).toBeGreaterThan(3 * local(4));
  });
});

describe('utcOffsetHours', () => {
  it('is +1 in Brussels winter and +2 in summer', () => {
    expect(utcOffsetHours('2026-01-15', 'Europe/Brussels')).toBe(1);
    expect(utcOffsetHours('2026-07-15', 'Europe/Brussels')).toBe(2);
    expect(utcOffsetHours('2026-07-15', 'UTC')).toBe(0);
  });
});
