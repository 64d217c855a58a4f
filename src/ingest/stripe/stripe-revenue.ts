import type { z } from 'zod';
import type { Tx } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import { type RevenueEntry, writeRevenueEntries } from '../revenue/write-revenue-entries.ts';
import type { StripeEvent } from './stripe-objects.ts';

/** What became of an event: applied, or why not. Only `applied` changes anything. */
export interface EventResult {
  outcome: 'applied' | 'ignored' | 'stale' | 'conflict';
  detail?: string;
}

export const STRIPE_SOURCE = 'stripe';

/** The event's object, validated; a malformed one is a 400 naming the field (Stripe retries). */
export function objectOf<S extends z.ZodType>(schema: S, event: StripeEvent): z.infer<S> {
  const parsed = schema.safeParse(event.data.object);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = ['body', 'data', 'object', ...(issue?.path ?? []).map(String)].join('.');
  throw new AppError('invalid_request', `${event.type}: ${path}: ${issue?.message ?? 'invalid'}`, path);
}

export function unknownCurrency(currency: string): AppError {
  return new AppError(
    'invalid_request',
    `unknown currency ${currency}: add its rate to currency_rates; Stripe retries the event`,
    'body.data.object.currency',
  );
}

/**
 * Records one revenue row from a Stripe object. A status that would move backwards means an
 * older event arrived after a newer one: stale, not an error — Stripe must not retry it forever.
 * An unknown currency is an error, so Stripe retries once the rate is added.
 */
export async function recordStripeRevenue(tx: Tx, entry: RevenueEntry): Promise<EventResult> {
  const [outcome] = await writeRevenueEntries(tx, [entry]);
  if (!outcome) throw new Error('no outcome for the entry');
  switch (outcome.result) {
    case 'created':
    case 'updated':
      return { outcome: 'applied' };
    case 'duplicate':
      return { outcome: 'ignored', detail: 'already recorded with this status' };
    case 'rejected':
      if (outcome.field === 'currency') throw unknownCurrency(entry.currency);
      if (outcome.field === 'status') return { outcome: 'stale', detail: outcome.message };
      return { outcome: 'conflict', detail: outcome.message };
  }
}

export function stripeMetadata(
  event: StripeEvent,
  refs: Record<string, string | null>,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = { stripeEvent: event.id, livemode: event.livemode ?? null };
  for (const [key, value] of Object.entries(refs)) if (value) metadata[key] = value;
  return metadata;
}
