import type { Ctx } from '../../auth/context.ts';
import type { Tx } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import { hostOfDomain, visibleDomainIds } from '../revenue/domains.sql.ts';
import type { ImportReport, ReportBuilder } from './import-report.ts';

/** Which domains an import may write: the caller's visible domains; a secret key only its own. */
export interface ImportScope {
  /** Domain of rows that name none: --domain, or a secret key's own domain. */
  defaultHost: string | null;
  /** Whether portfolio-wide rows (no domain) are allowed: only for callers who see every domain. */
  unscoped: boolean;
  /** Looks the hosts up once; then host → id, or why rows of that host are rejected. */
  resolver(hosts: readonly string[]): Promise<(host: string) => { id: string } | { problem: string }>;
}

export async function importScope(tx: Tx, ctx: Ctx, domain: string | undefined): Promise<ImportScope> {
  const { actor } = ctx;
  const ownHost = actor.kind === 'api_key' ? await hostOfDomain(tx, actor.domainId) : null;
  if (ownHost && domain && domain !== ownHost) {
    throw new AppError(
      'forbidden',
      `this secret key belongs to ${ownHost}; it cannot import for ${domain}`,
      'domain',
    );
  }
  if (domain && !(await visibleDomainIds(tx, [domain])).has(domain)) {
    throw new AppError(
      'not_found',
      `unknown domain: ${domain} (not in the portfolio, or not in your scope)`,
      'domain',
    );
  }
  return {
    defaultHost: domain ?? ownHost,
    unscoped: actor.scope.kind === 'all',
    async resolver(hosts) {
      const ids = await visibleDomainIds(tx, hosts);
      return (host) => {
        if (ownHost && host !== ownHost)
          return { problem: `a secret key of ${ownHost} imports for ${ownHost} only` };
        const id = ids.get(host);
        return id
          ? { id }
          : { problem: `unknown domain ${host} (not in the portfolio, or not in your scope)` };
      };
    },
  };
}

class RollBack extends Error {}

/**
 * Runs an import in one transaction. Rejected rows are skipped and reported; with allOrNothing,
 * any rejection rolls the whole import back — after every row was checked, so the report lists
 * every problem at once.
 */
export async function inImportTransaction(
  ctx: Ctx,
  options: { allOrNothing: boolean; report: ReportBuilder },
  fn: (tx: Tx) => Promise<void>,
): Promise<ImportReport> {
  try {
    await ctx.db.transaction(
      async (tx) => {
        await fn(tx);
        if (options.allOrNothing && options.report.rejectedCount > 0) throw new RollBack();
      },
      { scope: ctx.actor.scope },
    );
  } catch (err) {
    if (err instanceof RollBack) return options.report.buildRolledBack();
    throw err;
  }
  return options.report.build();
}
