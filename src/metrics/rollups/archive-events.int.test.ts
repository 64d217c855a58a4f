import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEventPartitions } from '../../db/partitions.ts';
import type { Db } from '../../db/types.ts';
import { type EventRow, emptyEvent } from '../../ingest/event-row.ts';
import { insertEvents } from '../../ingest/insert-events.sql.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { archiveEvents } from './archive-events.ts';
import { randomEvents } from './random-events.ts';
import { refreshRollups } from './refresh-rollups.ts';
import { readRollups } from './rollup-reference.ts';
import { startRollupScheduler } from './rollup-scheduler.ts';

const insert = (db: Db, rows: EventRow[]) => db.transaction((tx) => insertEvents(tx, rows));
const count = async (db: Db, sql: string) => (await db.query<{ n: number }>(sql)).rows[0]?.n;

describeIntegration('archiving raw events', () => {
  let db: Db;
  let shop: string;
  const now = new Date('2026-11-20T12:00:00Z');
  beforeAll(async () => {
    db = await createTestDb();
    // Partitions for August to February; events in August and September are older than 60 days.
    await db.query("SELECT ensure_event_partitions('2026-08-01', 7)");
    await ensureEventPartitions(db, now);
    shop = (await insertDomains(db, ['shop.example']))['shop.example'] as string;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('removes only folded events older than the retention, and no rollup changes', async () => {
    const old = randomEvents({
      domainIds: [shop],
      count: 300,
      seed: 5,
      start: new Date('2026-08-20T00:00:00Z'),
      days: 40,
    });
    const recent = randomEvents({
      domainIds: [shop],
      count: 200,
      seed: 6,
      start: new Date('2026-11-10T00:00:00Z'),
      days: 5,
    });
    await insert(db, [...old, ...recent]);
    await refreshRollups(db);
    // Folded after the run: a late event of September must survive archiving until it is counted.
    await insert(db, [
      { ...emptyEvent(shop, 'pageview', new Date('2026-09-15T10:00:00Z')), visitorId: 'late' },
    ]);
    const before = await readRollups(db);
    const dir = await mkdtemp(join(tmpdir(), 'pos-archive-'));
    const oldCount = old.length;
    const cutoff = '2026-09-21T12:00:00.000Z'; // now − 60 days
    const expectedRemoved = old.filter((e) => e.occurredAt.toISOString() < cutoff).length;

    const result = await archiveEvents(db, { retentionDays: 60, now, archiveDir: dir });
    expect(result.cutoff).toBe(cutoff);
    // August is entirely old and folded: dropped whole. September holds the unfolded late event.
    expect(result.droppedPartitions).toEqual(['events_2026_08']);
    expect(result.events).toBe(expectedRemoved);
    expect(await readRollups(db)).toEqual(before);
    expect(await count(db, 'SELECT count(*)::int AS n FROM events')).toBe(501 - expectedRemoved);
    expect(expectedRemoved).toBeGreaterThan(0);
    expect(expectedRemoved).toBeLessThan(oldCount);

    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    const lines = gunzipSync(await readFile(join(dir, files[0] as string)))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(expectedRemoved);
    expect(lines.every((l) => l.occurred_at < '2026-09-21T12')).toBe(true);

    // The late event is still counted, then archived by the next pass.
    await refreshRollups(db);
    const late = await db.query(
      `SELECT pageviews FROM activity_daily WHERE person = 'v:late' AND day = '2026-09-15'`,
    );
    expect(late.rows).toEqual([{ pageviews: 1 }]);
    expect((await archiveEvents(db, { retentionDays: 60, now })).events).toBe(1);
  });

  it('retention 0 keeps everything', async () => {
    const n = await count(db, 'SELECT count(*)::int AS n FROM events');
    expect(await archiveEvents(db, { retentionDays: 0, now })).toMatchObject({ events: 0 });
    expect(await count(db, 'SELECT count(*)::int AS n FROM events')).toBe(n);
  });

  describe('scheduler', () => {
    const log = {
      lines: [] as string[],
      info: () => undefined,
      error: (_: object, m?: string) => log.lines.push(m ?? ''),
    };

    it('runNow folds and archives; runs never overlap', async () => {
      const scheduler = startRollupScheduler({
        db,
        intervalSeconds: 0,
        retentionDays: 60,
        log,
        now: () => now,
      });
      await insert(db, [
        { ...emptyEvent(shop, 'pageview', new Date('2026-11-19T10:00:00Z')), visitorId: 's1' },
      ]);
      const [a, b] = await Promise.all([scheduler.runNow(), scheduler.runNow()]);
      expect((a?.refresh.events ?? 0) + (b?.refresh.events ?? 0)).toBe(1);
      expect(a?.archive).not.toBeNull();
      expect(b?.archive).toBeNull(); // archiving is hourly at most
      await scheduler.stop();
    });

    it('a failing run is logged and retried at the next tick', async () => {
      const scheduler = startRollupScheduler({
        db,
        intervalSeconds: 0.05,
        retentionDays: 0,
        log,
        now: () => now,
      });
      await db.query("UPDATE rollup_state SET name = 'moved' WHERE name = 'events'");
      await expect.poll(() => log.lines.length, { timeout: 10_000 }).toBeGreaterThan(0);
      await db.query("UPDATE rollup_state SET name = 'events' WHERE name = 'moved'");
      await insert(db, [
        { ...emptyEvent(shop, 'pageview', new Date('2026-11-19T11:00:00Z')), visitorId: 's2' },
      ]);
      await expect
        .poll(async () => count(db, `SELECT count(*)::int AS n FROM activity_daily WHERE person = 'v:s2'`), {
          timeout: 10_000,
        })
        .toBe(1);
      await scheduler.stop();
      expect(log.lines[0]).toContain('rollup run failed');
    });
  });
});
