import type { Db, Scope } from '../db/types.ts';

export interface DomainRow {
  id: string;
  host: string;
  name: string;
  kind: string;
  status: string;
  created_at: Date;
}

// No scope filter here on purpose: row-level security decides which rows the caller gets.
const LIST_DOMAINS_SQL = `
  SELECT id, host, name, kind, status, created_at
    FROM domains
   WHERE archived_at IS NULL
   ORDER BY host`;

export async function listVisibleDomains(db: Db, scope: Scope): Promise<DomainRow[]> {
  const res = await db.transaction((tx) => tx.query<DomainRow>(LIST_DOMAINS_SQL), { scope });
  return res.rows;
}
