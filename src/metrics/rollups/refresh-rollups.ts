import { advanceWatermark, takeWatermark } from '../../db/fold-watermark.ts';
import type { Db, Tx } from '../../db/types.ts';
import { ENGAGEMENT_FOLD_STEPS } from '../engagement/fold-engagement.sql.ts';
import {
  APPLY_BREAKDOWN_BLOCKS_SQL,
  APPLY_BREAKDOWN_DAILY_SQL,
  APPLY_TRAFFIC_BLOCKS_SQL,
  APPLY_TRAFFIC_HOURLY_SQL,
  DELETE_EMPTY_BREAKDOWN_BLOCKS_SQL,
  DELETE_EMPTY_BREAKDOWN_SQL,
} from './fold-apply.sql.ts';
import {
  CREATE_DELTA_TABLES_SQL,
  CREATE_FOLD_EVENTS_SQL,
  EVENT_TRAFFIC_DELTA_SQL,
  FOLD_ACTIVITY_DAILY_SQL,
  FOLD_ACTIVITY_HOURLY_SQL,
  FOLD_STEPS_SQL,
} from './fold-events.sql.ts';
import {
  APPLY_SESSIONS_ACTIVITY_SQL,
  CREATE_NEW_SESSIONS_SQL,
  CREATE_OLD_SESSIONS_SQL,
  CREATE_SESSION_CHANGES_SQL,
  createPersonDayValuesSql,
  DELETE_OLD_SESSIONS_SQL,
  INSERT_NEW_SESSIONS_SQL,
  SESSION_BREAKDOWN_DELTA_SQL,
  SESSION_TRAFFIC_DELTA_SQL,
} from './fold-sessions.sql.ts';
import { foldSketches } from './fold-sketches.ts';

/** Serialises folds (and archiving) across server instances and CLI runs; PGlite has one session anyway. */
export const ROLLUP_LOCK_KEY = 727_007;
const STATE = 'events';

export interface RefreshResult {
  /** Events folded by this run. */
  events: number;
  /** The new horizon: every event with ingest_xid below it is counted, but for pending transactions. */
  horizon: string;
  ms: number;
}

export interface RefreshOptions {
  now?: Date;
  /** Called after each step inside the transaction; a test throws here to simulate a crash. */
  onStep?: (step: string) => void | Promise<void>;
}

// The steps of one fold, in order. Counter changes are gathered in the delta tables and applied
// to every grain at the end; session deltas read the event-level rows written before them.
const EVENT_STEPS: ReadonlyArray<[string, string]> = [
  ['delta_tables', CREATE_DELTA_TABLES_SQL],
  ['traffic_delta', EVENT_TRAFFIC_DELTA_SQL],
  ['activity_hourly', FOLD_ACTIVITY_HOURLY_SQL],
  ['activity_daily', FOLD_ACTIVITY_DAILY_SQL],
  ['steps', FOLD_STEPS_SQL],
];
const SESSION_STEPS: ReadonlyArray<[string, string]> = [
  ['old_sessions', CREATE_OLD_SESSIONS_SQL],
  ['new_sessions', CREATE_NEW_SESSIONS_SQL],
  ['session_changes', CREATE_SESSION_CHANGES_SQL],
  ['values_before', createPersonDayValuesSql('fold_values_before')],
  ['delete_sessions', DELETE_OLD_SESSIONS_SQL],
  ['insert_sessions', INSERT_NEW_SESSIONS_SQL],
  ['values_after', createPersonDayValuesSql('fold_values_after')],
  ['sessions_traffic', SESSION_TRAFFIC_DELTA_SQL],
  ['sessions_activity', APPLY_SESSIONS_ACTIVITY_SQL],
  // activity_daily is final for the batch here: the engagement rollups (migration 0009) read it.
  ...ENGAGEMENT_FOLD_STEPS,
  ['sessions_breakdown', SESSION_BREAKDOWN_DELTA_SQL],
];
const APPLY_STEPS: ReadonlyArray<[string, string]> = [
  ['analyze_deltas', 'ANALYZE fold_traffic_delta, fold_breakdown_delta'],
  ['traffic_hourly', APPLY_TRAFFIC_HOURLY_SQL],
  ['traffic_blocks', APPLY_TRAFFIC_BLOCKS_SQL],
  ['breakdown_daily', APPLY_BREAKDOWN_DAILY_SQL],
  ['breakdown_blocks', APPLY_BREAKDOWN_BLOCKS_SQL],
  ['empty_breakdown', DELETE_EMPTY_BREAKDOWN_SQL],
  ['empty_breakdown_blocks', DELETE_EMPTY_BREAKDOWN_BLOCKS_SQL],
];

/**
 * Folds every event committed since the last run into the rollups, in one transaction with the
 * watermark advance: a run that fails changes nothing, and concurrent runs wait for each other.
 * Runs as the table owner (unscoped). See docs/metrics.md "Rollups" and ADR 0009.
 */
export async function refreshRollups(db: Db, options: RefreshOptions = {}): Promise<RefreshResult> {
  const started = performance.now();
  const step = options.onStep ?? (() => undefined);
  const result = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK_KEY]);
    const w = await takeWatermark(tx, STATE);
    const events = await foldBatch(tx, [w.old, w.oldPending, w.next, w.running], step);
    const runs = await advanceWatermark(tx, STATE, w, events, options.now ?? new Date());
    await step('horizon');
    return { events, horizon: w.next, runs };
  });
  if (db.kind === 'pglite' && result.events > 0 && result.runs % CATALOG_VACUUM_EVERY === 0)
    await vacuumCatalogs(db);
  return { events: result.events, horizon: result.horizon, ms: Math.round(performance.now() - started) };
}

/**
 * PGlite has no autovacuum: each temporary table of a fold leaves dead catalog rows behind, and
 * after a few hundred runs creating one took a second. PostgreSQL's autovacuum does this itself.
 */
const CATALOG_VACUUM_EVERY = 20;
const TEMP_TABLE_CATALOGS = ['pg_attribute', 'pg_class', 'pg_type', 'pg_depend', 'pg_statistic'];

async function vacuumCatalogs(db: Db): Promise<void> {
  for (const catalog of TEMP_TABLE_CATALOGS) await db.query(`VACUUM ${catalog}`);
}

async function foldBatch(
  tx: Tx,
  watermarks: [string, string[], string, string[]],
  step: (name: string) => void | Promise<void>,
): Promise<number> {
  const created = await tx.query(CREATE_FOLD_EVENTS_SQL, watermarks);
  await step('fold_events');
  const count = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM fold_events');
  const events = count.rows[0]?.n ?? created.rowCount;
  if (events === 0) return 0; // temporary tables drop at commit
  // Temporary tables are never analysed automatically; without statistics a large first fold
  // would be planned as if each held a thousand rows.
  await tx.query('ANALYZE fold_events');
  for (const [name, sql] of [...EVENT_STEPS, ...SESSION_STEPS, ...APPLY_STEPS]) {
    if (name === 'delta_tables') await tx.exec(sql);
    else await tx.query(sql);
    const temp = /CREATE TEMP TABLE (\w+) ON COMMIT DROP AS/.exec(sql)?.[1];
    if (temp) await tx.query(`ANALYZE ${temp}`);
    await step(name);
  }
  await foldSketches(tx);
  await step('sketches');
  return events;
}

/** The fold's watermark: events with ingest_xid < horizon are counted, except the pending ones. */
export async function rollupHorizon(db: Db | Tx): Promise<{ horizon: string; pending: string[] }> {
  const res = await db.query<{ horizon: string; pending: string[] }>(
    'SELECT horizon::text AS horizon, pending::text[] AS pending FROM rollup_state WHERE name = $1',
    [STATE],
  );
  return res.rows[0] ?? { horizon: '0', pending: [] };
}

/** SQL condition: the event (alias e) is already counted in the rollups. $1 horizon, $2 pending. */
export const FOLDED_SQL = 'e.ingest_xid < $1::xid8 AND NOT (e.ingest_xid = ANY ($2::xid8[]))';
