import type { Actor } from '../auth/actor.ts';
import { writeAudit } from '../auth/audit.ts';
import type { Portfolio } from '../config/portfolio-schema.ts';
import type { Tx } from '../db/types.ts';

export interface SyncSummary {
  added: string[];
  updated: string[];
  archived: string[];
  restored: string[];
}

/**
 * Makes the domains table match the portfolio file, inside the caller's transaction.
 * Domains missing from the file are archived, never deleted: their events and revenue stay.
 */
export async function syncPortfolio(
  tx: Tx,
  actor: Actor,
  input: { portfolio: Portfolio; source: string; sha256: string },
): Promise<SyncSummary> {
  const existing = await tx.query<{
    host: string;
    name: string;
    kind: string;
    status: string;
    archived: boolean;
  }>('SELECT host, name, kind, status, archived_at IS NOT NULL AS archived FROM domains');
  const before = new Map(existing.rows.map((r) => [r.host, r]));
  const summary: SyncSummary = { added: [], updated: [], archived: [], restored: [] };
  const inFile = new Set<string>();
  for (const d of input.portfolio.domains) {
    inFile.add(d.host);
    const status = d.status ?? 'active';
    const old = before.get(d.host);
    if (!old) summary.added.push(d.host);
    else if (old.archived) summary.restored.push(d.host);
    else if (old.name !== d.name || old.kind !== d.kind || old.status !== status)
      summary.updated.push(d.host);
    else continue;
    await tx.query(
      `INSERT INTO domains (host, name, kind, status) VALUES ($1, $2, $3, $4)
       ON CONFLICT (host) DO UPDATE
         SET name = EXCLUDED.name, kind = EXCLUDED.kind, status = EXCLUDED.status,
             archived_at = NULL, updated_at = now()`,
      [d.host, d.name, d.kind, status],
    );
  }
  for (const [host, row] of before) {
    if (inFile.has(host) || row.archived) continue;
    summary.archived.push(host);
    await tx.query('UPDATE domains SET archived_at = now(), updated_at = now() WHERE host = $1', [host]);
  }
  await tx.query('INSERT INTO portfolio_versions (source, sha256, document) VALUES ($1, $2, $3)', [
    input.source,
    input.sha256,
    JSON.stringify(input.portfolio),
  ]);
  await writeAudit(tx, actor, {
    action: 'portfolio.load',
    targetType: 'portfolio',
    targetId: input.sha256.slice(0, 16),
    details: { source: input.source, ...summary },
  });
  return summary;
}
