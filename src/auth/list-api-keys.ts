import { requireAdmin } from './actor.ts';
import type { Ctx } from './context.ts';
import type { ApiKey } from './operator-schemas.ts';

// No domain filter needed for scoping: row-level security limits the rows to the caller's domains.
const LIST_API_KEYS_SQL = `
  SELECT k.id, d.host, k.kind, k.name, k.prefix, k.created_by, k.created_at, k.last_used_at, k.revoked_at
    FROM api_keys k JOIN domains d ON d.id = k.domain_id
   WHERE ($1::text IS NULL OR d.host = $1) AND ($2::boolean OR k.revoked_at IS NULL)
   ORDER BY d.host, k.created_at`;

interface ApiKeyRow {
  id: string;
  host: string;
  kind: ApiKey['kind'];
  name: string;
  prefix: string;
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export async function listApiKeys({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { domain?: string | undefined; includeRevoked?: boolean | undefined };
}): Promise<ApiKey[]> {
  requireAdmin(ctx.actor);
  const res = await ctx.db.transaction(
    (tx) => tx.query<ApiKeyRow>(LIST_API_KEYS_SQL, [input.domain ?? null, input.includeRevoked ?? false]),
    { scope: ctx.actor.scope },
  );
  return res.rows.map((r) => ({
    id: r.id,
    domain: r.host,
    kind: r.kind,
    name: r.name,
    prefix: r.prefix,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  }));
}
