import type { Queryable } from '../../db/types.ts';

// A proven signature takes over an address only its user, or nobody, has verified: an unverified
// row is a claim (typed in, imported), not a proof. No row back: verified by another user.
const LINK_WALLET = `
  INSERT INTO user_wallets AS w (address, user_id, chain_id, verified_at, created_at)
  VALUES ($1, $2, $3, $4, $4)
  ON CONFLICT (address) DO UPDATE
     SET user_id = EXCLUDED.user_id, chain_id = EXCLUDED.chain_id,
         verified_at = CASE WHEN w.user_id = EXCLUDED.user_id AND w.verified_at IS NOT NULL
                            THEN w.verified_at ELSE EXCLUDED.verified_at END
   WHERE w.user_id = EXCLUDED.user_id OR w.verified_at IS NULL
  RETURNING w.verified_at`;

/** Links a lowercase address to a user, verified now; null when another user verified it first. */
export async function upsertVerifiedWallet(
  q: Queryable,
  w: { address: string; userId: string; chainId: number; now: Date },
): Promise<{ verifiedAt: Date } | null> {
  const res = await q.query<{ verified_at: Date }>(LINK_WALLET, [w.address, w.userId, w.chainId, w.now]);
  const row = res.rows[0];
  return row ? { verifiedAt: row.verified_at } : null;
}

export interface WalletRow {
  address: string;
  chain_id: number | null;
  verified_at: Date | null;
}

// The first verified wallet comes first: it is the payout wallet (ties broken by address).
export const USER_WALLETS = `
  SELECT address, chain_id, verified_at FROM user_wallets WHERE user_id = $1
   ORDER BY verified_at NULLS LAST, address`;

export async function listUserWallets(q: Queryable, userId: string): Promise<WalletRow[]> {
  return (await q.query<WalletRow>(USER_WALLETS, [userId])).rows;
}

export async function walletOwner(
  q: Queryable,
  address: string,
): Promise<{ user_id: string; verified_at: Date | null } | null> {
  const res = await q.query<{ user_id: string; verified_at: Date | null }>(
    'SELECT user_id, verified_at FROM user_wallets WHERE address = $1',
    [address],
  );
  return res.rows[0] ?? null;
}
