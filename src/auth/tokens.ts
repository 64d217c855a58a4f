import { createHash, randomBytes } from 'node:crypto';

/**
 * Credentials are 256-bit random strings with a readable prefix saying what they are:
 *   pos_op_…  operator login token     pos_sess_… dashboard session
 *   pos_pk_…  public ingest key        pos_sk_…   secret server key
 * Only SHA-256 hashes are stored: for random secrets this long a slow hash adds nothing (ADR 0003).
 */
export type TokenKind = 'op' | 'sess' | 'pk' | 'sk';

export function generateToken(kind: TokenKind): string {
  return `pos_${kind}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What may be shown of a key after creation: its kind prefix and first characters. */
export function displayPrefix(token: string): string {
  return `${token.slice(0, token.indexOf('_', 4) + 7)}…`;
}

export function tokenKind(token: string): TokenKind | undefined {
  const m = /^pos_(op|sess|pk|sk)_[A-Za-z0-9_-]{20,}$/.exec(token);
  return m ? (m[1] as TokenKind) : undefined;
}
