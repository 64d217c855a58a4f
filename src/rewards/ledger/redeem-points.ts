import { randomUUID } from 'node:crypto';
import { actorLabel, requireServerWriter } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import { resolveDomainIds } from '../../auth/resolve-domains.ts';
import { AppError } from '../../shared/app-error.ts';
import { amountOf, type RedemptionInput, type RedemptionOut } from './api-schemas.ts';
import { entryBySourceKey } from './ledger-entries.sql.ts';
import { redemptionPostings } from './ledger-postings.ts';
import { formatPtf, ptfToWei } from './ptf-decimal.ts';

const INSERT_REDEMPTION_SQL = `
INSERT INTO ledger_transactions
  (id, kind, user_id, domain_id, source_key, amount_wei, total_wei, occurred_at, created_at, created_by, chain_status)
SELECT $1, 'redemption', $2, $3, $4, $5::numeric, $5::numeric, $6, $6, $7,
       CASE WHEN EXISTS (SELECT 1 FROM user_wallets w WHERE w.user_id = $2 AND w.verified_at IS NOT NULL)
            THEN 'pending' ELSE 'awaiting_wallet' END`;

const INSERT_POSTINGS_SQL = `
INSERT INTO ledger_postings (transaction_id, line_no, line, account, amount_wei, domain_id)
SELECT $1, line_no, line, account, amount_wei, $6
  FROM unnest($2::smallint[], $3::text[], $4::text[], $5::numeric[]) AS p(line_no, line, account, amount_wei)`;

/**
 * Spends `amount` of a user's points on a domain: a redemption debits the user's one balance and
 * credits the domain's redemption account. Refuses an overdraft (409, field `amount`). Idempotent
 * per (domain, idempotencyKey): a retry returns the first result; the same key with another user
 * or amount is a 409. Callable by the domain's secret key, owners and admins (within their scope),
 * and the end-user API with a system actor.
 */
export async function redeemPoints({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: RedemptionInput;
}): Promise<RedemptionOut> {
  requireServerWriter(ctx.actor);
  const amountWei = ptfToWei(input.amount);
  if (amountWei <= 0n) throw new AppError('invalid_request', 'must be more than 0', 'amount');
  return ctx.db.transaction(
    async (tx) => {
      const [domainId] = await resolveDomainIds(tx, [input.domain], 'domain');
      const user = await tx.query('SELECT 1 FROM users WHERE id = $1', [input.userId]);
      if (user.rowCount === 0)
        throw new AppError('not_found', 'unknown user (or not active on a domain in your scope)', 'userId');
      // The balance row is the user's lock: concurrent redemptions (and retries) queue here.
      const locked = await tx.query<{ balance_wei: string }>(
        'SELECT balance_wei::text AS balance_wei FROM reward_balances WHERE user_id = $1 FOR UPDATE',
        [input.userId],
      );
      const sourceKey = `redemption:${domainId}:${input.idempotencyKey}`;
      const balance = BigInt(locked.rows[0]?.balance_wei ?? '0');
      const earlier = await entryBySourceKey(tx, sourceKey);
      if (earlier) {
        if (earlier.userId !== input.userId || BigInt(earlier.amount.wei) !== amountWei)
          throw new AppError(
            'conflict',
            `idempotency key "${input.idempotencyKey}" was already used for another redemption (user ${earlier.userId}, ${earlier.amount.ptf} PTF)`,
            'idempotencyKey',
          );
        return { redemption: earlier, replayed: true, balance: amountOf(balance) };
      }
      if (amountWei > balance)
        throw new AppError(
          'conflict',
          `insufficient balance: the user has ${formatPtf(balance)} PTF, ${formatPtf(amountWei)} PTF requested`,
          'amount',
          { balance: amountOf(balance), requested: amountOf(amountWei) },
        );
      const id = randomUUID();
      await tx.query(INSERT_REDEMPTION_SQL, [
        id,
        input.userId,
        domainId,
        sourceKey,
        amountWei.toString(),
        ctx.now,
        actorLabel(ctx.actor),
      ]);
      const postings = redemptionPostings(input.userId, domainId as string, amountWei);
      await tx.query(INSERT_POSTINGS_SQL, [
        id,
        postings.map((p) => p.lineNo),
        postings.map((p) => p.line),
        postings.map((p) => p.account),
        postings.map((p) => p.amountWei.toString()),
        domainId,
      ]);
      const after = await tx.query<{ balance_wei: string }>(
        `UPDATE reward_balances SET redeemed_wei = redeemed_wei + $2::numeric, redemptions = redemptions + 1, updated_at = $3
          WHERE user_id = $1 RETURNING balance_wei::text AS balance_wei`,
        [input.userId, amountWei.toString(), ctx.now],
      );
      const redemption = await entryBySourceKey(tx, sourceKey);
      if (!redemption) throw new Error('the redemption just booked is not visible');
      return { redemption, replayed: false, balance: amountOf(after.rows[0]?.balance_wei ?? '0') };
    },
    { scope: ctx.actor.scope },
  );
}
