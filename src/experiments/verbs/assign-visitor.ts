import type { Actor } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import type { EventRow } from '../../ingest/event-row.ts';
import { emptyEvent } from '../../ingest/event-row.ts';
import { AppError } from '../../shared/app-error.ts';
import { assignVariation } from '../assignment/standalone.ts';
import { definitionOf, EXPERIMENT_COLUMNS, type ExperimentRow } from '../store/experiment-rows.sql.ts';
import { EXPOSURE_EVENT } from '../sufficient-stats.sql.ts';
import { matchesTargeting } from '../targeting.ts';
import { toAssignmentDefinition } from '../to-assignment-definition.ts';

export interface AssignInput {
  key: string;
  id: string;
  /** Targeting attributes of the visit (country, device, utm_source…). */
  attributes: Record<string, string>;
  /** Record an exposure event (only for a hashed assignment of a running experiment). */
  record: boolean;
  /** Host the exposure is recorded on; default the caller's key's domain, else the first domain. */
  domain?: string;
}

export interface AssignOutput {
  experiment: string;
  id: string;
  status: string;
  variationKey: string;
  variationId: number;
  inExperiment: boolean;
  hashUsed: boolean;
  bucket: number | null;
  reason: 'assigned' | 'not_running' | 'shipped' | 'targeting' | 'excluded';
  recorded: boolean;
}

/**
 * The variation of one visitor, from K's GrowthBook-compatible core. Read on the server's own
 * connection: a domain's key may ask about any experiment that runs on its domain, though the
 * experiment also spans domains outside its scope (it learns a variation, no result).
 */
export async function assignVisitor({
  ctx,
  input,
  writeEvents,
}: {
  ctx: Ctx;
  input: AssignInput;
  writeEvents: (rows: EventRow[]) => Promise<void>;
}): Promise<AssignOutput> {
  const res = await ctx.db.query<ExperimentRow & { named_domain: string | null }>(
    `SELECT ${EXPERIMENT_COLUMNS},
            (SELECT d.id FROM domains d WHERE d.host = $2 AND d.id = ANY (experiments.domain_ids)) AS named_domain
       FROM experiments WHERE key = $1`,
    [input.key, input.domain ?? null],
  );
  const row = res.rows[0];
  const visible = row && scopeTouches(ctx.actor, row.domain_ids);
  if (!row || !visible)
    throw new AppError('not_found', `no experiment "${input.key}" (or not in your scope)`, 'key');
  const e = definitionOf(row);
  const out = (variationId: number, reason: AssignOutput['reason'], extra: Partial<AssignOutput> = {}) => ({
    experiment: e.key,
    id: input.id,
    status: row.status,
    variationKey: (e.variations[variationId] ?? e.variations[0])?.key as string,
    variationId,
    inExperiment: false,
    hashUsed: false,
    bucket: null,
    reason,
    recorded: false,
    ...extra,
  });
  if (row.status === 'shipped') {
    const shipped = Math.max(
      0,
      e.variations.findIndex((v) => v.key === row.shipped_variation),
    );
    return out(shipped, 'shipped');
  }
  if (row.status !== 'running') return out(0, 'not_running');
  if (!matchesTargeting(e.targeting, input.attributes)) return out(0, 'targeting');
  const a = assignVariation(toAssignmentDefinition(e), { ...input.attributes, id: input.id });
  if (!a.inExperiment) return out(0, 'excluded');
  let recorded = false;
  if (input.record && a.hashUsed) {
    const domainId = exposureDomain(ctx.actor, row, input.domain);
    const event = emptyEvent(domainId, EXPOSURE_EVENT, ctx.now);
    event.visitorId = input.id;
    // The index, as the tracker extension sends it (assignment/README-contract.md).
    event.props = { experiment: e.key, variation: a.variationId };
    event.interactive = false;
    await writeEvents([event]);
    recorded = true;
  }
  return out(a.variationId, 'assigned', {
    inExperiment: true,
    hashUsed: a.hashUsed,
    bucket: a.bucket,
    recorded,
  });
}

function scopeTouches(actor: Actor, domainIds: readonly string[]): boolean {
  const scope = actor.scope;
  return scope.kind === 'all' || domainIds.some((id) => scope.domainIds.includes(id));
}

/** Where the exposure is recorded: the named host, else the caller key's domain, else one in scope. */
function exposureDomain(
  actor: Actor,
  row: ExperimentRow & { named_domain: string | null },
  host?: string,
): string {
  const canWrite = (id: string) => actor.scope.kind === 'all' || actor.scope.domainIds.includes(id);
  if (host !== undefined) {
    if (!row.named_domain || !canWrite(row.named_domain))
      throw new AppError(
        'invalid_request',
        `the experiment does not run on ${host} (or not in your scope)`,
        'domain',
      );
    return row.named_domain;
  }
  if (actor.kind === 'api_key' && row.domain_ids.includes(actor.domainId)) return actor.domainId;
  return row.domain_ids.find(canWrite) as string;
}
