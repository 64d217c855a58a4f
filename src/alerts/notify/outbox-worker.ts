import type { Db } from '../../db/types.ts';
import { deliverEmail } from './deliver-email.ts';
import { deliverSlack } from './deliver-slack.ts';
import { deliverWebhook } from './deliver-webhook.ts';
import {
  DeliveryError,
  type NotificationOutcome,
  type OutcomeHook,
  type SendContext,
  type Sender,
  type Senders,
} from './delivery.ts';
import { type ClaimedRow, claimDueNotifications, markDelivered, markFailed } from './outbox.sql.ts';
import type { ResolvedReceiver } from './receiver-schema.ts';
import { DEFAULT_RETRY_POLICY, nextAttempt, type RetryPolicy } from './retry-policy.ts';
import type { Lookup } from './url-guard.ts';

export const DEFAULT_SENDERS: Senders = { webhook: deliverWebhook, slack: deliverSlack, email: deliverEmail };

export interface OutboxRunOptions {
  now: Date;
  receivers: readonly ResolvedReceiver[];
  senders?: Partial<Senders>;
  policy?: Partial<RetryPolicy>;
  /** How long a claimed row stays with its worker before another may take it (longer than any send). */
  leaseMs?: number;
  batchSize?: number;
  /** Jitter source in [0, 1); tests pass a constant. */
  random?: () => number;
  externalUrl?: string;
  lookup?: Lookup;
  /** Called after every attempt: the server counts delivered/failed/dead per channel in /metrics. */
  onOutcome?: OutcomeHook;
}

export interface OutboxRunResult {
  claimed: number;
  delivered: number;
  failed: number;
  dead: number;
}

export const DEFAULT_LEASE_MS = 120_000;
export const DEFAULT_BATCH_SIZE = 20;

/**
 * One pass of the outbox: claims the due rows, sends each, records the outcome. Delivery is
 * at-least-once — a crash after the receiver accepted but before `delivered` was written sends
 * again after the lease — so receivers dedup on `X-Portfolio-Notification-Id`. No transaction
 * is held while sending: the database is free for other work during slow deliveries.
 */
export async function runOutboxOnce(db: Db, options: OutboxRunOptions): Promise<OutboxRunResult> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const now = options.now;
  const rows = await claimDueNotifications(db, {
    now,
    leaseUntil: new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS)),
    limit: options.batchSize ?? DEFAULT_BATCH_SIZE,
    maxAttempts: policy.maxAttempts,
  });
  const result: OutboxRunResult = { claimed: rows.length, delivered: 0, failed: 0, dead: 0 };
  const receivers = new Map(options.receivers.map((r) => [r.name, r]));
  const context: SendContext = { now, externalUrl: options.externalUrl ?? '', lookup: options.lookup };
  await Promise.all(
    rows.map(async (row) => {
      const outcome = await attempt(db, row, { receivers, context, policy, options });
      result[outcome.outcome] += 1;
      try {
        options.onOutcome?.(outcome);
      } catch {
        // A broken metrics hook must not stop deliveries.
      }
    }),
  );
  return result;
}

async function attempt(
  db: Db,
  row: ClaimedRow,
  env: {
    receivers: Map<string, ResolvedReceiver>;
    context: SendContext;
    policy: RetryPolicy;
    options: OutboxRunOptions;
  },
): Promise<NotificationOutcome> {
  const { now } = env.context;
  const base = { id: row.id, receiver: row.receiver, channel: row.channel, attempt: row.attempts };
  try {
    const receiver = env.receivers.get(row.receiver);
    if (!receiver || receiver.kind !== row.channel)
      throw new DeliveryError(`receiver ${row.receiver} (${row.channel}) is no longer configured`, {
        permanent: true,
      });
    const send = (env.options.senders?.[receiver.kind] ?? DEFAULT_SENDERS[receiver.kind]) as Sender;
    const receipt = await send(
      receiver,
      { id: row.id, attempt: row.attempts, notification: row.payload },
      env.context,
    );
    await markDelivered(db, {
      id: row.id,
      attempt: row.attempts,
      startedAt: now,
      now,
      detail: receipt.detail,
    });
    return { ...base, outcome: 'delivered' };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const decision = nextAttempt(env.policy, {
      attempt: row.attempts,
      now,
      permanent: err instanceof DeliveryError && err.permanent,
      random: (env.options.random ?? Math.random)(),
    });
    const retryAt = decision.kind === 'retry' ? decision.at : null;
    await markFailed(db, { id: row.id, attempt: row.attempts, startedAt: now, now, error, retryAt });
    return retryAt
      ? { ...base, outcome: 'failed', error, nextAttemptAt: retryAt }
      : { ...base, outcome: 'dead', error };
  }
}

export interface OutboxWorker {
  /** Runs a pass now (after an evaluation enqueued something) instead of at the next tick. */
  wake(): void;
  /** Finishes the pass in progress, then stops. */
  stop(): Promise<void>;
}

/** The server's loop: a pass every `intervalMs`, at once again when a pass found a full batch. */
export function startOutboxWorker(
  db: Db,
  options: Omit<OutboxRunOptions, 'now'> & {
    intervalMs?: number;
    clock?: () => Date;
    onError?: (err: unknown) => void;
  },
): OutboxWorker {
  const interval = options.intervalMs ?? 5_000;
  const batch = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let stopped = false;
  let again = false;
  let wakeSleeper: (() => void) | null = null;
  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, interval);
      timer.unref();
      function done() {
        clearTimeout(timer);
        wakeSleeper = null;
        resolve();
      }
      wakeSleeper = done;
    });
  const loop = (async () => {
    while (!stopped) {
      again = false;
      try {
        const r = await runOutboxOnce(db, { ...options, now: (options.clock ?? (() => new Date()))() });
        if (r.claimed >= batch) again = true;
      } catch (err) {
        options.onError?.(err);
      }
      if (!stopped && !again) await sleep();
    }
  })();
  return {
    wake() {
      if (wakeSleeper) wakeSleeper();
      else again = true;
    },
    async stop() {
      stopped = true;
      wakeSleeper?.();
      await loop;
    },
  };
}
