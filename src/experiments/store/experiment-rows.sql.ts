import type { Queryable } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import { Experiment, type ExperimentStatus } from '../experiment-schema.ts';

/** One row of `experiments` (migration 0016) as the verbs read it. */
export interface ExperimentRow {
  id: string;
  key: string;
  domain_ids: string[];
  definition: unknown;
  status: ExperimentStatus;
  source: 'portfolio' | 'api';
  started_at: Date | null;
  stopped_at: Date | null;
  stop_reason: string | null;
  shipped_variation: string | null;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
}

export const EXPERIMENT_COLUMNS = `id, key, domain_ids, definition, status, source, started_at, stopped_at,
  stop_reason, shipped_variation, created_by, created_at, updated_by, updated_at`;

/** The row of `key` the transaction's scope may see, locked for update when asked; 404 otherwise. */
export async function findExperiment(
  tx: Queryable,
  key: string,
  options: { forUpdate?: boolean } = {},
): Promise<ExperimentRow> {
  const res = await tx.query<ExperimentRow>(
    `SELECT ${EXPERIMENT_COLUMNS} FROM experiments WHERE key = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [key],
  );
  const row = res.rows[0];
  if (!row) throw new AppError('not_found', `no experiment "${key}" (or not in your scope)`, 'key');
  return row;
}

/** The stored definition, parsed again so later schema defaults apply to older rows. */
export function definitionOf(row: ExperimentRow): Experiment {
  return Experiment.parse(row.definition);
}

/** Host → id for every host of the definition, all visible to the scope; 400 naming the first missing. */
export async function resolveDomainIds(tx: Queryable, hosts: readonly string[]): Promise<string[]> {
  const res = await tx.query<{ id: string; host: string }>(
    'SELECT id, host FROM domains WHERE host = ANY ($1::text[])',
    [hosts],
  );
  const byHost = new Map(res.rows.map((r) => [r.host, r.id]));
  const ids: string[] = [];
  for (const [i, host] of hosts.entries()) {
    const id = byHost.get(host);
    if (!id)
      throw new AppError(
        'invalid_request',
        `unknown domain "${host}" (or not in your scope)`,
        `domains.${i}`,
      );
    ids.push(id);
  }
  return ids;
}

export async function insertStatusHistory(
  tx: Queryable,
  entry: {
    experimentId: string;
    from: ExperimentStatus | null;
    to: ExperimentStatus;
    at: Date;
    actor: string;
    reason?: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO experiment_status_history (experiment_id, from_status, to_status, at, actor, reason, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      entry.experimentId,
      entry.from,
      entry.to,
      entry.at,
      entry.actor,
      entry.reason ?? null,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}
