import type { Queryable } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import { Notification } from '../notification.ts';
import { notificationDedupKey } from './dedup-key.ts';
import type { ChannelKind } from './receiver-schema.ts';

export interface EnqueueResult {
  /** Ids of the rows written by this call. */
  enqueued: string[];
  /** Notifications already in the outbox (same dedup key): not written again. */
  duplicates: number;
}

/**
 * Writes notifications to the outbox inside the caller's transaction (the one that advanced the
 * alert state), so a notification exists exactly when the state change that caused it committed.
 * Each is due at its evaluation time. An unknown receiver is refused: the portfolio file's
 * check must have caught it, and dropping a notification silently is what the outbox prevents.
 */
export async function enqueueNotifications(
  tx: Queryable,
  notifications: readonly Notification[],
  receivers: readonly { name: string; kind: ChannelKind }[],
): Promise<EnqueueResult> {
  const kinds = new Map(receivers.map((r) => [r.name, r.kind]));
  const result: EnqueueResult = { enqueued: [], duplicates: 0 };
  for (const raw of notifications) {
    const n = Notification.parse(raw);
    const channel = kinds.get(n.receiver);
    if (!channel)
      throw new AppError('invalid_portfolio', `notification for unknown receiver ${n.receiver}`, 'receiver');
    const res = await tx.query<{ id: string }>(
      `INSERT INTO notification_outbox (receiver, channel, dedup_key, group_key, payload, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (dedup_key) DO NOTHING
       RETURNING id`,
      [n.receiver, channel, notificationDedupKey(n), n.groupKey, JSON.stringify(n), n.createdAt],
    );
    const row = res.rows[0];
    if (row) result.enqueued.push(row.id);
    else result.duplicates += 1;
  }
  return result;
}
