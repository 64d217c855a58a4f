import type { Db } from '../../db/types.ts';
import type { WalletOut } from '../wallets/api-schemas.ts';
import { listUserWallets } from '../wallets/wallets.sql.ts';
import type { UserPrincipal } from './requester.ts';
import { revokeSession } from './user-sessions.sql.ts';

export interface MeOut {
  userId: string;
  wallets: WalletOut[];
  session: { expiresAt: string };
}

/** `GET /api/v1/me`: the signed-in user's id and wallets (the payout wallet marked), nothing else. */
export async function getMe({ ctx }: { ctx: { db: Db; user: UserPrincipal } }): Promise<MeOut> {
  const rows = await listUserWallets(ctx.db, ctx.user.userId);
  // listUserWallets orders the first verified wallet first: that one is the payout wallet.
  const payout = rows[0]?.verified_at ? rows[0].address : null;
  return {
    userId: ctx.user.userId,
    wallets: rows.map((w) => ({
      address: w.address,
      chainId: w.chain_id,
      verifiedAt: w.verified_at?.toISOString() ?? null,
      payout: w.address === payout,
    })),
    session: { expiresAt: ctx.user.expiresAt.toISOString() },
  };
}

/** `DELETE /api/v1/me/session`: the token the request came with stops working at once. */
export async function endUserSession({ ctx }: { ctx: { db: Db; user: UserPrincipal; now: Date } }) {
  await revokeSession(ctx.db, ctx.user.sessionId, ctx.now);
}
