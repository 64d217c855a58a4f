import type { Queryable } from '../db/types.ts';
import { AppError } from '../shared/app-error.ts';

/** Maps hosts to domain ids inside the caller's scope; an unknown or out-of-scope host is the same 404. */
export async function resolveDomainIds(
  tx: Queryable,
  hosts: readonly string[],
  field: string,
): Promise<string[]> {
  if (hosts.length === 0) return [];
  const res = await tx.query<{ id: string; host: string }>(
    'SELECT id, host FROM domains WHERE host = ANY ($1::text[]) AND archived_at IS NULL',
    [hosts],
  );
  const byHost = new Map(res.rows.map((r) => [r.host, r.id]));
  const missing = hosts.filter((h) => !byHost.has(h));
  if (missing.length > 0) {
    throw new AppError(
      'not_found',
      `unknown domain: ${missing.join(', ')} (not in the portfolio, or not in your scope)`,
      field,
    );
  }
  return hosts.map((h) => byHost.get(h) as string);
}
