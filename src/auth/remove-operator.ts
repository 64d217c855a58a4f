import { AppError } from '../shared/app-error.ts';
import { requireUnscopedAdmin } from './actor.ts';
import { writeAudit } from './audit.ts';
import type { Ctx } from './context.ts';

/** Removes an operator (by id or e-mail) and with them every token and session; never the last owner. */
export async function removeOperator({ ctx, input }: { ctx: Ctx; input: { operator: string } }) {
  const { actor } = ctx;
  requireUnscopedAdmin(actor);
  return ctx.db.transaction(
    async (tx) => {
      const byId = /^[0-9a-f-]{36}$/i.test(input.operator);
      const res = await tx.query<{ id: string; email: string; role: string }>(
        `SELECT id, email, role FROM operators WHERE ${byId ? 'id = $1::uuid' : 'email = lower($1)'} FOR UPDATE`,
        [input.operator],
      );
      const target = res.rows[0];
      if (!target) throw new AppError('not_found', `no operator ${input.operator}`, 'operator');
      if (target.role === 'owner') {
        if (actor.kind === 'operator' && actor.role !== 'owner') {
          throw new AppError('forbidden', 'only an owner can remove an owner', 'operator');
        }
        const owners = await tx.query("SELECT id FROM operators WHERE role = 'owner' FOR UPDATE");
        if (owners.rowCount <= 1) {
          throw new AppError('conflict', 'cannot remove the last owner; add another owner first', 'operator');
        }
      }
      await tx.query('DELETE FROM operators WHERE id = $1', [target.id]);
      await writeAudit(tx, actor, {
        action: 'operator.remove',
        targetType: 'operator',
        targetId: target.id,
        details: { email: target.email, role: target.role },
      });
      return { id: target.id, email: target.email };
    },
    { scope: actor.scope },
  );
}
