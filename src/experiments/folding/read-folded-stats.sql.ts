import type { Queryable } from '../../db/types.ts';
import type { SufficientStats } from '../sufficient-stats.sql.ts';

/**
 * The folded sufficient statistics of one experiment: one array per metric (metric_index order),
 * one row per variation in definition order (zeros when unseen). Read inside the caller's scope.
 */
export async function readFoldedStats(
  db: Queryable,
  q: { experimentId: string; variations: readonly string[]; metricCount: number },
): Promise<SufficientStats[][]> {
  const res = await db.query<{
    variation: string;
    metric_index: number;
    n: string;
    sum: number;
    sum_squares: number;
  }>(
    `SELECT variation, metric_index, n::text AS n, sum::float8 AS sum, sum_squares::float8 AS sum_squares
       FROM experiment_stats WHERE experiment_id = $1`,
    [q.experimentId],
  );
  const byKey = new Map(res.rows.map((r) => [`${r.metric_index}\u0000${r.variation}`, r]));
  return Array.from({ length: q.metricCount }, (_, i) =>
    q.variations.map((variation) => {
      const r = byKey.get(`${i}\u0000${variation}`);
      return { variation, n: Number(r?.n ?? 0), sum: r?.sum ?? 0, sumSquares: r?.sum_squares ?? 0 };
    }),
  );
}

/** New exposed subjects per day over [since, until): the current traffic for "about D more days". */
export async function dailyNewSubjects(
  db: Queryable,
  q: { experimentId: string; since: Date; until: Date },
): Promise<number> {
  const res = await db.query<{ subjects: number }>(
    `SELECT count(*)::integer AS subjects FROM experiment_subjects
      WHERE experiment_id = $1 AND exposed_at >= $2 AND exposed_at < $3`,
    [q.experimentId, q.since, q.until],
  );
  const days = Math.max((q.until.getTime() - q.since.getTime()) / 86_400_000, 1 / 24);
  return (res.rows[0]?.subjects ?? 0) / days;
}
