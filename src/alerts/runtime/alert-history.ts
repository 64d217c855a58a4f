import { requireReader } from '../../auth/actor.ts';
import { AppError } from '../../shared/app-error.ts';
import type { HistoryOut, HistoryQuery } from './alert-api-schemas.ts';
import type { AlertsCtx } from './alert-scope.ts';

const LIMIT = 1000;
const DAY_MS = 86_400_000;

/**
 * GET /api/v1/alerts/history: state changes in [from, to), newest first, under row-level
 * security (a limited operator sees its domains' alerts; portfolio-wide ones need the full scope).
 */
export async function getAlertHistory({
  ctx,
  input,
}: {
  ctx: AlertsCtx;
  input: HistoryQuery;
}): Promise<HistoryOut> {
  requireReader(ctx.actor);
  const to = input.to ? new Date(input.to) : ctx.now;
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - DAY_MS);
  if (from >= to) throw new AppError('invalid_request', 'must be before to', 'from');
  return ctx.db.transaction(
    async (tx) => {
      const res = await tx.query<{
        fingerprint: string;
        rule: string;
        labels: Record<string, string>;
        from_state: string;
        to_state: string;
        at: Date;
        by: string | null;
      }>(
        `SELECT fingerprint, rule, labels, from_state, to_state, at, by FROM alert_transitions
          WHERE at >= $1 AND at < $2 ORDER BY at DESC, id DESC LIMIT $3`,
        [from, to, LIMIT + 1],
      );
      return {
        transitions: res.rows.slice(0, LIMIT).map((r) => ({
          fingerprint: r.fingerprint,
          rule: r.rule,
          labels: r.labels,
          from: r.from_state,
          to: r.to_state,
          at: new Date(r.at).toISOString(),
          by: r.by,
        })),
        truncated: res.rows.length > LIMIT,
      };
    },
    { scope: ctx.actor.scope },
  );
}
