import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays } from '../metrics/metric-query.ts';
import { refreshRollups } from '../metrics/rollups/refresh-rollups.ts';
import { describeIntegration } from '../test-support/integration.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';
import { BASELINE } from './calibrate.ts';
import { type DemoSummary, runDemo } from './run-demo.ts';

// A full `--days 90` demo sent over HTTP to a real server, then read back two ways: the raw rows
// with SQL (the generator's own accounting must match what it planned exactly) and the metrics
// API, which must report the seed's baseline within ±10%.

const DAYS = 90;
const SEED = 42;
/** Yesterday (UTC): the last whole day, so no event of the period lies in the future. */
const END = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** The instants bounding UTC days from..to (inclusive). */
const utcDays = (from: string, to: string) => [`${from}T00:00:00Z`, `${addDays(to, 1)}T00:00:00Z`];

/** |actual ÷ target − 1| ≤ 10%. */
function expectWithin10Percent(actual: number, target: number) {
  expect(actual).toBeGreaterThanOrEqual(target * 0.9);
  expect(actual).toBeLessThanOrEqual(target * 1.1);
}

describeIntegration('portfolio-os demo --days 90', () => {
  let server: TestServer;
  let summary: DemoSummary;
  let seconds: { demo: number; rollups: number };

  beforeAll(async () => {
    server = await startTestServer();
    const started = Date.now();
    summary = await runDemo({
      url: server.url,
      token: server.ownerToken,
      options: { days: DAYS, seed: SEED, end: END },
    });
    const sent = Date.now();
    await refreshRollups(server.db);
    seconds = { demo: (sent - started) / 1000, rollups: (Date.now() - sent) / 1000 };
    // Not a threshold: the run time is reported (docs/demo.md), so it is printed where CI logs show it.
    console.info(
      `demo --days ${DAYS}: ${summary.events} events sent in ${seconds.demo}s, rollups folded in ${seconds.rollups}s`,
    );
  }, 60 * 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const api = async (path: string) => {
    const res = await server.request('GET', path, { token: server.ownerToken });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return res.json;
  };

  it('stores every event, revenue fact, subscription and cost it planned', async () => {
    const count = async (sql: string) => Number((await server.db.query<{ n: string }>(sql)).rows[0]?.n);
    expect(await count('SELECT count(*) AS n FROM events')).toBe(summary.events);
    expect(await count("SELECT count(*) AS n FROM revenue WHERE source = 'demo'")).toBe(
      summary.revenue.items,
    );
    expect(summary.webhooks.applied + summary.webhooks.other).toBe(summary.webhooks.sent);
    expect(summary.webhooks.applied).toBeGreaterThan(0);
    expect(await count("SELECT count(*) AS n FROM costs WHERE external_id LIKE 'demo-%'")).toBe(
      summary.costs?.inserted,
    );
    // The demo leaves no credential behind: its keys are revoked and its webhook secrets removed.
    expect(await count('SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM stripe_endpoints')).toBe(0);
  });

  it('matches its own plan exactly when counted from the raw rows with SQL', async () => {
    // DAU: persons per UTC day (a user once across domains, else a visitor id), last 7 days.
    const dau = await server.db.query<{ dau: string }>(
      `SELECT avg(persons) AS dau FROM (
         SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day,
                count(DISTINCT CASE WHEN user_id IS NOT NULL THEN 'u:' || user_id ELSE 'v:' || visitor_id END) AS persons
           FROM events WHERE occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz GROUP BY 1) d`,
      utcDays(addDays(END, -6), END),
    );
    expect(Number(dau.rows[0]?.dau)).toBeCloseTo(summary.expected.dau, 6);
    const cross = await server.db.query<{ rate: string }>(
      `SELECT avg((domains >= 2)::int) AS rate FROM (
         SELECT user_id, count(DISTINCT domain_id) AS domains FROM events
          WHERE user_id IS NOT NULL AND occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz
          GROUP BY 1) u`,
      utcDays(addDays(END, -29), END),
    );
    expect(Number(cross.rows[0]?.rate)).toBeCloseTo(summary.expected.crossDomainRate, 6);
    const mrr = await server.db.query<{ mrr: string }>(
      "SELECT sum(mrr_eur) AS mrr FROM subscriptions WHERE status IN ('active', 'past_due')",
    );
    expect(Number(mrr.rows[0]?.mrr)).toBeCloseTo(summary.expected.mrrEur, 2);
  });

  it('the engagement API reports the seed baseline at the end of the period, within ±10%', async () => {
    const folded = await server.db.query<{ n: string }>('SELECT count(*) AS n FROM engagement_daily');
    expect(
      Number(folded.rows[0]?.n),
      'refreshRollups folded no engagement rollups (engagement_daily is empty)',
    ).toBeGreaterThan(0);
    const last7 = await api(
      `/api/v1/metrics/engagement?from=${addDays(END, -6)}&to=${END}&tz=UTC&compare=none`,
    );
    expect(last7.totals.dau).toBeCloseTo(summary.expected.dau, 6);
    expectWithin10Percent(last7.totals.dau, BASELINE.dau);

    const last30 = await api(`/api/v1/metrics/engagement?from=${addDays(END, -29)}&to=${END}&tz=UTC`);
    expect(last30.totals.crossDomainRate).toBeCloseTo(summary.expected.crossDomainRate, 6);
    expectWithin10Percent(last30.totals.crossDomainRate, BASELINE.crossDomainRate);
    expect(last30.totals.retention30d).toBeCloseTo(summary.expected.retention30, 6);
    expectWithin10Percent(last30.totals.retention30d, BASELINE.retention30);
    // Past 20,000 person-days MAU is a HyperLogLog estimate (standard error 2.3%): 3 errors at most.
    if (last30.totals.mauEstimated)
      expect(Math.abs(last30.totals.mau / summary.expected.mau - 1)).toBeLessThan(0.07);
    else expect(last30.totals.mau).toBe(summary.expected.mau);
    // Monthly growth: these 30 days' DAU against the previous 30 days'.
    expectWithin10Percent(last30.change.dau, BASELINE.monthlyGrowth);
  });

  it('the MRR API reports €5.25k growing 15% a month, within ±10%', async () => {
    const mrr = await api(`/api/v1/metrics/revenue/mrr?from=${addDays(END, -29)}&to=${END}&tz=UTC`);
    expect(mrr.total.mrr).toBeCloseTo(summary.expected.mrrEur, 2);
    expectWithin10Percent(mrr.total.mrr, BASELINE.mrrEur);
    expectWithin10Percent(mrr.change.mrr, BASELINE.monthlyGrowth);
  });

  it('starts the period at about 1/1.15³ of the final DAU (15% a month over three months)', async () => {
    const first7 = await api(
      `/api/v1/metrics/engagement?from=${addDays(END, -(DAYS - 1))}&to=${addDays(END, -(DAYS - 7))}&tz=UTC&compare=none`,
    );
    const last7 = await api(
      `/api/v1/metrics/engagement?from=${addDays(END, -6)}&to=${END}&tz=UTC&compare=none`,
    );
    // 83 days between the two weeks' midpoints: 1.15^(−83/30) = 0.679.
    expectWithin10Percent(first7.totals.dau / last7.totals.dau, 1.15 ** (-83 / 30));
  });
});
