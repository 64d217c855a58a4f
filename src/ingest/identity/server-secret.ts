import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/types.ts';

const cache = new WeakMap<Db, Map<string, Promise<string>>>();

/**
 * A random key the server keeps for itself in the database (shared by every instance), created on
 * first use and then remembered per database, so requests do not query it each time.
 */
export function serverSecret(db: Db, name: string): Promise<string> {
  let secrets = cache.get(db);
  if (!secrets) {
    secrets = new Map();
    cache.set(db, secrets);
  }
  let secret = secrets.get(name);
  if (!secret) {
    secret = loadOrCreate(db, name);
    secrets.set(name, secret);
    // A failed load must not be remembered.
    secret.catch(() => secrets?.delete(name));
  }
  return secret;
}

async function loadOrCreate(db: Db, name: string): Promise<string> {
  await db.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('base64url'),
  ]);
  const res = await db.query<{ value: string }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
  return (res.rows[0] as { value: string }).value;
}
