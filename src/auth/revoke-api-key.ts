import { AppError } from '../shared/app-error.ts';
import { requireAdmin } from './actor.ts';
import { writeAudit } from './audit.ts';
import type { Ctx } from './context.ts';

/** Revokes a key at once; revoking twice is not an error (the first revocation time is kept). */
export async function revokeApiKey({ ctx, input }: { ctx: Ctx; input: { id: string } }) {
  const { actor } = ctx;
  requireAdmin(actor);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.id)) {
    throw new AppError('invalid_request', 'key id must be a UUID (see `keys list`)', 'id');
  }
  return ctx.db.transaction(
    async (tx) => {
      const res = await tx.query<{ id: string; domain_id: string; revoked_at: Date }>(
        `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1
         RETURNING id, domain_id, revoked_at`,
        [input.id, ctx.now],
      );
      const row = res.rows[0];
      if (!row) throw new AppError('not_found', `no API key ${input.id} (or not in your scope)`, 'id');
      await writeAudit(tx, actor, {
        action: 'api_key.revoke',
        targetType: 'api_key',
        targetId: row.id,
        domainId: row.domain_id,
      });
      return { id: row.id, revokedAt: row.revoked_at.toISOString() };
    },
    { scope: actor.scope },
  );
}
