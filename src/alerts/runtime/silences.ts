import { actorLabel, requireAdmin, requireReader } from '../../auth/actor.ts';
import { writeAudit } from '../../auth/audit.ts';
import { AppError } from '../../shared/app-error.ts';
import type { LabelMatcher } from '../alert-rule-schema.ts';
import type { SilenceBody, SilenceOut } from './alert-api-schemas.ts';
import { type AlertsCtx, alertScopeOf, canSeeMatchers, requireMatchersInScope } from './alert-scope.ts';

interface SilenceRow {
  id: string;
  matchers: LabelMatcher[];
  starts_at: Date;
  ends_at: Date;
  created_by: string;
  comment: string;
  created_at: Date;
  expired_at: Date | null;
}

const COLUMNS = 'id::text AS id, matchers, starts_at, ends_at, created_by, comment, created_at, expired_at';
const iso = (d: Date | string) => new Date(d).toISOString();

function silenceOut(r: SilenceRow, now: Date): SilenceOut {
  const over = r.expired_at !== null || new Date(r.ends_at) <= now;
  return {
    id: r.id,
    matchers: r.matchers,
    startsAt: iso(r.starts_at),
    endsAt: iso(r.ends_at),
    createdBy: r.created_by,
    comment: r.comment,
    createdAt: iso(r.created_at),
    expiredAt: r.expired_at ? iso(r.expired_at) : null,
    status: over ? 'expired' : new Date(r.starts_at) > now ? 'pending' : 'active',
  };
}

/** POST /api/v1/silences: a limited operator must pin `domain` to one of its domains. */
export async function createSilence({
  ctx,
  input,
}: {
  ctx: AlertsCtx;
  input: SilenceBody;
}): Promise<SilenceOut> {
  requireAdmin(ctx.actor);
  const startsAt = input.startsAt ? new Date(input.startsAt) : ctx.now;
  const endsAt = new Date(input.endsAt);
  if (endsAt <= startsAt) throw new AppError('invalid_request', 'must be after startsAt', 'endsAt');
  if (endsAt <= ctx.now) throw new AppError('invalid_request', 'must be in the future', 'endsAt');
  const row = await ctx.db.transaction(async (tx) => {
    requireMatchersInScope(await alertScopeOf(tx, ctx.actor), input.matchers);
    const res = await tx.query<SilenceRow>(
      `INSERT INTO alert_silences (matchers, starts_at, ends_at, created_by, comment, created_at)
       VALUES ($1::jsonb, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [JSON.stringify(input.matchers), startsAt, endsAt, actorLabel(ctx.actor), input.comment, ctx.now],
    );
    const created = res.rows[0] as SilenceRow;
    await writeAudit(tx, ctx.actor, {
      action: 'silence.create',
      targetType: 'silence',
      targetId: created.id,
      details: { matchers: input.matchers, startsAt: iso(startsAt), endsAt: iso(endsAt) },
    });
    return created;
  });
  await ctx.evaluator.evaluate();
  return silenceOut(row, ctx.now);
}

/** GET /api/v1/silences: active and pending first, then the last 100 expired. */
export async function listSilences({ ctx }: { ctx: AlertsCtx }): Promise<{ silences: SilenceOut[] }> {
  requireReader(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const scope = await alertScopeOf(tx, ctx.actor);
    const res = await tx.query<SilenceRow>(
      `(SELECT ${COLUMNS} FROM alert_silences WHERE expired_at IS NULL AND ends_at > $1)
       UNION ALL
       (SELECT ${COLUMNS} FROM alert_silences WHERE expired_at IS NOT NULL OR ends_at <= $1
         ORDER BY coalesce(expired_at, ends_at) DESC LIMIT 100)`,
      [ctx.now],
    );
    return {
      silences: res.rows.filter((r) => canSeeMatchers(scope, r.matchers)).map((r) => silenceOut(r, ctx.now)),
    };
  });
}

/** DELETE /api/v1/silences/:id: expires it now (the row stays, for the record). */
export async function expireSilence({
  ctx,
  input,
}: {
  ctx: AlertsCtx;
  input: { id: string };
}): Promise<SilenceOut> {
  requireAdmin(ctx.actor);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.id))
    throw new AppError('invalid_request', 'silence id must be a UUID', 'id');
  const row = await ctx.db.transaction(async (tx) => {
    const scope = await alertScopeOf(tx, ctx.actor);
    const found = await tx.query<SilenceRow>(
      `SELECT ${COLUMNS} FROM alert_silences WHERE id = $1 FOR UPDATE`,
      [input.id],
    );
    const silence = found.rows[0];
    if (!silence || !canSeeMatchers(scope, silence.matchers))
      throw new AppError('not_found', `no silence ${input.id} (or not in your scope)`, 'id');
    const res = await tx.query<SilenceRow>(
      `UPDATE alert_silences SET expired_at = coalesce(expired_at, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
      [input.id, ctx.now],
    );
    await writeAudit(tx, ctx.actor, { action: 'silence.expire', targetType: 'silence', targetId: input.id });
    return res.rows[0] as SilenceRow;
  });
  await ctx.evaluator.evaluate();
  return silenceOut(row, ctx.now);
}
