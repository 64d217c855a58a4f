import { requireUnscopedAdmin } from './actor.ts';
import type { Ctx } from './context.ts';
import type { Operator } from './operator-schemas.ts';

export const LIST_OPERATORS_SQL = `
  SELECT o.id, o.email, o.name, o.role, o.all_domains, o.created_at,
         coalesce(array_agg(d.host ORDER BY d.host) FILTER (WHERE d.host IS NOT NULL), '{}') AS hosts
    FROM operators o
    LEFT JOIN operator_domains od ON od.operator_id = o.id
    LEFT JOIN domains d ON d.id = od.domain_id
   GROUP BY o.id
   ORDER BY o.created_at, o.email`;

interface OperatorRow {
  id: string;
  email: string;
  name: string | null;
  role: Operator['role'];
  all_domains: boolean;
  created_at: Date;
  hosts: string[];
}

export function toOperator(row: OperatorRow): Operator {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    domains: row.all_domains ? 'all' : row.hosts,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listOperators({ ctx }: { ctx: Ctx }): Promise<Operator[]> {
  requireUnscopedAdmin(ctx.actor);
  return ctx.db.transaction(
    async (tx) => (await tx.query<OperatorRow>(LIST_OPERATORS_SQL)).rows.map(toOperator),
    { scope: ctx.actor.scope },
  );
}
