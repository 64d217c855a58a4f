// What running PGlite in a worker thread (ADR 0002) costs per query, against PGlite called
// directly on the main thread, measured in the same run: small queries, 500-row inserts, and
// the event-loop stall during a 1 s query (the reason for the worker).
// Run: npm run bench
import { PGlite } from '@electric-sql/pglite';
import { openPglite } from '../src/db/open-pglite.ts';

const SMALL_QUERIES = 3000;
const BATCHES = 100;
const ROWS_PER_BATCH = 500;

interface Target {
  query: (sql: string, params?: unknown[]) => Promise<unknown>;
  close: () => Promise<void>;
}

async function direct(): Promise<Target> {
  const pg = await PGlite.create();
  return { query: (sql, params) => pg.query(sql, params), close: () => pg.close() };
}

async function worker(): Promise<Target> {
  const db = await openPglite();
  return { query: (sql, params) => db.query(sql, params), close: () => db.close() };
}

async function measure(target: Target) {
  await target.query('CREATE TABLE t (id int, v text)');
  let t0 = performance.now();
  for (let i = 0; i < SMALL_QUERIES; i++) await target.query('SELECT $1::int AS n', [i]);
  const smallPerSec = SMALL_QUERIES / ((performance.now() - t0) / 1000);

  const values = Array.from({ length: ROWS_PER_BATCH }, (_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(',');
  const params = Array.from({ length: ROWS_PER_BATCH }, (_, i) => [i, `row ${i}`]).flat();
  t0 = performance.now();
  for (let b = 0; b < BATCHES; b++) await target.query(`INSERT INTO t VALUES ${values}`, params);
  const rowsPerSec = (BATCHES * ROWS_PER_BATCH) / ((performance.now() - t0) / 1000);

  // A 5 ms ticker: the longest gap between ticks is how long the event loop was blocked.
  let last = performance.now();
  let maxStallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxStallMs = Math.max(maxStallMs, now - last - 5);
    last = now;
  }, 5);
  await target.query(
    "DO $$ BEGIN WHILE clock_timestamp() < statement_timestamp() + interval '1 second' LOOP END LOOP; END $$",
  );
  await new Promise((r) => setTimeout(r, 50));
  clearInterval(ticker);
  await target.close();
  return { smallPerSec, rowsPerSec, maxStallMs };
}

const base = await measure(await direct());
const ours = await measure(await worker());
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log('| measure | PGlite on main thread (baseline) | PGlite in worker (ours) | ratio ours/baseline |');
console.log('|---|---|---|---|');
console.log(
  `| single-row queries/s (${SMALL_QUERIES}) | ${fmt(base.smallPerSec)} | ${fmt(ours.smallPerSec)} | ${(ours.smallPerSec / base.smallPerSec).toFixed(2)} |`,
);
console.log(
  `| rows/s in ${ROWS_PER_BATCH}-row INSERTs (${BATCHES} batches) | ${fmt(base.rowsPerSec)} | ${fmt(ours.rowsPerSec)} | ${(ours.rowsPerSec / base.rowsPerSec).toFixed(2)} |`,
);
console.log(
  `| longest event-loop stall during a 1 s query (ms) | ${base.maxStallMs.toFixed(0)} | ${ours.maxStallMs.toFixed(0)} | ${(ours.maxStallMs / base.maxStallMs).toFixed(3)} |`,
);
