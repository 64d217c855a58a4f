import type { Queryable } from '../../db/types.ts';

/**
 * The address a user's rewards are minted to: its first verified wallet (ADR 0013), lowercase,
 * or null while it has none (its ledger entries then wait as awaiting_wallet). Batch readers
 * join the view user_payout_wallets (migration 0019), which this reads.
 */
export async function payoutWallet(db: Queryable, userId: string): Promise<`0x${string}` | null> {
  const res = await db.query<{ address: `0x${string}` }>(
    'SELECT address FROM user_payout_wallets WHERE user_id = $1',
    [userId],
  );
  return res.rows[0]?.address ?? null;
}
