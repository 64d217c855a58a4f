// The storage ceiling: the same rows the batch endpoint would store, written straight into the
// events table with the server's own insertEvents() in 1,000-row transactions — no HTTP, no
// validation, no queue. Also fills the table up so the heavy query later has real work to do.
import { performance } from 'node:perf_hooks';
import { migrate } from '../../src/db/migrate.ts';
import type { Db } from '../../src/db/types.ts';
import type { EventRow } from '../../src/ingest/event-row.ts';
import { insertEvents } from '../../src/ingest/insert-events.sql.ts';
import { eventsFromServerBatch } from '../../src/ingest/server-events.ts';
import { SITE, serverEvents } from './payloads.ts';

export const STORAGE_BATCH_ROWS = 1000;

export interface StorageResult {
  rowsPerSec: number;
  rows: number;
  /** Per 1,000-row transaction, ms. */
  p50: number;
  p99: number;
}

export async function siteId(db: Db): Promise<string> {
  const res = await db.query<{ id: string }>('SELECT id FROM domains WHERE host = $1', [SITE]);
  const id = res.rows[0]?.id;
  if (!id) throw new Error(`${SITE} is not in the database: is it still in examples/seed-portfolio.yaml?`);
  return id;
}

function rows(domainId: string): EventRow[] {
  return eventsFromServerBatch(serverEvents(STORAGE_BATCH_ROWS), {
    domainId,
    host: SITE,
    now: new Date(),
    users: new Map(),
    rates: new Map(),
  });
}

const write = (db: Db, batch: EventRow[]) => db.transaction((tx) => insertEvents(tx, batch));

/** Only the transactions are timed; building the rows in JS is not the storage's cost. */
export async function storageCeiling(
  db: Db,
  opts: { warmupMs: number; durationMs: number },
): Promise<StorageResult> {
  await migrate(db); // a no-op here (the server migrated), kept so this works on any database
  const domainId = await siteId(db);
  const warmupUntil = performance.now() + opts.warmupMs;
  while (performance.now() < warmupUntil) await write(db, rows(domainId));
  const times: number[] = [];
  let busyMs = 0;
  while (busyMs < opts.durationMs) {
    const batch = rows(domainId);
    const t0 = performance.now();
    await write(db, batch);
    const ms = performance.now() - t0;
    times.push(ms);
    busyMs += ms;
  }
  times.sort((a, b) => a - b);
  return {
    rowsPerSec: (times.length * STORAGE_BATCH_ROWS) / (busyMs / 1000),
    rows: times.length * STORAGE_BATCH_ROWS,
    p50: times[Math.floor(times.length * 0.5)] as number,
    p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] as number,
  };
}

// Untimed filler, generated inside the database (far faster than shipping rows from JS): page
// views of 5,000 visitors over the last 7 days, in time order as real traffic arrives (random
// timestamps would make every index insert a random page write, several times slower).
const FILL_SQL = `
INSERT INTO events (domain_id, occurred_at, name, visitor_id, url, hostname, pathname)
SELECT $1, $2::timestamptz + ($3::bigint + g) * $4::double precision * interval '1 millisecond', 'pageview',
       'v' || (g % 5000), 'https://fixie.run/p/' || g, 'fixie.run', '/p/' || g
  FROM generate_series(1, $5::int) AS g`;
const FILL_CHUNK = 100_000;
const FILL_SPAN_MS = 7 * 86_400_000;

/** Fills the events table up to at least `target` rows (the heavy query's workload); returns the count. */
export async function topUp(db: Db, target: number): Promise<number> {
  const domainId = await siteId(db);
  const count = async () =>
    Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]?.n ?? 0);
  const missing = target - (await count());
  const from = new Date(Date.now() - FILL_SPAN_MS - 60_000).toISOString();
  const stepMs = FILL_SPAN_MS / Math.max(1, missing);
  for (let done = 0; done < missing; done += FILL_CHUNK) {
    await db.query(FILL_SQL, [domainId, from, done, stepMs, Math.min(FILL_CHUNK, missing - done)]);
  }
  return count();
}
