import type { Queryable } from '../../db/types.ts';
import { requesterLabel } from '../user-auth/requester.ts';
import type { LinkOut, LinkRequest } from './api-schemas.ts';
import { consumeNonce } from './consume-nonce.ts';
import { payoutWallet } from './payout-wallet.ts';
import { siweError } from './siwe-message.ts';
import { targetUser } from './target-user.ts';
import { verifySiweSubmission } from './verify-signature.ts';
import type { WalletCtx } from './wallet-ctx.ts';
import { upsertVerifiedWallet, walletOwner } from './wallets.sql.ts';

async function auditLink(
  tx: Queryable,
  ctx: WalletCtx,
  entry: { address: string; userId: string; chainId: number; previousUserId: string | null },
): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (at, actor, action, target_type, target_id, domain_id, details)
     VALUES ($1, $2, 'wallet.link', 'user_wallet', $3, $4, $5)`,
    [
      ctx.now,
      requesterLabel(ctx.requester),
      entry.address,
      ctx.requester.kind === 'domain' ? ctx.requester.domainId : null,
      JSON.stringify({ userId: entry.userId, chainId: entry.chainId, previousUserId: entry.previousUserId }),
    ],
  );
}

/**
 * Links the wallet that signed a SIWE message to the user its nonce was issued for: message
 * checks, signature (offline for keys), then in one transaction the nonce is spent and the
 * lowercase address is linked and verified. An address verified by another user is 409.
 */
export async function linkWallet({ ctx, input }: { ctx: WalletCtx; input: LinkRequest }): Promise<LinkOut> {
  const { message, address } = await verifySiweSubmission(ctx, input);
  // Unscoped on purpose, like identify: one wallet belongs to one user across every domain.
  return ctx.db.transaction(async (tx) => {
    const userId = await targetUser(tx, ctx.requester, input);
    await consumeNonce(tx, { nonce: message.nonce, purpose: 'link', userId, message, now: ctx.now });
    const before = await walletOwner(tx, address);
    const linked = await upsertVerifiedWallet(tx, {
      address,
      userId,
      chainId: message.chainId,
      now: ctx.now,
    });
    if (!linked)
      throw siweError('conflict', 'address_taken', 'address', `${address} is already linked to another user`);
    const alreadyLinked = before?.user_id === userId && before.verified_at !== null;
    if (!alreadyLinked)
      await auditLink(tx, ctx, {
        address,
        userId,
        chainId: message.chainId,
        previousUserId: before && before.user_id !== userId ? before.user_id : null,
      });
    return {
      userId,
      address,
      chainId: message.chainId,
      verifiedAt: linked.verifiedAt.toISOString(),
      payout: (await payoutWallet(tx, userId)) === address,
      alreadyLinked,
    };
  });
}
