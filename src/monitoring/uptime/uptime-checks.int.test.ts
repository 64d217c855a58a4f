import { afterAll, beforeAll, expect, it } from 'vitest';
import { ALL_DOMAINS, type Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { UptimeConfig } from './check-schema.ts';
import { getUptimeSummary } from './get-uptime-summary.ts';
import { recordDown, recordUp } from './incidents.ts';
import { recordCheck } from './record-check.ts';
import { type CheckRun, runDueChecks } from './run-due-checks.ts';
import { startUptimeScheduler } from './scheduler.ts';
import {
  localhostCertificate,
  SITE_KEYWORD,
  type SwitchableSite,
  startSwitchableSite,
} from './switchable-site.ts';

// The scheduler's runs against real local sites that go down and up: results stored, incidents
// opened and closed, TLS warnings given once. Time is the `now` each run is given.

const DAY_MS = 86_400_000;

describeIntegration('uptime checks', () => {
  let db: Db;
  let site: SwitchableSite;
  let secure: SwitchableSite;
  let ids: Record<string, string>;
  let config: UptimeConfig;
  // The certificate must be valid for the TLS handshake on the real clock: runs use the real time.
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  const notAfter = new Date(t0.getTime() + 10 * DAY_MS);

  beforeAll(async () => {
    db = await createTestDb();
    site = await startSwitchableSite();
    secure = await startSwitchableSite({ tls: await localhostCertificate(notAfter) });
    ids = await insertDomains(db, ['shop.example', 'secure.example', 'offline.example']);
    config = UptimeConfig.parse({
      defaults: { timeoutMs: 2000, retries: 1 },
      checks: [
        { host: 'shop.example', url: site.url, keyword: SITE_KEYWORD },
        { host: 'secure.example', url: secure.url, intervalSeconds: 300 },
        // Active, but never reached over the network in a test.
        { host: 'offline.example', enabled: false },
      ],
    });
  });
  afterAll(async () => {
    await site?.close();
    await secure?.close();
    await db?.close();
  });

  const run = (s: number) => runDueChecks(db, { now: at(s), config, tls: { ca: secure.cert as string } });
  const incidents = async () =>
    (
      await db.query<{ opened_at: Date; closed_at: Date | null; cause: string; failed_checks: number }>(
        'SELECT opened_at, closed_at, cause, failed_checks FROM uptime_incidents WHERE domain_id = $1 ORDER BY id',
        [ids['shop.example']],
      )
    ).rows.map((r) => ({
      openedAt: new Date(r.opened_at).toISOString(),
      closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
      cause: r.cause,
      failedChecks: r.failed_checks,
    }));

  it('checks every enabled domain the first time, and a domain again only once its interval passed', async () => {
    const first = await run(0);
    expect(first.map((r) => [r.host, r.result.ok])).toEqual([
      ['secure.example', true],
      ['shop.example', true],
    ]);
    expect(await run(30)).toEqual([]);
    expect((await run(60)).map((r) => r.host)).toEqual(['shop.example']);
  });

  it('opens an incident when the site fails (after the retry) and closes it on the first success', async () => {
    site.mode = 'error500';
    const hits = site.hits;
    const [down] = await run(120);
    expect(site.hits - hits).toBe(2); // first attempt + 1 retry
    expect(down?.result).toMatchObject({ ok: false, statusCode: 500, attempts: 2 });
    expect(down?.incident).toMatchObject({
      kind: 'opened',
      cause: 'status',
      error: 'status 500, expected 200–399',
    });

    site.mode = 'close';
    const [still] = await run(180);
    expect(still?.incident).toBeNull();
    expect(await incidents()).toEqual([
      { openedAt: at(120).toISOString(), closedAt: null, cause: 'status', failedChecks: 2 },
    ]);

    site.mode = 'up';
    const [up] = await run(240);
    expect(up?.incident).toMatchObject({ kind: 'closed', openedAt: at(120) });
    expect((await run(300)).find((r) => r.host === 'shop.example')?.incident).toBeNull();
    expect(await incidents()).toEqual([
      { openedAt: at(120).toISOString(), closedAt: at(240).toISOString(), cause: 'status', failedChecks: 2 },
    ]);
  });

  it('counts a missing keyword and a timeout as down', async () => {
    site.mode = 'wrong-body';
    const [keyword] = await run(360);
    expect(keyword?.result).toMatchObject({ ok: false, cause: 'keyword' });
    expect(keyword?.incident).toMatchObject({ kind: 'opened', cause: 'keyword' });

    site.mode = 'hang';
    const slow = UptimeConfig.parse({ ...config, defaults: { timeoutMs: 200, retries: 0 } });
    const [timeout] = await runDueChecks(db, { now: at(420), config: slow });
    expect(timeout?.result).toMatchObject({ ok: false, cause: 'timeout', attempts: 1 });
    expect(timeout?.incident).toBeNull(); // the keyword incident is still open

    site.mode = 'up';
    expect((await run(480))[0]?.incident).toMatchObject({ kind: 'closed' });
    expect((await incidents()).map((i) => [i.cause, i.failedChecks, i.closedAt])).toEqual([
      ['status', 2, at(240).toISOString()],
      ['keyword', 2, at(480).toISOString()],
    ]);
  });

  it('warns once at the 14-day threshold for a certificate expiring in 10 days', async () => {
    const checks = await db.query<{ tls_valid_to: Date; n: number }>(
      'SELECT tls_valid_to, count(*)::int AS n FROM uptime_checks WHERE domain_id = $1 GROUP BY 1',
      [ids['secure.example']],
    );
    expect(checks.rows.map((r) => new Date(r.tls_valid_to).toISOString())).toEqual([notAfter.toISOString()]);
    // The first run (t0) gave the warning; the run due at t0 + 300 s gives none.
    const warnings = await db.query<{ level: string }>(
      'SELECT level FROM uptime_tls_warnings WHERE domain_id = $1',
      [ids['secure.example']],
    );
    expect(warnings.rows).toEqual([{ level: '14d' }]);
    const [again] = await run(600).then((r) => r.filter((x) => x.host === 'secure.example'));
    if (!again) throw new Error('secure.example was due at t0 + 600 s');
    expect(again.result.ok).toBe(true);
    expect(again.tlsWarning).toBeNull();

    // Three days on, the 7-day threshold is crossed: a new warning (as the scheduler would see it).
    const later = new Date(t0.getTime() + 3.5 * DAY_MS);
    const recorded = await db.transaction((tx) =>
      recordCheck(tx, {
        domainId: ids['secure.example'] as string,
        checkedAt: later,
        result: again.result,
      }),
    );
    expect(recorded.tlsWarning).toMatchObject({ level: '7d', validTo: notAfter });
  });

  it("the summary shows the certificate's expiry, days left and level", async () => {
    const summary = await getUptimeSummary({
      ctx: { db, scope: ALL_DOMAINS, now: at(600) },
      input: { tz: 'UTC', domains: 'secure.example' },
    });
    expect(summary.domains[0]?.tls).toMatchObject({ validTo: notAfter.toISOString(), level: '14d' });
    expect(summary.domains[0]?.tls?.daysLeft).toBeCloseTo(10, 0);
  });

  it('keeps one open incident per domain: the writes are idempotent and the index refuses a second', async () => {
    const domainId = ids['offline.example'] as string;
    await db.transaction(async (tx) => {
      expect(await recordUp(tx, { domainId, at: at(0) })).toBeNull();
      expect(await recordDown(tx, { domainId, at: at(0), cause: 'connection', error: 'a' })).toMatchObject({
        kind: 'opened',
      });
      expect(await recordDown(tx, { domainId, at: at(60), cause: 'connection', error: 'b' })).toBeNull();
    });
    await expect(
      db.query("INSERT INTO uptime_incidents (domain_id, opened_at, cause) VALUES ($1, now(), 'other')", [
        domainId,
      ]),
    ).rejects.toThrow(/uptime_incidents_one_open_idx|duplicate key/);
    const open = await db.query<{ last_error: string; failed_checks: number }>(
      'SELECT last_error, failed_checks FROM uptime_incidents WHERE domain_id = $1',
      [domainId],
    );
    expect(open.rows).toEqual([{ last_error: 'b', failed_checks: 2 }]);
  });

  it('the scheduler runs due checks, hands the runs over and prunes results past the retention', async () => {
    await db.query('INSERT INTO uptime_checks (domain_id, checked_at, ok) VALUES ($1, $2, true)', [
      ids['offline.example'],
      new Date(t0.getTime() - 100 * DAY_MS),
    ]);
    const handed: CheckRun[][] = [];
    const logged: string[] = [];
    const log = {
      info: (_: object, m?: string) => logged.push(`info ${m}`),
      warn: (_: object, m?: string) => logged.push(`warn ${m}`),
      error: (_: object, m?: string) => logged.push(`error ${m}`),
    };
    site.mode = 'error500';
    const scheduler = startUptimeScheduler({
      db,
      log,
      config: () => config,
      tls: { ca: secure.cert as string },
      tickSeconds: 3600, // no tick during the test: runNow drives it
      retentionDays: 90,
      onRuns: (runs) => {
        handed.push(runs);
      },
      now: () => at(900),
    });
    const runs = await scheduler.runNow();
    await scheduler.stop();
    // secure.example is not due: the test above stored a result of it 3.5 days ahead.
    expect(runs.map((r) => [r.host, r.result.ok])).toEqual([['shop.example', false]]);
    expect(handed).toEqual([runs]);
    expect(logged).toEqual(['warn domain down', 'info old uptime check results deleted']);
    const old = await db.query('SELECT 1 FROM uptime_checks WHERE domain_id = $1', [ids['offline.example']]);
    expect(old.rowCount).toBe(0);
  });
});
