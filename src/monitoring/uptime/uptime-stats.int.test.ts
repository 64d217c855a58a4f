import { afterAll, beforeAll, expect, it } from 'vitest';
import { ALL_DOMAINS, type Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { getUptimeHistory } from './get-uptime-history.ts';
import { getUptimeSummary } from './get-uptime-summary.ts';
import { listIncidents } from './list-incidents.ts';

// Uptime and response-time figures on hand-made check results and incidents, computed by hand.

describeIntegration('uptime figures', () => {
  let db: Db;
  let ids: Record<string, string>;
  const t = (s: string) => new Date(`2026-11-${s}Z`);
  const now = t('20T12:00:00');
  const ctx = () => ({ db, scope: ALL_DOMAINS, now });

  beforeAll(async () => {
    db = await createTestDb();
    ids = await insertDomains(db, ['stats.example', 'quiet.example']);
    const check = (at: string, ok: boolean, ms: number) =>
      db.query('INSERT INTO uptime_checks (domain_id, checked_at, ok, response_ms) VALUES ($1, $2, $3, $4)', [
        ids['stats.example'],
        t(at),
        ok,
        ms,
      ]);
    // Nov 18: ten successful runs at 10, 20, … 100 ms, and two failures (timeouts) that the
    // percentiles leave out. Monitoring starts at the first of them, 00:00.
    for (let i = 0; i < 10; i++) await check(`18T${String(i).padStart(2, '0')}:00:00`, true, (i + 1) * 10);
    await check('18T10:00:00', false, 10_000);
    await check('18T10:01:00', false, 10_000);
    // Nov 19: two runs at 200 and 400 ms.
    await check('19T00:00:00', true, 400);
    await check('19T06:00:00', true, 200);
    const incident = (a: string, b: string | null, cause: string) =>
      db.query(
        'INSERT INTO uptime_incidents (domain_id, opened_at, closed_at, cause) VALUES ($1, $2, $3, $4)',
        [ids['stats.example'], t(a), b ? t(b) : null, cause],
      );
    // 36 min on Nov 18, 1 h across midnight into Nov 19, and one still open since 11:00 on Nov 20.
    await incident('18T10:00:00', '18T10:36:00', 'timeout');
    await incident('18T23:30:00', '19T00:30:00', 'status');
    await incident('20T11:00:00', null, 'connection');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('computes uptime per day (time-weighted) and response-time percentiles of the successful runs', async () => {
    const h = await getUptimeHistory({
      ctx: ctx(),
      input: { host: 'stats.example', from: '2026-11-17', to: '2026-11-21', tz: 'UTC' },
    });
    const day = (d: string) => h.series.find((s) => s.day === d);
    // Nov 17: before monitoring. Nov 21: after now.
    expect(day('2026-11-17')).toMatchObject({ uptime: null, checks: 0, p50Ms: null });
    expect(day('2026-11-21')?.uptime).toBeNull();
    // Nov 18: 36 + 30 min down of 1440: 1 − 66/1440.
    // percentile_cont over 10…100: p50 = 55; p95 at rank 8.55 → 90 + 0.55 × 10 = 95.5; p99 → 99.1.
    expect(day('2026-11-18')).toEqual({
      day: '2026-11-18',
      uptime: Math.round((1 - 66 / 1440) * 1e6) / 1e6,
      downtimeS: 66 * 60,
      checks: 12,
      failed: 2,
      p50Ms: 55,
      p95Ms: 95.5,
      p99Ms: 99.1,
    });
    // Nov 19: 30 min down; p50 of {200, 400} = 300, p95 = 390, p99 = 398.
    expect(day('2026-11-19')).toMatchObject({ downtimeS: 1800, p50Ms: 300, p95Ms: 390, p99Ms: 398 });
    // Nov 20 until now (12:00): the open incident's hour out of 12.
    expect(day('2026-11-20')).toMatchObject({ downtimeS: 3600, uptime: Math.round((11 / 12) * 1e6) / 1e6 });
    // Whole range: monitored from Nov 18 00:00 to now = 60 h; 36 + 60 + 60 = 156 min down.
    expect(h.totals).toMatchObject({
      uptime: Math.round((1 - 156 / 3600) * 1e6) / 1e6,
      downtimeS: 156 * 60,
      verdict: 'missed',
      checks: 14,
      failed: 2,
    });
    expect(h.incidents.map((i) => [i.cause, i.durationS, i.closedAt])).toEqual([
      ['timeout', 2160, '2026-11-18T10:36:00.000Z'],
      ['status', 3600, '2026-11-19T00:30:00.000Z'],
      ['connection', 3600, null],
    ]);
  });

  it('reads days in the asked time zone', async () => {
    // Brussels is UTC+1 in November: its Nov 19 is 18T23:00Z–19T23:00Z, holding the whole hour-long
    // incident across UTC midnight.
    const h = await getUptimeHistory({
      ctx: ctx(),
      input: { host: 'stats.example', from: '2026-11-19', to: '2026-11-19', tz: 'Europe/Brussels' },
    });
    expect(h.series[0]).toMatchObject({ day: '2026-11-19', downtimeS: 3600 });
  });

  it('summarises the last 30 days, today, p95 and the open incident per domain', async () => {
    const s = await getUptimeSummary({ ctx: ctx(), input: { tz: 'UTC' } });
    expect(s.target).toBe(0.9997);
    const stats = s.domains.find((d) => d.domain.host === 'stats.example');
    expect(stats).toMatchObject({
      uptime30d: Math.round((1 - 156 / 3600) * 1e6) / 1e6,
      downtime30dS: 156 * 60,
      downtimeBudget30dS: Math.round(60 * 3600 * 0.0003),
      verdict: 'missed',
      uptimeToday: Math.round((11 / 12) * 1e6) / 1e6,
      checks30d: 14,
      lastCheck: { checkedAt: '2026-11-19T06:00:00.000Z', ok: true, responseMs: 200 },
      openIncident: { cause: 'connection', closedAt: null, durationS: 3600 },
      tls: null,
    });
    // p95 of {10…100, 200, 400} (12 values): rank 10.45 → 200 + 0.45 × 200 = 290.
    expect(stats?.p95Ms30d).toBe(290);
    expect(s.domains.find((d) => d.domain.host === 'quiet.example')).toMatchObject({
      uptime30d: null,
      verdict: 'no_data',
      lastCheck: null,
      openIncident: null,
    });
  });

  it('lists the incidents overlapping a range for the charts', async () => {
    const r = await listIncidents({ ctx: ctx(), input: { from: '2026-11-19', to: '2026-11-19', tz: 'UTC' } });
    expect(r.incidents.map((i) => [i.host, i.openedAt])).toEqual([
      ['stats.example', '2026-11-18T23:30:00.000Z'],
    ]);
  });
});
