import type { Queryable, Scope } from './types.ts';

export const APP_ROLE = 'portfolio_app';

/**
 * Drops the transaction to the unprivileged role and publishes its scope to the row-level
 * policies. Everything is transaction-local (`set_config(…, true)`, `SET LOCAL`), because on
 * PGlite all callers share one session.
 */
export async function applyScope(tx: Queryable, scope: Scope): Promise<void> {
  const all = scope.kind === 'all' ? 'on' : 'off';
  const ids = scope.kind === 'all' ? '{}' : `{${scope.domainIds.join(',')}}`;
  await tx.query("SELECT set_config('app.scope_all', $1, true), set_config('app.domain_ids', $2, true)", [
    all,
    ids,
  ]);
  await tx.query(`SET LOCAL ROLE ${APP_ROLE}`);
}
