import { requireUnscopedAdmin } from '../../auth/actor.ts';
import { writeAudit } from '../../auth/audit.ts';
import type { Ctx } from '../../auth/context.ts';

export interface RetryFailedInput {
  /** Ledger transaction ids; all failed ones when omitted. */
  ids?: readonly string[];
}

const RETRY_FAILED_SQL = `
UPDATE ledger_transactions
   SET chain_status = 'pending', chain_next_attempt_at = NULL, chain_updated_at = $2
 WHERE chain_status = 'failed' AND ($1::uuid[] IS NULL OR id = ANY ($1::uuid[]))
RETURNING id`;

/**
 * Puts failed ledger transactions back in the relayer's queue once their cause is fixed (the
 * domain registered on the token, say); their attempts and last error stay for the record.
 * Audited. The contract still applies each txId once, so a retry can never pay twice.
 */
export async function retryFailedEntries({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: RetryFailedInput;
}): Promise<{ retried: string[] }> {
  requireUnscopedAdmin(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const res = await tx.query<{ id: string }>(RETRY_FAILED_SQL, [
      input.ids ? [...input.ids] : null,
      ctx.now,
    ]);
    const retried = res.rows.map((r) => r.id);
    if (retried.length > 0)
      await writeAudit(tx, ctx.actor, {
        action: 'rewards.relayer.retry_failed',
        targetType: 'ledger_transaction',
        details: { ids: retried },
      });
    return { retried };
  });
}
