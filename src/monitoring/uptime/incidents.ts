import type { Queryable } from '../../db/types.ts';
import type { FailureCause } from './run-check.ts';

// Incidents follow the check runs (docs/uptime.md "Incidents"): a down run opens one (or, when one
// is open, counts into it), the first up run closes it. Both statements are idempotent, and the
// partial unique index keeps at most one open incident per domain even if two writers race.

export type IncidentTransition =
  | { kind: 'opened'; incidentId: number; at: Date; cause: FailureCause; error: string | null }
  | { kind: 'closed'; incidentId: number; at: Date; openedAt: Date }
  | null;

/** A down run at `at`: opens the domain's incident, or updates the open one (last error, count). */
export async function recordDown(
  tx: Queryable,
  input: { domainId: string; at: Date; cause: FailureCause; error: string | null },
): Promise<IncidentTransition> {
  const res = await tx.query<{ id: number; opened: boolean }>(
    `INSERT INTO uptime_incidents AS i (domain_id, opened_at, cause, last_error)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (domain_id) WHERE closed_at IS NULL
       DO UPDATE SET last_error = EXCLUDED.last_error, failed_checks = i.failed_checks + 1
     RETURNING id, (xmax = 0) AS opened`,
    [input.domainId, input.at, input.cause, input.error],
  );
  const row = res.rows[0];
  if (!row?.opened) return null;
  return { kind: 'opened', incidentId: Number(row.id), at: input.at, cause: input.cause, error: input.error };
}

/** An up run at `at`: closes the open incident, if any. */
export async function recordUp(
  tx: Queryable,
  input: { domainId: string; at: Date },
): Promise<IncidentTransition> {
  // GREATEST: a run stamped before the opening run (clock skew between instances) closes at the opening.
  const res = await tx.query<{ id: number; opened_at: Date }>(
    `UPDATE uptime_incidents SET closed_at = GREATEST($2::timestamptz, opened_at)
      WHERE domain_id = $1 AND closed_at IS NULL
      RETURNING id, opened_at`,
    [input.domainId, input.at],
  );
  const row = res.rows[0];
  if (!row) return null;
  return { kind: 'closed', incidentId: Number(row.id), at: input.at, openedAt: new Date(row.opened_at) };
}
