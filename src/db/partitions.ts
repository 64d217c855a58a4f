import type { Queryable } from './types.ts';

/** Months of event partitions kept ready ahead of the current one. */
export const PARTITION_MONTHS_AHEAD = 3;

/**
 * Makes sure event partitions exist from last month to a few months ahead of `now`.
 * Returns how many were created; idempotent.
 */
export async function ensureEventPartitions(db: Queryable, now: Date): Promise<number> {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const res = await db.query<{ created: number }>('SELECT ensure_event_partitions($1::date, $2) AS created', [
    from.toISOString().slice(0, 10),
    PARTITION_MONTHS_AHEAD + 2,
  ]);
  return res.rows[0]?.created ?? 0;
}
