import type { Queryable } from '../db/types.ts';
import { type Actor, actorLabel } from './actor.ts';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  domainId?: string | null;
  details?: Record<string, unknown>;
}

/** Appends to the audit log; call it inside the transaction that makes the change. */
export async function writeAudit(tx: Queryable, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (actor, action, target_type, target_id, domain_id, details)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      actorLabel(actor),
      entry.action,
      entry.targetType,
      entry.targetId ?? null,
      entry.domainId ?? null,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}
