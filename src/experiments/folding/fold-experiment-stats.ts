import { advanceWatermark, takeWatermark } from '../../db/fold-watermark.ts';
import type { Db, Tx } from '../../db/types.ts';
import type { Experiment, ExperimentMetric } from '../experiment-schema.ts';
import { windowDays } from '../sufficient-stats.sql.ts';
import {
  ADD_DIRTY_CONTRIBUTION_SQL,
  APPLY_STATS_DELTA_SQL,
  CREATE_BATCH_SQL,
  CREATE_DIRTY_SQL,
  CREATE_STATS_DELTA_SQL,
  DELETE_DIRTY_SQL,
  REPLACE_STATS_SQL,
} from './fold-batch.sql.ts';
import { insertSubjectsSql, type SubjectSource } from './subject-values.sql.ts';

/** Serialises experiment folds across server instances (the rollups use 727_007). */
export const EXPERIMENT_FOLD_LOCK_KEY = 727_016;
const STATE = 'experiment_subjects';

export interface ExperimentFoldResult {
  /** Experiments whose subjects were computed again from all their raw events. */
  rebuilt: number;
  /** New events looked at, and the subjects they touched (recomputed). */
  events: number;
  subjects: number;
  ms: number;
}

/** Every metric of an experiment in the order its results list them (and experiment_stats indexes them). */
export function metricsOf(e: Experiment): ExperimentMetric[] {
  return [e.metrics.primary, ...e.metrics.secondary, ...e.metrics.guardrails];
}

interface Folded {
  id: string;
  key: string;
  domain_ids: string[];
  variations: string[];
  from_at: string;
  until_at: string;
  metrics: ExperimentMetric[];
  basis: string;
}

// What the folded rows depend on (a bandit's weights change nothing counted). Epochs and jsonb's
// canonical text, so the session's time zone or date style cannot change it.
const BASIS_SQL = `md5(concat_ws('|', extract(epoch FROM started_at)::text, coalesce(extract(epoch FROM stopped_at)::text, ''),
  domain_ids::text, jsonb_path_query_array(definition, '$.variations[*].key')::text, (definition->'metrics')::text))`;

/**
 * The started experiments to fold: those whose basis changed (`stale`), and the others only when
 * there are new events. The stored definition is the parsed form (defaults applied) written by
 * our own verbs, so its metrics are read as they are.
 */
async function startedExperiments(tx: Tx, which: 'stale' | 'all'): Promise<(Folded & { stale: boolean })[]> {
  const res = await tx.query<{
    id: string;
    key: string;
    domain_ids: string[];
    variations: string[];
    from_at: string;
    until_at: string;
    metrics: { primary: ExperimentMetric; secondary?: ExperimentMetric[]; guardrails?: ExperimentMetric[] };
    basis: string;
    stale: boolean;
  }>(
    `SELECT id, key, domain_ids,
            ARRAY(SELECT jsonb_array_elements_text(jsonb_path_query_array(definition, '$.variations[*].key'))) AS variations,
            to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS from_at,
            coalesce(to_char(stopped_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'infinity') AS until_at,
            definition->'metrics' AS metrics, basis, stats_basis IS DISTINCT FROM basis AS stale
       FROM (SELECT *, ${BASIS_SQL} AS basis FROM experiments WHERE started_at IS NOT NULL) e
      WHERE $1 OR stats_basis IS DISTINCT FROM basis
      ORDER BY key`,
    [which === 'all'],
  );
  return res.rows.map((r) => ({
    ...r,
    metrics: [r.metrics.primary, ...(r.metrics.secondary ?? []), ...(r.metrics.guardrails ?? [])],
  }));
}

/** Experiments grouped by metric list: one statement computes the subjects of a group. */
function byMetrics(list: readonly Folded[]): Folded[][] {
  const groups = new Map<string, Folded[]>();
  for (const f of list) {
    const k = JSON.stringify(f.metrics);
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  return [...groups.values()];
}

const doc = (list: readonly Folded[]) =>
  JSON.stringify(
    list.map(({ id, key, domain_ids, variations, from_at, until_at, metrics }) => ({
      id,
      key,
      domain_ids,
      variations,
      from_at,
      until_at,
      // The longest metric window: a subject's later events change none of its values.
      max_window: Math.max(1, ...metrics.map(windowDays)),
    })),
  );

async function insertSubjects(tx: Tx, list: readonly Folded[], source: SubjectSource): Promise<void> {
  // A rebuild reads every exposure and event of the period: hash joins in one pass. A dirty set
  // is small: index lookups per subject.
  await tx.query(`SELECT set_config('enable_nestloop', $1, true)`, [source === 'all' ? 'off' : 'on']);
  for (const group of byMetrics(list)) {
    const { sql, params } = insertSubjectsSql(group[0]?.metrics ?? [], source);
    await tx.query(sql, [doc(group), ...params]);
  }
  await tx.query(`SELECT set_config('enable_nestloop', 'on', true)`);
}

/**
 * Brings experiment_subjects and experiment_stats up to date with every committed event, in one
 * transaction with the watermark (as the rollups: a failed run changes nothing). An experiment
 * whose start, stop, domains, variations or metrics changed is rebuilt from its raw events; the
 * others recompute only the subjects the new events touch. Runs as the table owner (unscoped).
 */
export async function foldExperimentStats(
  db: Db,
  options: { now?: Date; onStep?: (step: string) => void | Promise<void> } = {},
): Promise<ExperimentFoldResult> {
  const started = performance.now();
  const step = options.onStep ?? (() => undefined);
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [EXPERIMENT_FOLD_LOCK_KEY]);
    // JIT compiles for longer than any statement of an incremental run takes (0.6 s measured).
    await tx.query(`SELECT set_config('jit', 'off', true)`);
    const w = await takeWatermark(tx, STATE);
    const stale = await startedExperiments(tx, 'stale');
    if (stale.length > 0) {
      const ids = stale.map((f) => f.id);
      await tx.query('DELETE FROM experiment_subjects WHERE experiment_id = ANY ($1::uuid[])', [ids]);
      await insertSubjects(tx, stale, 'all');
      await step('rebuild');
    }

    let events = 0;
    let subjects = 0;
    let dirtyIds: string[] = [];
    // Without an experiment already folded there is nothing to update incrementally (a rebuild
    // reads everything), and the first run after an upgrade must not copy every event.
    const folded = await tx.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM experiments WHERE started_at IS NOT NULL AND stats_basis = ${BASIS_SQL}`,
    );
    if ((folded.rows[0]?.n ?? 0) > 0) {
      await tx.query(CREATE_BATCH_SQL, [w.old, w.oldPending, w.next, w.running]);
      // PGlite reports no row count for CREATE TABLE AS.
      const batch = await tx.query<{ n: number }>('SELECT count(*)::integer AS n FROM xf_events');
      events = batch.rows[0]?.n ?? 0;
      await step('batch');
    }
    const current = events > 0 ? (await startedExperiments(tx, 'all')).filter((f) => !f.stale) : [];
    if (current.length > 0) {
      await tx.query('ANALYZE xf_events');
      await tx.query(`SELECT set_config('enable_seqscan', 'off', true)`);
      await tx.query(CREATE_DIRTY_SQL, [doc(current)]);
      await tx.query(`SELECT set_config('enable_seqscan', 'on', true)`);
      await tx.query('ANALYZE xf_dirty');
      await step('dirty_set');
      const dirty = await tx.query<{ n: number; ids: string[] }>(
        'SELECT count(*)::integer AS n, coalesce(array_agg(DISTINCT experiment_id), $1::uuid[]) AS ids FROM xf_dirty',
        [[]],
      );
      subjects = dirty.rows[0]?.n ?? 0;
      dirtyIds = dirty.rows[0]?.ids ?? [];
      if (subjects > 0) {
        // The statistics move by the dirty subjects' new values minus their old ones: an hour of
        // traffic touches most experiments, and summing them again would read every subject.
        await tx.query(CREATE_STATS_DELTA_SQL);
        await tx.query(ADD_DIRTY_CONTRIBUTION_SQL, [-1]);
        await tx.query(DELETE_DIRTY_SQL);
        await step('subtract');
        await insertSubjects(tx, current, 'dirty');
        await step('recompute');
        await tx.query(ADD_DIRTY_CONTRIBUTION_SQL, [1]);
        for (const sql of APPLY_STATS_DELTA_SQL) await tx.query(sql);
      }
      await step('dirty');
    }

    if (stale.length > 0) {
      for (const sql of REPLACE_STATS_SQL) await tx.query(sql, [stale.map((f) => f.id)]);
      for (const f of stale)
        await tx.query('UPDATE experiments SET stats_basis = $2 WHERE id = $1', [f.id, f.basis]);
    }
    const touched = [...stale.map((f) => f.id), ...dirtyIds];
    if (touched.length > 0) {
      await tx.query('UPDATE experiments SET stats_folded_at = $2 WHERE id = ANY ($1::uuid[])', [
        touched,
        now,
      ]);
      await step('stats');
    }
    await advanceWatermark(tx, STATE, w, events, now);
    await step('horizon');
    return { rebuilt: stale.length, events, subjects, ms: Math.round(performance.now() - started) };
  });
}
