import type { Db, Queryable } from '../../db/types.ts';
import type { Notification } from '../notification.ts';

export interface ClaimedRow {
  id: string;
  receiver: string;
  channel: string;
  payload: Notification;
  /** The attempt this claim makes (attempts after the claim). */
  attempts: number;
}

/**
 * Takes up to `limit` due rows: pending ones whose time has come and sending ones whose lease
 * ran out (their worker died mid-send). Each is marked sending with a lease and its attempt is
 * counted before anything is sent, so a crash loop still ends at the retry policy's limit.
 * SKIP LOCKED lets several server instances on PostgreSQL claim disjoint rows; PGlite has one
 * session and serialised transactions, where the same SQL simply never meets a lock.
 */
export async function claimDueNotifications(
  db: Db,
  input: { now: Date; leaseUntil: Date; limit: number; maxAttempts: number },
): Promise<ClaimedRow[]> {
  return db.transaction(async (tx) => {
    // A lease that expired on the last allowed attempt: no attempt is left to make.
    await tx.query(
      `UPDATE notification_outbox
          SET status = 'dead', last_error = coalesce(last_error || ' / ', '') || 'lease expired on the last attempt'
        WHERE status = 'sending' AND next_attempt_at <= $1 AND attempts >= $2`,
      [input.now, input.maxAttempts],
    );
    const res = await tx.query<ClaimedRow>(
      `UPDATE notification_outbox o
          SET status = 'sending', attempts = o.attempts + 1, next_attempt_at = $2
        WHERE o.id IN (
          SELECT id FROM notification_outbox
           WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1
           ORDER BY next_attempt_at, created_at
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING o.id, o.receiver, o.channel, o.payload, o.attempts`,
      [input.now, input.leaseUntil, input.limit],
    );
    return res.rows;
  });
}

/** Delivered wins over any later claim of the same row: the receiver has it, whoever sent it. */
export async function markDelivered(
  db: Db,
  input: { id: string; attempt: number; startedAt: Date; now: Date; detail: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE notification_outbox SET status = 'delivered', delivered_at = $2, last_error = NULL
        WHERE id = $1 AND status <> 'delivered'`,
      [input.id, input.now],
    );
    await recordAttempt(tx, { ...input, outcome: 'delivered' });
  });
}

/**
 * Records a failed attempt and schedules the next one (retryAt) or gives up (retryAt null).
 * Only the claim that made this attempt may do so: if the lease ran out and another worker
 * claimed the row since, its attempt count moved on and this changes nothing.
 */
export async function markFailed(
  db: Db,
  input: { id: string; attempt: number; startedAt: Date; now: Date; error: string; retryAt: Date | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE notification_outbox
          SET status = CASE WHEN $3::timestamptz IS NULL THEN 'dead' ELSE 'pending' END,
              next_attempt_at = coalesce($3::timestamptz, next_attempt_at),
              last_error = $4
        WHERE id = $1 AND attempts = $2 AND status = 'sending'`,
      [input.id, input.attempt, input.retryAt, input.error.slice(0, 2000)],
    );
    await recordAttempt(tx, { ...input, outcome: 'failed', detail: input.error });
  });
}

async function recordAttempt(
  tx: Queryable,
  input: { id: string; attempt: number; startedAt: Date; now: Date; outcome: string; detail: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO notification_attempts (notification_id, attempt, started_at, finished_at, outcome, detail)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [input.id, input.attempt, input.startedAt, input.now, input.outcome, input.detail.slice(0, 2000)],
  );
}

/** Gives dead notifications of a receiver (or all) a fresh set of attempts, due now. */
export async function requeueDeadNotifications(
  db: Queryable,
  input: { now: Date; receiver?: string },
): Promise<number> {
  const res = await db.query(
    `UPDATE notification_outbox SET status = 'pending', attempts = 0, next_attempt_at = $1
      WHERE status = 'dead' AND ($2::text IS NULL OR receiver = $2)`,
    [input.now, input.receiver ?? null],
  );
  return res.rowCount;
}
