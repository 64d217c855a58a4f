import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadMigrations } from '../../db/migrate.ts';
import type { Db } from '../../db/types.ts';
import { insertEvents } from '../../ingest/insert-events.sql.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { randomEvents } from './random-events.ts';
import { refreshRollups } from './refresh-rollups.ts';
import { readRollups } from './rollup-reference.ts';

// Migration 0008 fills the day blocks and sketches of an existing install from the rollups 0007
// kept. Its backfill statements, run on folded rollups with those tables emptied, must give back
// exactly what the fold wrote.
const NEW_TABLES = ['traffic_blocks', 'breakdown_blocks', 'visitor_sketches'];

async function backfillStatements(): Promise<string[]> {
  const m = (await loadMigrations()).find((x) => x.version === 8);
  if (!m) throw new Error('migration 0008 not found');
  return m.sql
    .split(/;\s*\n/)
    .map((s) => s.replace(/^(\s*--[^\n]*\n)*/, '').trim())
    .filter((s) => NEW_TABLES.some((t) => s.startsWith(`INSERT INTO ${t}`)));
}

describeIntegration('migration 0008 backfill', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb();
    const ids = await insertDomains(db, ['shop.example', 'blog.example']);
    const rows = randomEvents({
      domainIds: Object.values(ids),
      count: 600,
      seed: 11,
      start: new Date('2026-09-28T00:00:00Z'),
      days: 20,
    });
    await db.transaction((tx) => insertEvents(tx, rows.slice(0, 300)));
    await refreshRollups(db);
    await db.transaction((tx) => insertEvents(tx, rows.slice(300)));
    await refreshRollups(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives the same blocks and sketches as the fold', async () => {
    const statements = await backfillStatements();
    expect(statements).toHaveLength(3);
    const folded = await readRollups(db);
    expect(folded.visitor_sketches?.length).toBeGreaterThan(10);
    await db.exec(`TRUNCATE ${NEW_TABLES.join(', ')}`);
    expect((await readRollups(db)).traffic_blocks).toEqual([]);
    for (const sql of statements) await db.query(sql);
    expect(await readRollups(db)).toEqual(folded);
  });
});
