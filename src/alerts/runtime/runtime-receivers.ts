import type { Db, Queryable } from '../../db/types.ts';
import { type Receiver, type ResolvedReceiver, resolveReceivers } from '../notify/receiver-schema.ts';
import type { SecretSources } from '../notify/secret.ts';

// Receivers are resolved one by one: one whose secret is missing (SLACK_WEBHOOK_URL unset on a
// fresh machine) must not stop the server. Its notifications are still written to the outbox,
// then parked (due at 'infinity', last_error saying why) until a start that can resolve it.

export interface UnresolvedReceiver {
  name: string;
  kind: Receiver['kind'];
  problem: string;
}

export interface RuntimeReceivers {
  /** Every configured receiver (name and kind): what the outbox accepts notifications for. */
  all: { name: string; kind: Receiver['kind'] }[];
  resolved: ResolvedReceiver[];
  unresolved: UnresolvedReceiver[];
}

export function resolveReceiversLeniently(
  receivers: readonly Receiver[],
  sources: SecretSources,
): RuntimeReceivers {
  const out: RuntimeReceivers = { all: [], resolved: [], unresolved: [] };
  for (const r of receivers) {
    out.all.push({ name: r.name, kind: r.kind });
    try {
      out.resolved.push(...resolveReceivers([r], sources));
    } catch (err) {
      const message = (err as Error).message.replace(/^receivers\[0\]\./, '');
      out.unresolved.push({ name: r.name, kind: r.kind, problem: `receiver ${r.name}: ${message}` });
    }
  }
  return out;
}

/** Parks pending notifications of unresolvable receivers with the reason in last_error. */
export async function parkUnresolved(
  tx: Queryable,
  unresolved: readonly UnresolvedReceiver[],
): Promise<number> {
  if (unresolved.length === 0) return 0;
  const res = await tx.query(
    `UPDATE notification_outbox o SET next_attempt_at = 'infinity', last_error = u.problem
       FROM unnest($1::text[], $2::text[]) AS u(name, problem)
      WHERE o.receiver = u.name AND o.status = 'pending'
        AND (o.next_attempt_at <> 'infinity' OR o.last_error IS DISTINCT FROM u.problem)`,
    [unresolved.map((u) => u.name), unresolved.map((u) => u.problem)],
  );
  return res.rowCount;
}

/** At start: notifications parked for receivers that now resolve become due at once. */
export async function releaseParked(
  tx: Queryable,
  resolved: readonly { name: string }[],
  now: Date,
): Promise<number> {
  if (resolved.length === 0) return 0;
  const res = await tx.query(
    `UPDATE notification_outbox SET next_attempt_at = $2, last_error = NULL
      WHERE status = 'pending' AND next_attempt_at = 'infinity' AND receiver = ANY ($1::text[])`,
    [resolved.map((r) => r.name), now],
  );
  return res.rowCount;
}

/** At start: release what now resolves, park what no longer does (so the worker never drops it). */
export async function prepareOutbox(db: Db, receivers: RuntimeReceivers, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await releaseParked(tx, receivers.resolved, now);
    await parkUnresolved(tx, receivers.unresolved);
  });
}
