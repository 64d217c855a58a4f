import type { Tx } from '../../db/types.ts';
import { loadEurRates } from '../revenue/currency-rates.sql.ts';
import { formatCents } from '../revenue/money.ts';
import { newerEventApplied } from './stripe-events.sql.ts';
import { dateOf, refId, type StripeEvent, StripeSubscription } from './stripe-objects.ts';
import { type EventResult, objectOf, unknownCurrency } from './stripe-revenue.ts';
import { mapSubscriptionStatus, mrrEurCents, type PricedItem, planName } from './subscription-mrr.ts';
import { upsertSubscription } from './upsert-subscription.sql.ts';

/**
 * customer.subscription.created|updated|deleted: the subscription row mirrors Stripe's latest
 * state. Events may arrive out of order, so one older than an already applied event is stale.
 * mrr_eur keeps the plan's monthly value whatever the status: MRR sums active and past_due rows.
 */
export async function applySubscriptionEvent(
  tx: Tx,
  input: { domainId: string; event: StripeEvent },
): Promise<EventResult> {
  const { domainId, event } = input;
  const sub = objectOf(StripeSubscription, event);
  const created = dateOf(event.created);
  if (
    await newerEventApplied(tx, { domainId, objectId: sub.id, typePrefix: 'customer.subscription.', created })
  ) {
    return { outcome: 'stale', detail: 'a newer event about this subscription was already applied' };
  }
  const status =
    event.type === 'customer.subscription.deleted' ? 'canceled' : mapSubscriptionStatus(sub.status);
  if (!status) return { outcome: 'ignored', detail: `subscription status ${sub.status} is not tracked yet` };
  const currency = sub.currency.toUpperCase();
  const rate = (await loadEurRates(tx)).get(currency);
  if (!rate) throw unknownCurrency(currency);

  const recurring = sub.items.data.filter((i) => i.price.recurring);
  const items: PricedItem[] = recurring.map((i) => ({
    unitAmount: i.price.unit_amount ?? null,
    unitAmountDecimal: i.price.unit_amount_decimal ?? null,
    quantity: i.quantity ?? 1,
    interval: i.price.recurring?.interval ?? 'month',
    intervalCount: i.price.recurring?.interval_count ?? 1,
    metered: i.price.recurring?.usage_type === 'metered',
  }));
  // Since API version 2025-03-31 the billing period lives on each item.
  const periodEnds = sub.items.data.flatMap((i) => (i.current_period_end ? [i.current_period_end] : []));
  const periodEnd = sub.current_period_end ?? (periodEnds.length > 0 ? Math.max(...periodEnds) : null);
  const endedAt = sub.ended_at ?? sub.canceled_at ?? null;

  await upsertSubscription(tx, {
    domainId,
    externalId: sub.id,
    plan: planName(
      sub.items.data.map((i) => ({
        id: i.price.id,
        nickname: i.price.nickname,
        product: refId(i.price.product),
      })),
    ),
    status,
    mrrEur: formatCents(mrrEurCents(items, currency, rate)),
    currency,
    startedAt: dateOf(sub.start_date ?? sub.created),
    currentPeriodEnd: periodEnd ? dateOf(periodEnd) : null,
    canceledAt: status === 'canceled' && endedAt ? dateOf(endedAt) : status === 'canceled' ? created : null,
  });
  return { outcome: 'applied' };
}
