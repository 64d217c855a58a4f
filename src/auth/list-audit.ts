import { z } from 'zod';
import { requireReader } from './actor.ts';
import type { Ctx } from './context.ts';

export const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe('Return entries with an id below this (paging)'),
  action: z.string().max(100).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntryOut = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  domain: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntryOut = z.infer<typeof AuditEntryOut>;

const LIST_AUDIT_SQL = `
  SELECT a.id, a.at, a.actor, a.action, a.target_type, a.target_id, d.host, a.details
    FROM audit_log a LEFT JOIN domains d ON d.id = a.domain_id
   WHERE ($1::bigint IS NULL OR a.id < $1) AND ($2::text IS NULL OR a.action = $2)
   ORDER BY a.id DESC
   LIMIT $3`;

export async function listAudit({ ctx, input }: { ctx: Ctx; input: AuditQuery }): Promise<AuditEntryOut[]> {
  requireReader(ctx.actor);
  const res = await ctx.db.transaction(
    (tx) =>
      tx.query<{
        id: number;
        at: Date;
        actor: string;
        action: string;
        target_type: string;
        target_id: string | null;
        host: string | null;
        details: Record<string, unknown>;
      }>(LIST_AUDIT_SQL, [input.before ?? null, input.action ?? null, input.limit]),
    { scope: ctx.actor.scope },
  );
  return res.rows.map((r) => ({
    id: Number(r.id),
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    domain: r.host,
    details: r.details,
  }));
}
