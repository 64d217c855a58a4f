import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/types.ts';
import { lockNonce, markNonceUsed, type NoncePurpose } from './nonces.sql.ts';
import { siweError } from './siwe-message.ts';

export function hashNonce(nonce: string): string {
  return createHash('sha256').update(nonce, 'utf8').digest('hex');
}

export interface ConsumeNonceInput {
  nonce: string;
  purpose: NoncePurpose;
  /** link: the user the request is for; the nonce must have been issued for the same user. */
  userId: string | null;
  /** What the checked message says (the nonce was issued for these). */
  message: { domain: string; uri: string; chainId: number };
  now: Date;
}

/**
 * Spends a nonce inside the caller's transaction, so the nonce is used exactly when the link or
 * sign-in it authorises commits: a replay gets 409, whatever the timing (the row is locked).
 */
export async function consumeNonce(tx: Queryable, input: ConsumeNonceInput): Promise<void> {
  const hash = hashNonce(input.nonce);
  const row = await lockNonce(tx, hash);
  if (!row)
    throw siweError(
      'invalid_request',
      'unknown_nonce',
      'nonce',
      'unknown nonce: ask this server for one (nonces are issued by the server, not chosen by the client)',
    );
  if (row.purpose !== input.purpose)
    throw siweError(
      'invalid_request',
      'wrong_purpose',
      'nonce',
      row.purpose === 'link'
        ? 'this nonce was issued for linking a wallet, not for signing in'
        : 'this nonce was issued for signing in, not for linking a wallet',
    );
  if (input.purpose === 'link' && row.user_id !== input.userId)
    throw siweError('forbidden', 'nonce_for_another_user', 'nonce', 'this nonce was issued for another user');
  const replayed = (at: Date | null) =>
    siweError(
      'conflict',
      'nonce_used',
      'nonce',
      `this message was already used${at ? ` at ${at.toISOString()}` : ''} (each nonce works once); ask for a new nonce`,
    );
  if (row.used_at) throw replayed(row.used_at);
  if (row.expires_at <= input.now)
    throw siweError(
      'invalid_request',
      'nonce_expired',
      'nonce',
      `the nonce expired at ${row.expires_at.toISOString()}; ask for a new one`,
    );
  // Settings changed between issue and use: the message matches today's settings, not the nonce's.
  if (row.siwe_domain !== input.message.domain || row.uri !== input.message.uri)
    throw siweError(
      'invalid_request',
      'wrong_domain',
      'domain',
      'the nonce was issued for another domain or URI',
    );
  if (row.chain_id !== input.message.chainId)
    throw siweError(
      'invalid_request',
      'wrong_chain',
      'chainId',
      `the nonce was issued for chain ${row.chain_id}`,
    );
  if (!(await markNonceUsed(tx, hash, input.now))) throw replayed(null);
}
