import { AppError } from '../shared/app-error.ts';
import { requireUnscopedAdmin } from './actor.ts';
import { writeAudit } from './audit.ts';
import type { Ctx } from './context.ts';
import type { AddOperatorInput, Operator } from './operator-schemas.ts';
import { resolveDomainIds } from './resolve-domains.ts';
import { generateToken, hashToken } from './tokens.ts';

/** Creates an operator and a login token for them; the token is returned once and stored hashed. */
export async function addOperator({ ctx, input }: { ctx: Ctx; input: AddOperatorInput }) {
  const { actor } = ctx;
  requireUnscopedAdmin(actor);
  if (input.role === 'owner' && actor.kind === 'operator' && actor.role !== 'owner') {
    throw new AppError('forbidden', 'only an owner can add another owner', 'role');
  }
  const limited = input.domains !== undefined && input.domains.length > 0;
  if (input.role === 'owner' && limited) {
    throw new AppError(
      'invalid_request',
      'an owner always sees every domain; remove --domains or pick another role',
      'domains',
    );
  }
  const token = generateToken('op');
  const operator = await ctx.db.transaction(
    async (tx) => {
      const clash = await tx.query('SELECT 1 FROM operators WHERE email = $1', [input.email]);
      if (clash.rowCount > 0)
        throw new AppError('conflict', `an operator with e-mail ${input.email} already exists`, 'email');
      const domainIds = limited ? await resolveDomainIds(tx, input.domains ?? [], 'domains') : [];
      const res = await tx.query<{ id: string; created_at: Date }>(
        `INSERT INTO operators (email, name, role, all_domains) VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
        [input.email, input.name ?? null, input.role, !limited],
      );
      const row = res.rows[0] as { id: string; created_at: Date };
      for (const domainId of domainIds) {
        await tx.query('INSERT INTO operator_domains (operator_id, domain_id) VALUES ($1, $2)', [
          row.id,
          domainId,
        ]);
      }
      await tx.query(
        `INSERT INTO operator_credentials (operator_id, kind, token_hash, label) VALUES ($1, 'token', $2, 'initial')`,
        [row.id, hashToken(token)],
      );
      await writeAudit(tx, actor, {
        action: 'operator.add',
        targetType: 'operator',
        targetId: row.id,
        details: { email: input.email, role: input.role, domains: limited ? input.domains : 'all' },
      });
      return {
        id: row.id,
        email: input.email,
        name: input.name ?? null,
        role: input.role,
        domains: limited ? (input.domains ?? []) : 'all',
        createdAt: row.created_at.toISOString(),
      } satisfies Operator;
    },
    { scope: actor.scope },
  );
  return { operator, token };
}
