import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { collectSnapshot } from './collect-snapshot.ts';

const NOW = new Date('2026-11-26T12:00:00Z');
const MINUTE = 60_000;

// The uptime-based series the performance and TLS rules read, from check runs written as the
// uptime scheduler writes them: only the last 10 minutes count, the latest certificate wins.
describeIntegration('alert snapshot: uptime and TLS series', () => {
  let db: Db;
  let ids: Record<string, string>;
  beforeAll(async () => {
    db = await createTestDb();
    ids = await insertDomains(db, ['up.example', 'flaky.example', 'quiet.example']);
    const run = (
      host: string,
      minutesAgo: number,
      ok: boolean,
      status: number | null,
      ms: number,
      tls: string | null,
    ) =>
      db.query(
        `INSERT INTO uptime_checks (domain_id, checked_at, ok, status_code, response_ms, tls_valid_to)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [ids[host], new Date(NOW.getTime() - minutesAgo * MINUTE), ok, status, ms, tls],
      );
    for (let m = 1; m <= 4; m++) await run('up.example', m, true, 200, 100 * m, '2026-12-06T12:00:00Z');
    // An older certificate seen before a renewal, and a run outside the window: neither counts.
    await run('up.example', 9, true, 200, 100, '2026-12-01T12:00:00Z');
    await run('up.example', 30, false, 503, 9000, '2026-11-27T12:00:00Z');
    await run('flaky.example', 2, false, 502, 50, null);
    await run('flaky.example', 3, false, null, 10000, null);
    await run('flaky.example', 4, true, 200, 80, null);
    await run('flaky.example', 5, false, 404, 60, null);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives availability, error rate, p95 and days left on the certificate per domain', async () => {
    const snapshot = await collectSnapshot(db, NOW);
    const value = (metric: string, domain: string) =>
      snapshot.series.find((s) => s.metric === metric && s.labels?.domain === domain)?.value;
    // up.example: 5 runs in the window (1–4 and 9 minutes ago), all fine.
    expect(value('availability', 'up.example')).toBe(1);
    expect(value('error_rate', 'up.example')).toBe(0);
    // p95 of 100, 100, 200, 300, 400 ms by linear interpolation: 380.
    expect(value('response_time_p95', 'up.example')).toBeCloseTo(380, 6);
    // The newest check's certificate: 2026-12-06 12:00 is 10 days after NOW.
    expect(value('tls_days_left', 'up.example')).toBeCloseTo(10, 9);
    // flaky.example: 1 of 4 runs ok; 502 and no answer are server errors, 404 is not.
    expect(value('availability', 'flaky.example')).toBe(0.25);
    expect(value('error_rate', 'flaky.example')).toBe(0.5);
    expect(value('tls_days_left', 'flaky.example')).toBeUndefined();
    // No runs: no series, so its rules stay inactive ("no data") rather than firing.
    expect(
      snapshot.series.filter((s) => s.labels?.domain === 'quiet.example' && s.metric === 'availability'),
    ).toEqual([]);
  });
});
