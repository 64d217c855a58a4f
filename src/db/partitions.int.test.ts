import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertDomains } from '../test-support/fixtures.ts';
import { describeIntegration } from '../test-support/integration.ts';
import { createTestDb } from '../test-support/test-db.ts';
import { ensureEventPartitions, PARTITION_MONTHS_AHEAD } from './partitions.ts';
import type { Db } from './types.ts';

describeIntegration('monthly event partitions', () => {
  let db: Db;
  let domainId: string;
  beforeAll(async () => {
    db = await createTestDb();
    domainId = (await insertDomains(db, ['parts.example']))['parts.example'] as string;
  });
  afterAll(async () => {
    await db?.close();
  });

  const partitions = async () =>
    (
      await db.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'events'::regclass ORDER BY 1`,
      )
    ).rows.map((r) => r.name);

  it('creates last month to a few months ahead, once', async () => {
    const now = new Date('2026-11-26T12:00:00Z');
    expect(await ensureEventPartitions(db, now)).toBe(PARTITION_MONTHS_AHEAD + 2);
    expect(await ensureEventPartitions(db, now)).toBe(0);
    expect(await partitions()).toEqual([
      'events_2026_10',
      'events_2026_11',
      'events_2026_12',
      'events_2027_01',
      'events_2027_02',
      'events_default',
    ]);
  });

  it('catches rows outside every partition in the default one, then moves them when their month is created', async () => {
    const times = ['2027-06-01T00:00:00Z', '2027-06-30T23:59:59.999Z', '2027-07-01T00:00:00Z'];
    for (const t of times) {
      await db.query("INSERT INTO events (domain_id, occurred_at, name) VALUES ($1, $2, 'pageview')", [
        domainId,
        t,
      ]);
    }
    const inDefault = async () =>
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events_default')).rows[0]?.n;
    expect(await inDefault()).toBe(3);

    expect(await ensureEventPartitions(db, new Date('2027-07-15T00:00:00Z'))).toBeGreaterThan(0);
    const june = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events_2027_06');
    expect(june.rows[0]?.n).toBe(2);
    const july = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events_2027_07');
    expect(july.rows[0]?.n).toBe(1);
    expect(await inDefault()).toBe(0);
    const total = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM events WHERE domain_id = $1',
      [domainId],
    );
    expect(total.rows[0]?.n).toBe(3);
  });

  it('keeps UTC month boundaries whatever the session time zone', async () => {
    await db.transaction(async (tx) => {
      await tx.query("SET LOCAL TIME ZONE 'Pacific/Auckland'");
      await tx.query('SELECT ensure_event_partitions($1::date, 1)', ['2028-03-01']);
    });
    const bound = await db.query<{ b: string }>(
      "SELECT pg_get_expr(c.relpartbound, c.oid) AS b FROM pg_class c WHERE c.relname = 'events_2028_03'",
    );
    expect(bound.rows[0]?.b).toMatch(/2028-03-01 00:00:00\+00.*2028-04-01 00:00:00\+00/);
  });
});
