import type { Queryable } from '../../db/types.ts';
import type { SubscriptionStatus } from './subscription-mrr.ts';

// The buyer (user_id) is left alone: Stripe names only a customer id here, not a person.
const UPSERT_SUBSCRIPTION_SQL = `
INSERT INTO subscriptions (domain_id, external_id, plan, status, mrr_eur, currency, started_at,
                           current_period_end, canceled_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (domain_id, external_id) DO UPDATE
   SET plan = EXCLUDED.plan, status = EXCLUDED.status, mrr_eur = EXCLUDED.mrr_eur,
       currency = EXCLUDED.currency, started_at = EXCLUDED.started_at,
       current_period_end = EXCLUDED.current_period_end, canceled_at = EXCLUDED.canceled_at,
       updated_at = now()`;

export interface SubscriptionRow {
  domainId: string;
  externalId: string;
  plan: string;
  status: SubscriptionStatus;
  mrrEur: string;
  currency: string;
  startedAt: Date;
  currentPeriodEnd: Date | null;
  canceledAt: Date | null;
}

export async function upsertSubscription(tx: Queryable, row: SubscriptionRow): Promise<void> {
  await tx.query(UPSERT_SUBSCRIPTION_SQL, [
    row.domainId,
    row.externalId,
    row.plan,
    row.status,
    row.mrrEur,
    row.currency,
    row.startedAt,
    row.currentPeriodEnd,
    row.canceledAt,
  ]);
}
