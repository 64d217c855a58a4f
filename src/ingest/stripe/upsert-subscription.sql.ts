import type { Queryable } from '../../db/types.ts';
import type { SubscriptionStatus } from './subscription-mrr.ts';

// The buyer (user_id) is left alone: Stripe names only a customer id here, not a person.
// A customer or channel the event leaves out keeps the value an earlier event recorded.
const UPSERT_SUBSCRIPTION_SQL = `
INSERT INTO subscriptions (domain_id, external_id, plan, status, mrr_eur, currency, started_at,
                           current_period_end, canceled_at, customer_id, channel)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (domain_id, external_id) DO UPDATE
   SET plan = EXCLUDED.plan, status = EXCLUDED.status, mrr_eur = EXCLUDED.mrr_eur,
       currency = EXCLUDED.currency, started_at = EXCLUDED.started_at,
       current_period_end = EXCLUDED.current_period_end, canceled_at = EXCLUDED.canceled_at,
       customer_id = coalesce(EXCLUDED.customer_id, subscriptions.customer_id),
       channel = coalesce(EXCLUDED.channel, subscriptions.channel),
       updated_at = now()
RETURNING id`;

// Transaction-scoped lock on one subscription: concurrent deliveries about it apply one after
// the other, so the stale check and the history's mrr_before both see the previous one's result.
const LOCK_SUBSCRIPTION_SQL = `SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))`;

const SELECT_SUBSCRIPTION_STATE_SQL = `
SELECT s.id, s.status, s.mrr_eur,
       (SELECT max(c.at) FROM subscription_changes c WHERE c.subscription_id = s.id) AS last_change_at
  FROM subscriptions s
 WHERE s.domain_id = $1 AND s.external_id = $2`;

const INSERT_SUBSCRIPTION_CHANGE_SQL = `
INSERT INTO subscription_changes (domain_id, subscription_id, customer_id, at, mrr_before, mrr_after,
                                  status_before, status_after, event_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

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
  customerId: string | null;
  channel: string | null;
}

/** Upserts the current state; returns the subscription's id. */
export async function upsertSubscription(tx: Queryable, row: SubscriptionRow): Promise<string> {
  const res = await tx.query<{ id: string }>(UPSERT_SUBSCRIPTION_SQL, [
    row.domainId,
    row.externalId,
    row.plan,
    row.status,
    row.mrrEur,
    row.currency,
    row.startedAt,
    row.currentPeriodEnd,
    row.canceledAt,
    row.customerId,
    row.channel,
  ]);
  const id = res.rows[0]?.id;
  if (!id) throw new Error('the subscription upsert returned no id');
  return id;
}

export async function lockSubscription(
  tx: Queryable,
  key: { domainId: string; externalId: string },
): Promise<void> {
  await tx.query(LOCK_SUBSCRIPTION_SQL, [key.domainId, key.externalId]);
}

export interface StoredSubscriptionState {
  id: string;
  status: SubscriptionStatus;
  mrrEur: string;
  lastChangeAt: Date | null;
}

export async function selectSubscriptionState(
  tx: Queryable,
  key: { domainId: string; externalId: string },
): Promise<StoredSubscriptionState | null> {
  const res = await tx.query<{
    id: string;
    status: SubscriptionStatus;
    mrr_eur: string;
    last_change_at: Date | null;
  }>(SELECT_SUBSCRIPTION_STATE_SQL, [key.domainId, key.externalId]);
  const r = res.rows[0];
  return r ? { id: r.id, status: r.status, mrrEur: r.mrr_eur, lastChangeAt: r.last_change_at } : null;
}

export interface SubscriptionChangeRow {
  domainId: string;
  subscriptionId: string;
  customerId: string | null;
  at: Date;
  mrrBefore: string;
  mrrAfter: string;
  statusBefore: SubscriptionStatus | null;
  statusAfter: SubscriptionStatus;
  eventId: string | null;
}

export async function insertSubscriptionChange(tx: Queryable, row: SubscriptionChangeRow): Promise<void> {
  await tx.query(INSERT_SUBSCRIPTION_CHANGE_SQL, [
    row.domainId,
    row.subscriptionId,
    row.customerId,
    row.at,
    row.mrrBefore,
    row.mrrAfter,
    row.statusBefore,
    row.statusAfter,
    row.eventId,
  ]);
}
