import type { Queryable } from '../../db/types.ts';

/** Grows a cumulative refund row; its currency and rate stay those of its first recording. */
export async function updateRefundAmount(
  tx: Queryable,
  input: { id: string; amount: string; amountEur: string },
): Promise<void> {
  await tx.query('UPDATE revenue SET amount = $2, amount_eur = $3, updated_at = now() WHERE id = $1', [
    input.id,
    input.amount,
    input.amountEur,
  ]);
}
