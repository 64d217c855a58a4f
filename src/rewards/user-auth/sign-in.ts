import type { SiweSubmission } from '../wallets/api-schemas.ts';
import { consumeNonce } from '../wallets/consume-nonce.ts';
import { siweError } from '../wallets/siwe-message.ts';
import { verifySiweSubmission } from '../wallets/verify-signature.ts';
import type { SiweCtx } from '../wallets/wallet-ctx.ts';
import { walletOwner } from '../wallets/wallets.sql.ts';
import { createUserToken, type IssuedUserToken } from './issue-user-token.ts';
import { DEFAULT_USER_TOKEN_TTL_MS } from './user-tokens.ts';

/**
 * `POST /api/v1/me/sign-in`: a SIWE message signed by a wallet already linked (verified) to an
 * active user, over a sign-in nonce, gives that user a token. The nonce is spent with the token.
 */
export async function signInWithEthereum({
  ctx,
  input,
}: {
  ctx: SiweCtx & { userTokenTtlMs?: number | undefined };
  input: SiweSubmission;
}): Promise<IssuedUserToken & { address: string }> {
  const { message, address } = await verifySiweSubmission(ctx, input);
  return ctx.db.transaction(async (tx) => {
    await consumeNonce(tx, { nonce: message.nonce, purpose: 'sign_in', userId: null, message, now: ctx.now });
    const owner = await walletOwner(tx, address);
    const active = owner?.verified_at
      ? (await tx.query('SELECT 1 FROM users WHERE id = $1 AND is_active', [owner.user_id])).rowCount > 0
      : false;
    if (!owner?.verified_at || !active)
      throw siweError(
        'unauthenticated',
        'wallet_not_linked',
        'address',
        `${address} is not linked to an active user: link it first (POST /api/v1/wallets/link)`,
      );
    const issued = await createUserToken(tx, {
      userId: owner.user_id,
      method: 'siwe',
      walletAddress: address,
      apiKeyId: null,
      domainId: null,
      now: ctx.now,
      expiresAt: new Date(ctx.now.getTime() + (ctx.userTokenTtlMs ?? DEFAULT_USER_TOKEN_TTL_MS)),
    });
    return { ...issued, address };
  });
}
