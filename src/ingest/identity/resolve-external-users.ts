import type { Db } from '../../db/types.ts';

/** Maps a site's own user ids to our user ids, creating users the first time an id is seen. */
export async function resolveExternalUsers(
  db: Db,
  domainId: string,
  externalIds: readonly string[],
  now: Date,
): Promise<Map<string, string>> {
  const unique = [...new Set(externalIds)];
  if (unique.length === 0) return new Map();
  return db.transaction(async (tx) => {
    const known = await tx.query<{ external_id: string; user_id: string }>(
      'SELECT external_id, user_id FROM user_external_ids WHERE domain_id = $1 AND external_id = ANY ($2::text[])',
      [domainId, unique],
    );
    const map = new Map(known.rows.map((r) => [r.external_id, r.user_id]));
    for (const externalId of unique) {
      if (map.has(externalId)) continue;
      const user = await tx.query<{ id: string }>(
        'INSERT INTO users (primary_domain_id, last_seen_at) VALUES ($1, $2) RETURNING id',
        [domainId, now],
      );
      const userId = (user.rows[0] as { id: string }).id;
      // A concurrent request may have mapped the same id first: keep its user.
      const linked = await tx.query<{ user_id: string }>(
        `INSERT INTO user_external_ids (domain_id, external_id, user_id) VALUES ($1, $2, $3)
         ON CONFLICT (domain_id, external_id) DO UPDATE SET external_id = EXCLUDED.external_id
         RETURNING user_id`,
        [domainId, externalId, userId],
      );
      const finalId = (linked.rows[0] as { user_id: string }).user_id;
      await tx.query(
        `INSERT INTO user_domains (user_id, domain_id, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT (user_id, domain_id) DO NOTHING`,
        [finalId, domainId, now],
      );
      map.set(externalId, finalId);
    }
    return map;
  });
}
