import { createHash } from 'node:crypto';
import type { Notification } from '../notification.ts';

/**
 * The outbox's idempotency key: the same receiver, group, state, reason, alerts and evaluation
 * time give the same key, so an evaluation that is retried (after a crash or a rolled-back
 * transaction) never enqueues a notification twice. Fingerprints are sorted: order is not identity.
 */
export function notificationDedupKey(n: Notification): string {
  const parts = [
    n.receiver,
    n.groupKey,
    n.status,
    n.reason,
    n.alerts.map((a) => a.fingerprint).sort(),
    new Date(n.createdAt).toISOString(),
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
