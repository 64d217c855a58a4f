import type { Queryable } from '../../db/types.ts';

/**
 * Records the event as received, in the transaction that applies it. false: it was already
 * recorded (a redelivery). A concurrent delivery of the same event waits on the primary key
 * until the first commits, then finds it here.
 */
export async function claimStripeEvent(
  tx: Queryable,
  event: { domainId: string; eventId: string; type: string; objectId: string | null; created: Date },
): Promise<boolean> {
  const res = await tx.query(
    `INSERT INTO stripe_events (domain_id, event_id, type, object_id, event_created, outcome)
     VALUES ($1, $2, $3, $4, $5, 'received')
     ON CONFLICT (domain_id, event_id) DO NOTHING
     RETURNING event_id`,
    [event.domainId, event.eventId, event.type, event.objectId, event.created],
  );
  return res.rowCount > 0;
}

export async function setStripeEventOutcome(
  tx: Queryable,
  input: { domainId: string; eventId: string; outcome: string },
): Promise<void> {
  await tx.query('UPDATE stripe_events SET outcome = $3 WHERE domain_id = $1 AND event_id = $2', [
    input.domainId,
    input.eventId,
    input.outcome.slice(0, 500),
  ]);
}

/** Whether a newer event about the same object (a subscription) was already applied. */
export async function newerEventApplied(
  tx: Queryable,
  input: { domainId: string; objectId: string; typePrefix: string; created: Date },
): Promise<boolean> {
  const res = await tx.query(
    `SELECT 1 FROM stripe_events
      WHERE domain_id = $1 AND object_id = $2 AND starts_with(type, $3) AND event_created > $4
        AND outcome = 'applied'
      LIMIT 1`,
    [input.domainId, input.objectId, input.typePrefix, input.created],
  );
  return res.rowCount > 0;
}
