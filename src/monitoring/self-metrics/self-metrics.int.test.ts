import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { startTestServer } from '../../test-support/test-server.ts';
import { checkLatencyRegression } from './check-latency-regression.ts';
import { LATENCY_HISTORY_DAYS, readHourlyP95, snapshotLatency } from './latency-history.sql.ts';
import { startLatencySnapshots } from './latency-snapshots.ts';
import { createSelfMetrics, type SelfMetrics } from './registry.ts';

const OWNER_TOKEN = `test-owner-token-${'x'.repeat(32)}`;
const HOUR = 3_600_000;

const SCRAPE_TOKEN = `test-scrape-token-${'s'.repeat(32)}`;

// The real server as tests start it (instrumented database, hook, /metrics) with a scrape token.
const startMonitoredServer = () => startTestServer({ settings: { metricsToken: SCRAPE_TOKEN } });

async function call(url: string, method: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, headers: res.headers };
}

function family(families: ParsedFamily[], name: string): ParsedFamily {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`no metric family ${name}`);
  return found;
}

/** Sum of a counter's or gauge's samples whose labels include `labels`, from the parsed text. */
function sample(families: ParsedFamily[], name: string, labels: Record<string, string> = {}): number {
  const matches = family(families, name).metrics.filter((m) =>
    Object.entries(labels).every(([k, v]) => m.labels?.[k] === v),
  );
  return matches.reduce((sum, m) => sum + Number(m.value ?? m.count ?? 0), 0);
}

/**
 * Sum of the series `name{…}` whose labels include `labels`, read line by line. Only for labelled
 * histograms: parse-prometheus-text-format 1.1.1 merges all their series into one and drops
 * `_count`/`_sum`. The parser still checks the whole text's syntax in scrape().
 */
function series(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const set = match[2] ?? '{}';
    if (
      Object.entries(labels).every(([k, v]) => set.includes(`{${k}="${v}"`) || set.includes(`,${k}="${v}"`))
    )
      total += Number(match[3]);
  }
  return total;
}

describeIntegration('self-monitoring: /metrics', () => {
  let s: Awaited<ReturnType<typeof startMonitoredServer>>;
  let secret: string;
  const scrape = async () => {
    const res = await call(`${s.url}/metrics`, 'GET', OWNER_TOKEN);
    expect(res.status).toBe(200);
    return Object.assign(parsePrometheusTextFormat(res.text), { text: res.text });
  };

  beforeAll(async () => {
    s = await startMonitoredServer();
    const key = await call(`${s.url}/api/v1/keys`, 'POST', OWNER_TOKEN, {
      domain: 'seobiz.be',
      kind: 'secret',
    });
    secret = JSON.parse(key.text).secret;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('answers owners in Prometheus text format 0.0.4, and refuses others', async () => {
    const ok = await call(`${s.url}/metrics`, 'GET', OWNER_TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect((await call(`${s.url}/metrics`, 'GET')).status).toBe(401);
    expect((await call(`${s.url}/metrics`, 'GET', secret)).status).toBe(403);
    const analyst = await call(`${s.url}/api/v1/operators`, 'POST', OWNER_TOKEN, {
      email: 'analyst@example.com',
      role: 'analyst',
    });
    expect(analyst.status).toBe(201);
    expect((await call(`${s.url}/metrics`, 'GET', JSON.parse(analyst.text).token)).status).toBe(403);
    // The scrape token is not an operator credential: /metrics takes it, every other route refuses it.
    expect((await call(`${s.url}/metrics`, 'GET', SCRAPE_TOKEN)).status).toBe(200);
    expect((await call(`${s.url}/metrics`, 'GET', `${SCRAPE_TOKEN}x`)).status).toBe(401);
    expect((await call(`${s.url}/api/v1/domains`, 'GET', SCRAPE_TOKEN)).status).toBe(401);
    const openapi = JSON.parse((await call(`${s.url}/api/openapi.json`, 'GET')).text);
    expect(openapi.paths['/metrics'].get.tags).toEqual(['monitoring']);
  });

  it('counts requests per route template and status, exactly', async () => {
    const before = await scrape();
    for (let i = 0; i < 5; i++) expect((await call(`${s.url}/healthz`, 'GET')).status).toBe(200);
    for (const host of ['seobiz.be', 'fixie.run'])
      expect((await call(`${s.url}/api/v1/domains/${host}`, 'GET', OWNER_TOKEN)).status).toBe(200);
    expect((await call(`${s.url}/api/v1/domains/seobiz.be`, 'GET')).status).toBe(401);
    const after = await scrape();

    const healthz = { method: 'GET', route: '/healthz', status: '200' };
    expect(
      sample(after, 'http_requests_total', healthz) - sample(before, 'http_requests_total', healthz),
    ).toBe(5);
    const domain = { method: 'GET', route: '/api/v1/domains/:host' };
    const delta = (labels: Record<string, string>) =>
      sample(after, 'http_requests_total', { ...domain, ...labels }) -
      sample(before, 'http_requests_total', { ...domain, ...labels });
    expect([delta({ status: '200' }), delta({ status: '401' })]).toEqual([2, 1]);
    const durations = (f: { text: string }) => series(f.text, 'http_request_duration_seconds_count', domain);
    expect(durations(after) - durations(before)).toBe(3);

    // Bounded labels: templates only, never a raw URL.
    const routes = family(after, 'http_requests_total').metrics.map((m) => m.labels?.route ?? '');
    expect(routes.some((r) => r.includes('seobiz.be') || r.includes('fixie.run'))).toBe(false);
    expect(family(after, 'http_request_duration_seconds').type).toBe('HISTOGRAM');
    const healthzDurations = series(after.text, 'http_request_duration_seconds_bucket', {
      route: '/healthz',
      le: '+Inf',
    });
    expect(healthzDurations).toBe(sample(after, 'http_requests_total', { route: '/healthz' }));
  });

  it('reports ingestion: events in committed batches, their sizes, an empty queue once acknowledged', async () => {
    const before = await scrape();
    const post = (ids: string[]) =>
      call(`${s.url}/api/v1/events`, 'POST', secret, {
        events: ids.map((id) => ({ name: 'signup', eventId: id })),
      });
    const results = await Promise.all([post(['a', 'b', 'c']), post(['d', 'e'])]);
    expect(results.map((r) => r.status)).toEqual([202, 202]);
    const after = await scrape();

    expect(sample(after, 'ingest_events_total') - sample(before, 'ingest_events_total')).toBe(5);
    const sizes = (f: ParsedFamily[]) => Number(family(f, 'ingest_batch_size').metrics[0]?.sum ?? 0);
    expect(sizes(after) - sizes(before)).toBe(5);
    const batches = sample(after, 'ingest_batch_size') - sample(before, 'ingest_batch_size');
    expect([1, 2]).toContain(batches); // the writer may group both requests into one commit
    expect(family(after, 'ingest_queue_depth')).toMatchObject({ type: 'GAUGE', metrics: [{ value: '0' }] });
  });

  it('times database calls by backend and kind, and shows alert and notifier outcomes', async () => {
    s.metrics.recordRuleEvaluation('firing', 0.004);
    s.metrics.recordRuleEvaluation('inactive', 0.002);
    s.metrics.recordRuleEvaluation('inactive', 0.003);
    s.metrics.recordNotification('webhook', 'sent');
    s.metrics.recordNotification('email', 'failed');
    const f = await scrape();

    const backend = s.db.kind;
    const dbCalls = (kind: string) => series(f.text, 'db_query_duration_seconds_count', { backend, kind });
    expect(dbCalls('query')).toBeGreaterThan(0);
    expect(dbCalls('transaction')).toBeGreaterThan(0);
    expect(dbCalls('exec')).toBe(0); // scripts are for migrations, which ran before instrumenting
    expect(family(f, 'db_query_duration_seconds').type).toBe('HISTOGRAM');
    expect(sample(f, 'alert_rule_evaluations_total', { result: 'inactive' })).toBe(2);
    expect(sample(f, 'alert_rule_evaluations_total', { result: 'firing' })).toBe(1);
    expect(sample(f, 'alert_rule_evaluation_duration_seconds')).toBe(3);
    expect(sample(f, 'notifications_total', { channel: 'webhook', outcome: 'sent' })).toBe(1);
    expect(sample(f, 'notifications_total', { channel: 'email', outcome: 'failed' })).toBe(1);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ])
      expect(family(f, name).metrics.length).toBeGreaterThan(0);
  });
});

describeIntegration('self-monitoring: latency history and the regression rule', () => {
  let db: Db;
  let metrics: SelfMetrics;
  beforeAll(async () => {
    metrics = createSelfMetrics();
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  const now = new Date('2025-03-20T10:20:00Z');
  const hourAt = (hoursBefore: number) => new Date(Date.parse('2025-03-20T10:00:00Z') - hoursBefore * HOUR);
  /** `count` requests at `ms` milliseconds during the hour starting `hoursBefore` hours before 10:00. */
  const observe = (route: string, hoursBefore: number, ms: number, count: number) => {
    for (let i = 0; i < count; i++)
      metrics.hourlyLatency.observe(route, ms / 1000, new Date(hourAt(hoursBefore).getTime() + i * 1000));
  };

  it('adds snapshots into their hours, per route, and reads hourly p95 back', async () => {
    observe('/api/v1/events', 3, 20, 30);
    observe('/api/v1/domains', 3, 20, 10);
    expect(await snapshotLatency(db, metrics, now)).toEqual({ rows: 2, requests: 40 });
    observe('/api/v1/events', 3, 20, 10); // the same hour again: added, not replaced
    observe('/api/v1/events', 2, 20, 5);
    expect(await snapshotLatency(db, metrics, now)).toEqual({ rows: 2, requests: 15 });
    expect(await snapshotLatency(db, metrics, now)).toEqual({ rows: 0, requests: 0 });

    const all = await readHourlyP95(db, { from: hourAt(3), to: hourAt(1) });
    expect(all.map((h) => [h.hour.toISOString(), h.requests])).toEqual([
      ['2025-03-20T07:00:00.000Z', 50],
      ['2025-03-20T08:00:00.000Z', 5],
    ]);
    // 20 ms sits in the (15, 25] ms bucket: p95 interpolates to 15 + 10 × 0.95.
    expect(all[0]?.p95Ms).toBeCloseTo(24.5, 9);
    const one = await readHourlyP95(db, { from: hourAt(3), to: hourAt(2), route: '/api/v1/domains' });
    expect(one.map((h) => h.requests)).toEqual([10]);
  });

  it('writes what is left in memory when the snapshot job stops (graceful restart)', async () => {
    const errors: object[] = [];
    const job = startLatencySnapshots({
      db,
      metrics,
      intervalSeconds: 0,
      log: { error: (obj) => errors.push(obj) },
      now: () => now,
    });
    observe('/stop', 1, 20, 3);
    await job.stop();
    const stored = await readHourlyP95(db, { from: hourAt(1), to: hourAt(0), route: '/stop' });
    expect(stored.map((h) => h.requests)).toEqual([3]);
    expect(errors).toEqual([]);
    await db.query("DELETE FROM request_latency_hourly WHERE route = '/stop'");
  });

  it(`drops hours older than ${LATENCY_HISTORY_DAYS} days when it snapshots`, async () => {
    observe('/old', LATENCY_HISTORY_DAYS * 24 + 1, 20, 1);
    observe('/old', LATENCY_HISTORY_DAYS * 24 - 1, 20, 1);
    await snapshotLatency(db, metrics, now);
    const rows = await db.query<{ hour: Date }>(
      "SELECT hour FROM request_latency_hourly WHERE route = '/old'",
    );
    expect(rows.rows.map((r) => new Date(r.hour).toISOString())).toEqual([
      hourAt(LATENCY_HISTORY_DAYS * 24 - 1).toISOString(),
    ]);
    await db.query("DELETE FROM request_latency_hourly WHERE route = '/old'");
  });

  it('raises when the last hour is 20 % slower than the week, not before', async () => {
    await db.query('DELETE FROM request_latency_hourly');
    for (let h = 2; h <= 169; h++) observe('/api/v1/events', h, 20, 40); // the baseline week
    await snapshotLatency(db, metrics, now);
    expect(await checkLatencyRegression(db, now)).toMatchObject({
      regressed: false,
      reason: 'too_few_requests',
      baselineHoursUsed: 168,
    });

    observe('/api/v1/events', 1, 20, 40); // 09:00, as fast as the week
    await snapshotLatency(db, metrics, now);
    expect(await checkLatencyRegression(db, now)).toMatchObject({ regressed: false, ratio: 1 });

    // An hour later, 10:00 was slow: every request took 35 ms (bucket (25, 40] ms).
    observe('/api/v1/events', 0, 35, 40);
    await snapshotLatency(db, metrics, now);
    const later = await checkLatencyRegression(db, new Date(now.getTime() + HOUR));
    expect(later.hour.toISOString()).toBe('2025-03-20T10:00:00.000Z');
    expect(later.current).toBeCloseTo(25 + 15 * 0.95, 9);
    expect(later.baseline).toBeCloseTo(24.5, 9);
    expect(later).toMatchObject({ regressed: true, reason: 'regressed', baselineHoursUsed: 168 });
  });
});
