import type { Queryable } from '../../db/types.ts';

export type NoncePurpose = 'link' | 'sign_in';

export interface NewNonce {
  nonceHash: string;
  purpose: NoncePurpose;
  userId: string | null;
  domainId: string | null;
  siweDomain: string;
  uri: string;
  chainId: number;
  issuedAt: Date;
  expiresAt: Date;
}

export async function insertNonce(q: Queryable, n: NewNonce): Promise<void> {
  await q.query(
    `INSERT INTO siwe_nonces (nonce_hash, purpose, user_id, domain_id, siwe_domain, uri, chain_id, issued_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [n.nonceHash, n.purpose, n.userId, n.domainId, n.siweDomain, n.uri, n.chainId, n.issuedAt, n.expiresAt],
  );
}

// Expired nonces are kept a day so a late request still hears "expired", not "unknown".
export async function purgeOldNonces(q: Queryable, now: Date): Promise<void> {
  await q.query("DELETE FROM siwe_nonces WHERE expires_at < $1::timestamptz - interval '1 day'", [now]);
}

export interface NonceRow {
  purpose: NoncePurpose;
  user_id: string | null;
  siwe_domain: string;
  uri: string;
  chain_id: number;
  expires_at: Date;
  used_at: Date | null;
}

/** Locks the nonce's row: a concurrent request with the same nonce waits, then sees it used. */
export async function lockNonce(q: Queryable, nonceHash: string): Promise<NonceRow | null> {
  const res = await q.query<NonceRow>(
    `SELECT purpose, user_id, siwe_domain, uri, chain_id, expires_at, used_at
       FROM siwe_nonces WHERE nonce_hash = $1 FOR UPDATE`,
    [nonceHash],
  );
  return res.rows[0] ?? null;
}

/** False when another transaction spent it first (the lock makes this a second line of defence). */
export async function markNonceUsed(q: Queryable, nonceHash: string, now: Date): Promise<boolean> {
  const res = await q.query('UPDATE siwe_nonces SET used_at = $2 WHERE nonce_hash = $1 AND used_at IS NULL', [
    nonceHash,
    now,
  ]);
  return res.rowCount === 1;
}
