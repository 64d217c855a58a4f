import type { Db, Queryable } from '../../db/types.ts';

/**
 * The endpoint of a domain, with its signing secret. Runs on the owning connection: a webhook has
 * no credential, so its scope is known only once the signature proves who sent it.
 */
export async function findStripeEndpoint(
  db: Db,
  host: string,
): Promise<{ domainId: string; secret: string } | null> {
  const res = await db.query<{ domain_id: string; secret: string }>(
    `SELECT e.domain_id, e.secret
       FROM stripe_endpoints e JOIN domains d ON d.id = e.domain_id
      WHERE d.host = $1 AND d.archived_at IS NULL`,
    [host],
  );
  const row = res.rows[0];
  return row ? { domainId: row.domain_id, secret: row.secret } : null;
}

/** Sets or replaces the secret; the app role cannot read secrets back, only whether one existed. */
export async function saveStripeSecret(
  tx: Queryable,
  input: { domainId: string; secret: string; actor: string },
): Promise<{ rotated: boolean; updatedAt: Date }> {
  const updated = await tx.query<{ updated_at: Date }>(
    `UPDATE stripe_endpoints SET secret = $2, created_by = $3, updated_at = now()
      WHERE domain_id = $1 RETURNING updated_at`,
    [input.domainId, input.secret, input.actor],
  );
  if (updated.rows[0]) return { rotated: true, updatedAt: updated.rows[0].updated_at };
  const inserted = await tx.query<{ updated_at: Date }>(
    `INSERT INTO stripe_endpoints (domain_id, secret, created_by) VALUES ($1, $2, $3) RETURNING updated_at`,
    [input.domainId, input.secret, input.actor],
  );
  return { rotated: false, updatedAt: (inserted.rows[0] as { updated_at: Date }).updated_at };
}

export async function deleteStripeSecret(tx: Queryable, domainId: string): Promise<boolean> {
  const res = await tx.query('DELETE FROM stripe_endpoints WHERE domain_id = $1 RETURNING domain_id', [
    domainId,
  ]);
  return res.rowCount > 0;
}
