import { z } from 'zod';
import type { Actor } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import type { Tx } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import { applyCheckoutEvent, applyInvoiceEvent, applyRefundEvent } from './apply-payment-events.ts';
import { applySubscriptionEvent } from './apply-subscription-event.ts';
import { findStripeEndpoint } from './stripe-endpoints.sql.ts';
import { claimStripeEvent, setStripeEventOutcome } from './stripe-events.sql.ts';
import { dateOf, StripeEvent } from './stripe-objects.ts';
import type { EventResult } from './stripe-revenue.ts';
import { verifyStripeSignature } from './verify-signature.ts';

export const WebhookReceipt = z.object({
  received: z.literal(true),
  duplicate: z.boolean().describe('true: this event was already received; nothing changed'),
  outcome: z
    .enum(['applied', 'ignored', 'stale', 'conflict', 'duplicate'])
    .describe('ignored: an event type or object we do not record; stale: older than what is recorded'),
  detail: z.string().optional(),
});
export type WebhookReceipt = z.infer<typeof WebhookReceipt>;

type Handler = (tx: Tx, input: { domainId: string; event: StripeEvent }) => Promise<EventResult>;

const HANDLERS: Record<string, Handler> = {
  'customer.subscription.created': applySubscriptionEvent,
  'customer.subscription.updated': applySubscriptionEvent,
  'customer.subscription.deleted': applySubscriptionEvent,
  'invoice.paid': applyInvoiceEvent,
  'invoice.payment_failed': applyInvoiceEvent,
  'charge.refunded': applyRefundEvent,
  'checkout.session.completed': applyCheckoutEvent,
  'checkout.session.async_payment_succeeded': applyCheckoutEvent,
  'checkout.session.async_payment_failed': applyCheckoutEvent,
};

// One message whether the domain is unknown or has no endpoint: a caller learns nothing about which.
const NOT_CONFIGURED = 'no Stripe webhook endpoint is configured for this domain';

/**
 * Verifies and applies one Stripe delivery. The event id is recorded in the transaction that
 * applies it, so a redelivery changes nothing. Returning normally means 2xx, and Stripe stops
 * retrying; errors (bad signature, unknown currency) make Stripe retry later.
 */
export async function receiveStripeWebhook({
  ctx,
  input,
}: {
  ctx: Pick<Ctx, 'db' | 'now'>;
  input: { domain: string; signature: string | undefined; payload: Buffer };
}): Promise<WebhookReceipt> {
  const endpoint = await findStripeEndpoint(ctx.db, input.domain.toLowerCase());
  if (!endpoint) throw new AppError('not_found', NOT_CONFIGURED);
  const check = verifyStripeSignature({
    header: input.signature,
    payload: input.payload,
    secret: endpoint.secret,
    now: ctx.now,
  });
  if (!check.ok) throw new AppError('invalid_request', check.reason, 'headers.stripe-signature');
  const event = parseEvent(input.payload);
  const actor: Actor = {
    kind: 'system',
    name: 'stripe-webhook',
    scope: { kind: 'domains', domainIds: [endpoint.domainId] },
  };
  return ctx.db.transaction(
    async (tx) => {
      const domainId = endpoint.domainId;
      const claimed = await claimStripeEvent(tx, {
        domainId,
        eventId: event.id,
        type: event.type,
        objectId: event.data.object.id ?? null,
        created: dateOf(event.created),
      });
      if (!claimed) return { received: true, duplicate: true, outcome: 'duplicate' };
      const handler = HANDLERS[event.type];
      const result: EventResult = handler
        ? await handler(tx, { domainId, event })
        : { outcome: 'ignored', detail: `event type ${event.type} is not recorded` };
      const stored = result.outcome === 'applied' ? 'applied' : `${result.outcome}: ${result.detail ?? ''}`;
      await setStripeEventOutcome(tx, { domainId, eventId: event.id, outcome: stored });
      return { received: true, duplicate: false, ...result };
    },
    { scope: actor.scope },
  );
}

function parseEvent(payload: Buffer): StripeEvent {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new AppError('invalid_request', 'the body is not JSON', 'body');
  }
  const parsed = StripeEvent.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['body', ...(issue?.path ?? []).map(String)].join('.');
    throw new AppError(
      'invalid_request',
      `not a Stripe event: ${path}: ${issue?.message ?? 'invalid'}`,
      path,
    );
  }
  return parsed.data;
}
