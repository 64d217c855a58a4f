import type { Queryable } from './types.ts';

/**
 * A fold's window over the events (ADR 0009): events with ingest_xid below `next`, except those of
 * transactions still `running`, minus what the last run took (below `old`, except `oldPending`).
 * The rollups, the experiments fold and the rewards fold each keep one in `rollup_state`.
 */
export interface FoldWatermark {
  old: string;
  oldPending: string[];
  next: string;
  running: string[];
}

/**
 * Reads the fold's last horizon and takes the new one from one snapshot (its xmax, its in-progress
 * list). Call it after the fold's advisory lock, so a run that held the lock has committed.
 */
export async function takeWatermark(tx: Queryable, name: string): Promise<FoldWatermark> {
  const res = await tx.query<FoldWatermark>(
    `SELECT horizon::text AS old, pending::text[] AS "oldPending",
            pg_snapshot_xmax(s)::text AS next,
            ARRAY(SELECT x::text FROM pg_snapshot_xip(s) AS x ORDER BY 1) AS running
       FROM rollup_state, pg_current_snapshot() AS s
      WHERE name = $1`,
    [name],
  );
  const w = res.rows[0];
  if (!w) throw new Error(`rollup_state has no "${name}" row; are the migrations applied?`);
  return w;
}

/** Moves the fold's horizon to the window taken, in the fold's transaction; returns its run count. */
export async function advanceWatermark(
  tx: Queryable,
  name: string,
  w: FoldWatermark,
  events: number,
  at: Date,
): Promise<number> {
  const res = await tx.query<{ runs: number }>(
    `UPDATE rollup_state
        SET horizon = $2::xid8, pending = $3::xid8[], runs = runs + 1, events_folded = events_folded + $4,
            last_run_at = $5
      WHERE name = $1
      RETURNING runs`,
    [name, w.next, w.running, events, at.toISOString()],
  );
  return Number(res.rows[0]?.runs ?? 0);
}
