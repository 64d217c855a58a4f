import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/types.ts';

/** A random key the server keeps for itself in the database (shared by every instance), created on first use. */
export async function serverSecret(db: Db, name: string): Promise<string> {
  await db.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('base64url'),
  ]);
  const res = await db.query<{ value: string }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
  return (res.rows[0] as { value: string }).value;
}
