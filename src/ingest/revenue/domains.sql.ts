import type { Queryable } from '../../db/types.ts';

/** host → id of the active domains among `hosts` that the transaction's scope can see. */
export async function visibleDomainIds(
  tx: Queryable,
  hosts: readonly string[],
): Promise<Map<string, string>> {
  if (hosts.length === 0) return new Map();
  const res = await tx.query<{ id: string; host: string }>(
    'SELECT id, host FROM domains WHERE host = ANY ($1::text[]) AND archived_at IS NULL',
    [[...new Set(hosts)]],
  );
  return new Map(res.rows.map((r) => [r.host, r.id]));
}

export async function hostOfDomain(tx: Queryable, domainId: string): Promise<string | null> {
  const res = await tx.query<{ host: string }>('SELECT host FROM domains WHERE id = $1', [domainId]);
  return res.rows[0]?.host ?? null;
}
