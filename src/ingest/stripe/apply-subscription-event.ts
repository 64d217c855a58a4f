import { z } from 'zod';
import type { Tx } from '../../db/types.ts';
import { loadEurRates } from '../revenue/currency-rates.sql.ts';
import { centsOfNumeric, formatCents } from '../revenue/money.ts';
import { newerEventApplied } from './stripe-events.sql.ts';
import { dateOf, refId, type StripeEvent, StripeSubscription } from './stripe-objects.ts';
import { type EventResult, objectOf, unknownCurrency } from './stripe-revenue.ts';
import {
  mapSubscriptionStatus,
  mrrEurCents,
  type PricedItem,
  planName,
  type SubscriptionStatus,
} from './subscription-mrr.ts';
import {
  insertSubscriptionChange,
  lockSubscription,
  selectSubscriptionState,
  upsertSubscription,
} from './upsert-subscription.sql.ts';

// Fields only the history reads; other readers of the subscription object do not need them.
const HistoryFields = z.looseObject({
  trial_end: z.int().nonnegative().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

/**
 * customer.subscription.created|updated|deleted: the subscription row mirrors Stripe's latest
 * state. Events may arrive out of order, so one older than an already applied event is stale.
 * mrr_eur keeps the plan's monthly value whatever the status: MRR sums active and past_due rows.
 * A change of counted MRR is appended to subscription_changes in the same transaction.
 */
export async function applySubscriptionEvent(
  tx: Tx,
  input: { domainId: string; event: StripeEvent },
): Promise<EventResult> {
  const { domainId, event } = input;
  const sub = objectOf(StripeSubscription, event);
  const created = dateOf(event.created);
  await lockSubscription(tx, { domainId, externalId: sub.id });
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
  const extra = HistoryFields.safeParse(sub);
  const trialEnd = extra.success && extra.data.trial_end ? dateOf(extra.data.trial_end) : null;
  const channelValue = extra.success ? extra.data.metadata?.channel : undefined;
  const channel = typeof channelValue === 'string' ? channelValue.trim().slice(0, 100) || null : null;
  const customerId = refId(sub.customer);
  const mrrCents = mrrEurCents(items, currency, rate);
  const startedAt = dateOf(sub.start_date ?? sub.created);
  const canceledAt =
    status === 'canceled' && endedAt ? dateOf(endedAt) : status === 'canceled' ? created : null;

  const previous = await selectSubscriptionState(tx, { domainId, externalId: sub.id });
  const subscriptionId = await upsertSubscription(tx, {
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
    mrrEur: formatCents(mrrCents),
    currency,
    startedAt,
    currentPeriodEnd: periodEnd ? dateOf(periodEnd) : null,
    canceledAt,
    customerId,
    channel,
  });
  const changes = subscriptionHistory({
    previous: previous && {
      status: previous.status,
      mrrCents: centsOfNumeric(previous.mrrEur),
      lastChangeAt: previous.lastChangeAt,
    },
    next: { status, mrrCents },
    eventAt: created,
    stripeStatus: sub.status,
    startedAt,
    trialEnd,
    endedAt: canceledAt,
  });
  for (const c of changes) {
    await insertSubscriptionChange(tx, {
      domainId,
      subscriptionId,
      customerId,
      at: c.at,
      mrrBefore: formatCents(c.mrrBefore),
      mrrAfter: formatCents(c.mrrAfter),
      statusBefore: c.statusBefore,
      statusAfter: c.statusAfter,
      eventId: event.id,
    });
  }
  return { outcome: 'applied' };
}

/** MRR that counts toward the portfolio's MRR: active and past_due subscriptions (ADR 0008). */
export function countedMrrCents(status: SubscriptionStatus, mrrCents: bigint): bigint {
  return status === 'active' || status === 'past_due' ? mrrCents : 0n;
}

export interface HistoryInput {
  /** The stored state before this event; null when the subscription is seen for the first time. */
  previous: { status: SubscriptionStatus; mrrCents: bigint; lastChangeAt: Date | null } | null;
  next: { status: SubscriptionStatus; mrrCents: bigint };
  eventAt: Date;
  /** Stripe's own status: `incomplete_expired` also maps to canceled but never paid. */
  stripeStatus: string;
  startedAt: Date;
  trialEnd: Date | null;
  endedAt: Date | null;
}

export interface HistoryChange {
  at: Date;
  mrrBefore: bigint;
  mrrAfter: bigint;
  statusBefore: SubscriptionStatus | null;
  statusAfter: SubscriptionStatus;
}

/**
 * The history rows one applied event adds. A known subscription: one row when its counted MRR
 * changes, at the event's time (never before its last row, so rows stay ordered). A subscription
 * seen for the first time (webhook connected late, or `created` arriving after a later event):
 * it has paid since its trial ended (or it started); a first sight as canceled replays that
 * paid stretch up to the end, so an out-of-order `deleted` still counts the customer's new and churn.
 */
export function subscriptionHistory(input: HistoryInput): HistoryChange[] {
  const { previous, next, eventAt } = input;
  const after = countedMrrCents(next.status, next.mrrCents);
  if (previous) {
    const before = countedMrrCents(previous.status, previous.mrrCents);
    if (before === after) return [];
    const last = previous.lastChangeAt;
    const at = last ? later(last, eventAt) : eventAt;
    return [
      { at, mrrBefore: before, mrrAfter: after, statusBefore: previous.status, statusAfter: next.status },
    ];
  }
  const trialEnd = input.trialEnd;
  const paidFrom = trialEnd ? later(trialEnd, input.startedAt) : input.startedAt;
  if (after > 0n) {
    const at = earlier(paidFrom, eventAt);
    return [{ at, mrrBefore: 0n, mrrAfter: after, statusBefore: null, statusAfter: next.status }];
  }
  const ended = input.endedAt ? earlier(input.endedAt, eventAt) : eventAt;
  if (
    next.status === 'canceled' &&
    input.stripeStatus === 'canceled' &&
    next.mrrCents > 0n &&
    paidFrom < ended
  ) {
    return [
      { at: paidFrom, mrrBefore: 0n, mrrAfter: next.mrrCents, statusBefore: null, statusAfter: 'active' },
      { at: ended, mrrBefore: next.mrrCents, mrrAfter: 0n, statusBefore: 'active', statusAfter: 'canceled' },
    ];
  }
  return [];
}

const earlier = (a: Date, b: Date): Date => (a.getTime() <= b.getTime() ? a : b);
const later = (a: Date, b: Date): Date => (a.getTime() >= b.getTime() ? a : b);
