import type { Queryable } from '../../db/types.ts';
import type { LabelMatcher, Silence, SuppressionWindow } from '../alert-rule-schema.ts';
import { type AlertCommand, type AlertTransition, EngineState } from '../engine/engine-state.ts';

// Reads and writes of the runtime tables (migration 0014), on the server's own connection.

/** Serialises evaluations across server instances sharing one PostgreSQL database. */
export const EVALUATION_LOCK_KEY = 745_001_014;

export async function lockEvaluation(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [EVALUATION_LOCK_KEY]);
}

export type LoadedState = { state: EngineState; problem: null } | { state: null; problem: string | null };

/** The stored state, validated; `problem` says why a stored row could not be used. */
export async function loadEngineState(tx: Queryable): Promise<LoadedState> {
  const res = await tx.query<{ state: unknown }>('SELECT state FROM alert_engine_state WHERE id');
  const row = res.rows[0];
  if (!row) return { state: null, problem: null };
  const raw = typeof row.state === 'string' ? safeJson(row.state) : row.state;
  const parsed = EngineState.safeParse(raw);
  if (parsed.success) return { state: parsed.data, problem: null };
  return {
    state: null,
    problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function saveEngineState(tx: Queryable, state: EngineState, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO alert_engine_state (id, state, updated_at) VALUES (true, $1::jsonb, $2)
     ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
    [JSON.stringify(state), now],
  );
}

export async function insertTransitions(
  tx: Queryable,
  transitions: readonly AlertTransition[],
  domainIds: ReadonlyMap<string, string>,
): Promise<void> {
  for (const t of transitions)
    await tx.query(
      `INSERT INTO alert_transitions (fingerprint, rule, labels, domain_id, from_state, to_state, at, by)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)`,
      [
        t.fingerprint,
        t.rule,
        JSON.stringify(t.labels),
        (t.labels.domain && domainIds.get(t.labels.domain)) ?? null,
        t.from,
        t.to,
        t.at,
        t.by ?? null,
      ],
    );
}

interface WindowRow {
  id: string;
  matchers: LabelMatcher[];
  starts_at: Date;
  ends_at: Date;
}

/** Silences not expired and not over at `now` (future ones included: the engine checks starts). */
export async function selectActiveSilences(tx: Queryable, now: Date): Promise<Silence[]> {
  const res = await tx.query<WindowRow & { created_by: string; comment: string }>(
    `SELECT id::text AS id, matchers, starts_at, ends_at, created_by, comment
       FROM alert_silences WHERE expired_at IS NULL AND ends_at > $1 ORDER BY created_at`,
    [now],
  );
  return res.rows.map((r) => ({
    id: r.id,
    matchers: r.matchers,
    startsAt: new Date(r.starts_at).toISOString(),
    endsAt: new Date(r.ends_at).toISOString(),
    createdBy: r.created_by,
    comment: r.comment,
  }));
}

export async function selectActiveSuppressions(tx: Queryable, now: Date): Promise<SuppressionWindow[]> {
  const res = await tx.query<WindowRow & { kind: SuppressionWindow['kind']; comment: string | null }>(
    `SELECT id::text AS id, kind, matchers, starts_at, ends_at, comment
       FROM alert_suppressions WHERE ends_at > $1 ORDER BY created_at`,
    [now],
  );
  return res.rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    matchers: r.matchers,
    startsAt: new Date(r.starts_at).toISOString(),
    endsAt: new Date(r.ends_at).toISOString(),
    ...(r.comment ? { comment: r.comment } : {}),
  }));
}

/** Pending commands in order, marked applied by this (still uncommitted) transaction. */
export async function takePendingCommands(tx: Queryable, now: Date): Promise<AlertCommand[]> {
  const res = await tx.query<AlertCommand>(
    `UPDATE alert_commands SET applied_at = $1 WHERE applied_at IS NULL
     RETURNING type, fingerprint, by, id`,
    [now],
  );
  return [...res.rows]
    .sort((a, b) => Number((a as { id?: string }).id) - Number((b as { id?: string }).id))
    .map((r) => ({ type: r.type, fingerprint: r.fingerprint, by: r.by }));
}

export async function insertCommand(tx: Queryable, command: AlertCommand, now: Date): Promise<void> {
  await tx.query('INSERT INTO alert_commands (type, fingerprint, by, created_at) VALUES ($1, $2, $3, $4)', [
    command.type,
    command.fingerprint,
    command.by,
    now,
  ]);
}
