import type { Queryable } from '../../db/types.ts';

export interface NewUserSession {
  userId: string;
  tokenHash: string;
  method: 'siwe' | 'api_key';
  walletAddress: string | null;
  apiKeyId: string | null;
  domainId: string | null;
  now: Date;
  expiresAt: Date;
}

export async function insertUserSession(q: Queryable, s: NewUserSession): Promise<string> {
  const res = await q.query<{ id: string }>(
    `INSERT INTO user_sessions (user_id, token_hash, method, wallet_address, api_key_id, domain_id, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [s.userId, s.tokenHash, s.method, s.walletAddress, s.apiKeyId, s.domainId, s.now, s.expiresAt],
  );
  return (res.rows[0] as { id: string }).id;
}

export interface LiveSessionRow {
  id: string;
  user_id: string;
  expires_at: Date;
  stale: boolean;
}

// A token dies with its expiry, its revocation, its user's deactivation or its issuing key's revocation.
const FIND_LIVE_SESSION = `
  SELECT s.id, s.user_id, s.expires_at,
         (s.last_used_at IS NULL OR s.last_used_at < $2::timestamptz - interval '1 minute') AS stale
    FROM user_sessions s
    JOIN users u ON u.id = s.user_id
    LEFT JOIN api_keys k ON k.id = s.api_key_id
   WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2::timestamptz AND u.is_active
     AND (s.api_key_id IS NULL OR k.revoked_at IS NULL)`;

export async function findLiveSession(
  q: Queryable,
  tokenHash: string,
  now: Date,
): Promise<LiveSessionRow | null> {
  const res = await q.query<LiveSessionRow>(FIND_LIVE_SESSION, [tokenHash, now]);
  return res.rows[0] ?? null;
}

export async function touchSession(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query('UPDATE user_sessions SET last_used_at = $2 WHERE id = $1', [id, now]);
}

export async function revokeSession(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query('UPDATE user_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, now]);
}
