import { actorLabel, requireAdmin } from './actor.ts';
import { writeAudit } from './audit.ts';
import type { Ctx } from './context.ts';
import type { ApiKey, CreateApiKeyInput } from './operator-schemas.ts';
import { resolveDomainIds } from './resolve-domains.ts';
import { displayPrefix, generateToken, hashToken } from './tokens.ts';

/** Creates a domain API key. The key is returned this once; only its hash is kept. */
export async function createApiKey({ ctx, input }: { ctx: Ctx; input: CreateApiKeyInput }) {
  const { actor } = ctx;
  requireAdmin(actor);
  const secret = generateToken(input.kind === 'public' ? 'pk' : 'sk');
  const name = input.name ?? `${input.kind} key`;
  const key = await ctx.db.transaction(
    async (tx) => {
      const [domainId] = await resolveDomainIds(tx, [input.domain], 'domain');
      const res = await tx.query<{ id: string; created_at: Date }>(
        `INSERT INTO api_keys (domain_id, kind, name, prefix, key_hash, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`,
        [domainId, input.kind, name, displayPrefix(secret), hashToken(secret), actorLabel(actor)],
      );
      const row = res.rows[0] as { id: string; created_at: Date };
      await writeAudit(tx, actor, {
        action: 'api_key.create',
        targetType: 'api_key',
        targetId: row.id,
        domainId,
        details: { domain: input.domain, kind: input.kind, name },
      });
      return {
        id: row.id,
        domain: input.domain,
        kind: input.kind,
        name,
        prefix: displayPrefix(secret),
        createdBy: actorLabel(actor),
        createdAt: row.created_at.toISOString(),
        lastUsedAt: null,
        revokedAt: null,
      } satisfies ApiKey;
    },
    { scope: actor.scope },
  );
  return { key, secret };
}
