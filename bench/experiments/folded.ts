// The experiments of the benchmark as rows of `experiments` (so the fold takes them), and the read
// of every experiment's folded statistics in one statement.
import type { Db } from '../../src/db/types.ts';
import { Experiment } from '../../src/experiments/experiment-schema.ts';
import type { SufficientStats } from '../../src/experiments/sufficient-stats.sql.ts';
import { type BenchExperiment, METRICS, VARIATIONS } from './definitions.ts';

/** Inserts the benchmark's experiments as running since `from` (once: existing keys are kept). */
export async function insertBenchExperiments(
  db: Db,
  experiments: readonly BenchExperiment[],
  from: Date,
): Promise<void> {
  const hosts = await db.query<{ id: string; host: string }>('SELECT id, host FROM domains');
  const hostOf = new Map(hosts.rows.map((r) => [r.id, r.host]));
  const [primary, ...secondary] = METRICS;
  await db.transaction(async (tx) => {
    for (const e of experiments) {
      const definition = Experiment.parse({
        key: e.key,
        name: e.key,
        domains: e.domainIds.map((id) => hostOf.get(id)),
        variations: VARIATIONS.map((key) => ({ key, name: key, weight: 1 / VARIATIONS.length })),
        metrics: { primary, secondary },
      });
      await tx.query(
        `INSERT INTO experiments (key, domain_ids, definition, status, source, started_at, created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, 'running', 'api', $4, 'bench', $4, 'bench', $4)
         ON CONFLICT (key) DO NOTHING`,
        [e.key, e.domainIds, JSON.stringify(definition), from],
      );
    }
  });
}

/** key → one SufficientStats[] per metric, variations in definition order (zeros when unseen). */
export async function readAllFoldedStats(
  db: Db,
  experiments: readonly BenchExperiment[],
): Promise<Map<string, SufficientStats[][]>> {
  // One row of JSON text: 12,000 rows one by one cost PGlite's worker more than the statement.
  const res = await db.query<{ doc: string | null }>(
    `SELECT json_agg(json_build_array(e.key, s.variation, s.metric_index, s.n, s.sum::float8, s.sum_squares::float8))::text AS doc
       FROM experiment_stats s JOIN experiments e ON e.id = s.experiment_id`,
  );
  const list = JSON.parse(res.rows[0]?.doc ?? '[]') as [string, string, number, number, number, number][];
  const rows = new Map(
    list.map((r) => [`${r[0]}\u0000${r[2]}\u0000${r[1]}`, { n: r[3], sum: r[4], sum_squares: r[5] }]),
  );
  const out = new Map<string, SufficientStats[][]>();
  for (const e of experiments)
    out.set(
      e.key,
      METRICS.map((_, i) =>
        e.variations.map((variation) => {
          const r = rows.get(`${e.key}\u0000${i}\u0000${variation}`);
          return { variation, n: r?.n ?? 0, sum: r?.sum ?? 0, sumSquares: r?.sum_squares ?? 0 };
        }),
      ),
    );
  return out;
}
