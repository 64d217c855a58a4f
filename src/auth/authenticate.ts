import type { Db, Scope } from '../db/types.ts';
import type { Actor, OperatorRole } from './actor.ts';
import { hashToken, tokenKind } from './tokens.ts';

interface CredentialRow {
  credential_id: string;
  operator_id: string;
  email: string;
  role: OperatorRole;
  all_domains: boolean;
  domain_ids: string[];
  stale: boolean;
}

// Lookups run before the caller's scope is known, so they use the owning connection, not RLS.
const FIND_OPERATOR_CREDENTIAL = `
  SELECT c.id AS credential_id, o.id AS operator_id, o.email, o.role, o.all_domains,
         coalesce(array_agg(od.domain_id) FILTER (WHERE od.domain_id IS NOT NULL), '{}') AS domain_ids,
         (c.last_used_at IS NULL OR c.last_used_at < $3::timestamptz - interval '1 minute') AS stale
    FROM operator_credentials c
    JOIN operators o ON o.id = c.operator_id
    LEFT JOIN operator_domains od ON od.operator_id = o.id
   WHERE c.token_hash = $1 AND c.kind = ANY ($2::text[]) AND c.revoked_at IS NULL
     AND (c.expires_at IS NULL OR c.expires_at > $3::timestamptz)
   GROUP BY c.id, o.id`;

const FIND_API_KEY = `
  SELECT k.id, k.kind, k.domain_id,
         (k.last_used_at IS NULL OR k.last_used_at < $2::timestamptz - interval '1 minute') AS stale
    FROM api_keys k JOIN domains d ON d.id = k.domain_id
   WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND d.archived_at IS NULL`;

function operatorScope(row: CredentialRow): Scope {
  return row.all_domains ? { kind: 'all' } : { kind: 'domains', domainIds: row.domain_ids };
}

async function findOperator(db: Db, hash: string, kinds: string[], now: Date): Promise<Actor | null> {
  const res = await db.query<CredentialRow>(FIND_OPERATOR_CREDENTIAL, [hash, kinds, now]);
  const row = res.rows[0];
  if (!row) return null;
  if (row.stale) {
    await db.query('UPDATE operator_credentials SET last_used_at = $2 WHERE id = $1', [
      row.credential_id,
      now,
    ]);
  }
  return {
    kind: 'operator',
    operatorId: row.operator_id,
    email: row.email,
    role: row.role,
    scope: operatorScope(row),
  };
}

/** Resolves a bearer token (operator token or domain API key) to an actor, or null when unknown. */
export async function authenticateBearer(db: Db, token: string, now: Date): Promise<Actor | null> {
  const kind = tokenKind(token);
  const hash = hashToken(token);
  if (kind === 'pk' || kind === 'sk') {
    const res = await db.query<{ id: string; kind: 'public' | 'secret'; domain_id: string; stale: boolean }>(
      FIND_API_KEY,
      [hash, now],
    );
    const key = res.rows[0];
    if (!key) return null;
    if (key.stale) await db.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [key.id, now]);
    return {
      kind: 'api_key',
      keyId: key.id,
      keyKind: key.kind,
      domainId: key.domain_id,
      scope: { kind: 'domains', domainIds: [key.domain_id] },
    };
  }
  if (kind === 'sess') return null; // sessions travel in the cookie only
  return findOperator(db, hash, ['token'], now);
}

export function authenticateSession(db: Db, sessionToken: string, now: Date): Promise<Actor | null> {
  if (tokenKind(sessionToken) !== 'sess') return Promise.resolve(null);
  return findOperator(db, hashToken(sessionToken), ['session'], now);
}
