import type { Queryable } from '../db/types.ts';

/** Inserts domains directly (tests that do not need a portfolio file); returns host → id. */
export async function insertDomains(db: Queryable, hosts: string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const host of hosts) {
    const res = await db.query<{ id: string }>(
      "INSERT INTO domains (host, name, kind) VALUES ($1, $1, 'other') RETURNING id",
      [host],
    );
    ids[host] = (res.rows[0] as { id: string }).id;
  }
  return ids;
}
