import type { Notification } from '../notification.ts';
import type { ChannelKind, ResolvedReceiver } from './receiver-schema.ts';
import type { Lookup } from './url-guard.ts';

/** One claimed outbox row on its way out. `id` is stable across retries: receivers dedup on it. */
export interface OutboxMessage {
  id: string;
  /** 1 for the first attempt. */
  attempt: number;
  notification: Notification;
}

export interface SendContext {
  now: Date;
  /** Put into the webhook payload's `externalURL` and into links (the dashboard's public URL). */
  externalUrl: string;
  /** DNS resolution for the SSRF guard; tests inject answers. */
  lookup?: Lookup | undefined;
}

export interface DeliveryReceipt {
  /** HTTP status, or the SMTP server's answer. */
  detail: string;
}

/** Sends one message to one receiver of its kind; throws DeliveryError on failure. */
export type Sender<R extends ResolvedReceiver = ResolvedReceiver> = (
  receiver: R,
  message: OutboxMessage,
  context: SendContext,
) => Promise<DeliveryReceipt>;

export type Senders = {
  [K in ChannelKind]: Sender<Extract<ResolvedReceiver, { kind: K }>>;
};

/** A failed delivery. `permanent`: trying again cannot help (the target is refused), so no retry. */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  readonly status: number | undefined;
  constructor(message: string, options: { permanent: boolean; status?: number }) {
    super(message);
    this.name = 'DeliveryError';
    this.permanent = options.permanent;
    this.status = options.status;
  }
}

/** What the worker reports after each attempt, for counters in /metrics and for logs. */
export interface NotificationOutcome {
  id: string;
  receiver: string;
  channel: ChannelKind | string;
  /** delivered; failed = another attempt is scheduled; dead = no more attempts. */
  outcome: 'delivered' | 'failed' | 'dead';
  attempt: number;
  error?: string;
  nextAttemptAt?: Date;
}

export type OutcomeHook = (outcome: NotificationOutcome) => void;
