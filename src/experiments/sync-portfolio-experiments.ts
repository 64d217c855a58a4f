import { systemActor } from '../auth/actor.ts';
import { writeAudit } from '../auth/audit.ts';
import type { Db } from '../db/types.ts';
import type { Experiment } from './experiment-schema.ts';
import { EXPERIMENT_COLUMNS, type ExperimentRow, insertStatusHistory } from './store/experiment-rows.sql.ts';

export interface SyncReport {
  created: string[];
  updated: string[];
  /** Keys kept as they are: taken by an API experiment, or no longer a draft, or unknown hosts. */
  skipped: { key: string; reason: string }[];
}

/**
 * Brings the portfolio file's experiments into the table: new ones as drafts, drafts' definitions
 * replaced. A started experiment keeps the definition it started with (its results depend on it);
 * starting, stopping and shipping stay API actions, so a reload never restarts anything.
 */
export async function syncPortfolioExperiments(
  db: Db,
  definitions: readonly Experiment[],
  now: Date,
): Promise<SyncReport> {
  const actor = systemActor('portfolio');
  const report: SyncReport = { created: [], updated: [], skipped: [] };
  if (definitions.length === 0) return report;
  await db.transaction(async (tx) => {
    for (const e of definitions) {
      const hosts = await tx.query<{ id: string; host: string }>(
        'SELECT id, host FROM domains WHERE host = ANY ($1::text[])',
        [e.domains],
      );
      const byHost = new Map(hosts.rows.map((r) => [r.host, r.id]));
      const domainIds = e.domains.map((h) => byHost.get(h));
      if (domainIds.some((id) => id === undefined)) {
        report.skipped.push({ key: e.key, reason: 'a domain is not in the database' });
        continue;
      }
      const existing = await tx.query<ExperimentRow>(
        `SELECT ${EXPERIMENT_COLUMNS} FROM experiments WHERE key = $1 FOR UPDATE`,
        [e.key],
      );
      const row = existing.rows[0];
      if (!row) {
        const res = await tx.query<{ id: string }>(
          `INSERT INTO experiments (key, domain_ids, definition, status, source, created_by, created_at, updated_by, updated_at)
           VALUES ($1, $2::uuid[], $3, 'draft', 'portfolio', 'system:portfolio', $4, 'system:portfolio', $4) RETURNING id`,
          [e.key, domainIds, JSON.stringify(e), now],
        );
        await insertStatusHistory(tx, {
          experimentId: (res.rows[0] as { id: string }).id,
          from: null,
          to: 'draft',
          at: now,
          actor: 'system:portfolio',
        });
        await writeAudit(tx, actor, {
          action: 'experiment.create',
          targetType: 'experiment',
          targetId: e.key,
          details: { source: 'portfolio' },
        });
        report.created.push(e.key);
      } else if (row.source !== 'portfolio') {
        report.skipped.push({ key: e.key, reason: 'an API experiment has this key' });
      } else if (row.status !== 'draft') {
        if (!sameJson(row.definition, e))
          report.skipped.push({ key: e.key, reason: `${row.status}: its definition is fixed` });
      } else if (!sameJson(row.definition, e)) {
        await tx.query(
          `UPDATE experiments SET definition = $2, domain_ids = $3::uuid[], updated_by = 'system:portfolio', updated_at = $4 WHERE id = $1`,
          [row.id, JSON.stringify(e), domainIds, now],
        );
        await writeAudit(tx, actor, {
          action: 'experiment.update',
          targetType: 'experiment',
          targetId: e.key,
          details: { source: 'portfolio' },
        });
        report.updated.push(e.key);
      }
    }
  });
  return report;
}

/** Equal as JSON values, whatever the key order (jsonb does not keep it). */
function sameJson(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}
