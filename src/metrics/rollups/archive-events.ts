import { createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Db, Tx } from '../../db/types.ts';
import { FOLDED_SQL, ROLLUP_LOCK_KEY, rollupHorizon } from './refresh-rollups.ts';

// Raw events older than the retention period are removed once the rollups count them: dashboards
// read only rollups, so no figure changes. A late event for an archived day still folds in, since
// every rollup is additive. Optionally the rows are first written as gzip NDJSON.

export interface ArchiveOptions {
  retentionDays: number;
  now?: Date;
  /** Write the removed rows to `DIR/events-<cutoff>-<run>.ndjson.gz` before deleting them. */
  archiveDir?: string;
}

export interface ArchiveResult {
  cutoff: string | null;
  /** Rows removed (by DELETE and with dropped partitions). */
  events: number;
  droppedPartitions: string[];
  file: string | null;
}

const DAY_MS = 86_400_000;
const PAGE = 5000;
const PARTITION_NAME = /^events_(\d{4})_(\d{2})$/;

export async function archiveEvents(db: Db, options: ArchiveOptions): Promise<ArchiveResult> {
  if (options.retentionDays <= 0) return { cutoff: null, events: 0, droppedPartitions: [], file: null };
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.retentionDays * DAY_MS).toISOString();
  return db.transaction(async (tx) => {
    // Same lock as the fold: the horizon cannot move while we decide what is folded.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK_KEY]);
    const { horizon, pending } = await rollupHorizon(tx);
    const folded = [horizon, pending];
    const old = await partitionsEndingBefore(tx, cutoff);
    const whole: string[] = [];
    for (const part of old) {
      const unfolded = await tx.query(`SELECT 1 FROM ${part} e WHERE NOT (${FOLDED_SQL}) LIMIT 1`, folded);
      if (unfolded.rowCount === 0) whole.push(part);
    }
    let file: string | null = null;
    if (options.archiveDir) {
      file = join(options.archiveDir, `events-${cutoff.slice(0, 10)}-${now.getTime()}.ndjson.gz`);
      await writeArchive(tx, file, cutoff, folded, options.archiveDir);
    }
    let events = 0;
    for (const part of whole) {
      const n = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${part}`);
      events += n.rows[0]?.n ?? 0;
      await tx.query(`ALTER TABLE events DETACH PARTITION ${part}`);
      await tx.query(`DROP TABLE ${part}`);
    }
    const deleted = await tx.query(`DELETE FROM events e WHERE ${FOLDED_SQL} AND e.occurred_at < $3`, [
      ...folded,
      cutoff,
    ]);
    events += deleted.rowCount;
    return { cutoff, events, droppedPartitions: whole, file };
  });
}

/** Monthly partitions (events_YYYY_MM, UTC months) whose whole month lies before the cutoff. */
async function partitionsEndingBefore(tx: Tx, cutoff: string): Promise<string[]> {
  const res = await tx.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'events'::regclass ORDER BY 1`,
  );
  return res.rows
    .map((r) => r.name)
    .filter((name) => {
      const m = PARTITION_NAME.exec(name);
      if (!m) return false;
      const end = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1)); // first instant of the next month
      return end.toISOString() <= cutoff;
    });
}

/** Every row about to be removed, one JSON object per line, synced to disk before the delete. */
async function writeArchive(tx: Tx, file: string, cutoff: string, folded: unknown[], dir: string) {
  await mkdir(dir, { recursive: true });
  const gzip = createGzip();
  const done = pipeline(gzip, createWriteStream(file, { flags: 'wx' }));
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const page: { rows: { line: string; at: string; id: string }[] } = await tx.query(
      `SELECT row_to_json(e)::text AS line, e.occurred_at::text AS at, e.id::text AS id
         FROM events e
        WHERE ${FOLDED_SQL} AND e.occurred_at < $3
          AND ($4::timestamptz IS NULL OR (e.occurred_at, e.id) > ($4::timestamptz, $5::uuid))
        ORDER BY e.occurred_at, e.id
        LIMIT ${PAGE}`,
      [...folded, cutoff, after?.at ?? null, after?.id ?? null],
    );
    for (const r of page.rows) {
      if (!gzip.write(`${r.line}\n`)) await new Promise((resolve) => gzip.once('drain', resolve));
    }
    if (page.rows.length < PAGE) break;
    const last = page.rows[page.rows.length - 1] as { at: string; id: string };
    after = { at: last.at, id: last.id };
  }
  gzip.end();
  await done;
  const handle = await open(file, 'r');
  await handle.sync();
  await handle.close();
}
