import type { Actor } from '../../auth/actor.ts';
import { requireServerWriter } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import type { Tx } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import { hostOfDomain, visibleDomainIds } from './domains.sql.ts';
import type {
  RecordRevenueBatchInput,
  RecordRevenueBatchResult,
  RecordRevenueInput,
  RecordRevenueResult,
  RevenueRecord,
} from './revenue-schemas.ts';
import { selectRevenueByIds } from './select-revenue.sql.ts';
import { type StreamCatalog, streamProblem } from './stream-catalog.ts';
import { type EntryOutcome, type RevenueEntry, writeRevenueEntries } from './write-revenue-entries.ts';

const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
const MAX_FUTURE_MS = 5 * 60_000;

type FieldName = (index: number, field: string) => string;
type Written = { outcome: Exclude<EntryOutcome, { result: 'rejected' }>; record: RevenueRecord };

/** Records one revenue fact: 201 created, 200 duplicate (nothing changed) or updated (status moved). */
export async function recordRevenue({
  ctx,
  input,
  streams,
}: {
  ctx: Ctx;
  input: RecordRevenueInput;
  streams?: StreamCatalog | null;
}): Promise<RecordRevenueResult> {
  const [written] = await recordItems(ctx, [input], streams ?? null, (_, field) => field);
  const { outcome, record } = written as Written;
  return {
    result: outcome.result,
    duplicate: outcome.result === 'duplicate',
    ...(outcome.result === 'updated' ? { previousStatus: outcome.previousStatus } : {}),
    revenue: record,
  };
}

/** Records up to 500 facts in one transaction: all of them, or none when any is rejected. */
export async function recordRevenueBatch({
  ctx,
  input,
  streams,
}: {
  ctx: Ctx;
  input: RecordRevenueBatchInput;
  streams?: StreamCatalog | null;
}): Promise<RecordRevenueBatchResult> {
  const written = await recordItems(ctx, input.items, streams ?? null, (i, field) => `items.${i}.${field}`);
  const count = (result: string) => written.filter((w) => w.outcome.result === result).length;
  return {
    created: count('created'),
    updated: count('updated'),
    duplicates: count('duplicate'),
    items: written.map(({ outcome, record }, index) => ({
      index,
      id: outcome.id,
      externalId: record.externalId ?? '',
      result: outcome.result,
      duplicate: outcome.result === 'duplicate',
      status: record.status,
      ...(outcome.result === 'updated' ? { previousStatus: outcome.previousStatus } : {}),
    })),
  };
}

async function recordItems(
  ctx: Ctx,
  items: readonly RecordRevenueInput[],
  streams: StreamCatalog | null,
  fieldName: FieldName,
): Promise<Written[]> {
  requireServerWriter(ctx.actor);
  const prepared = items.map((item, i) => ({
    item,
    amountCents: signedAmount(item, (field) => fieldName(i, field)),
    occurredAt: occurredAt(item, ctx.now, (field) => fieldName(i, field)),
  }));
  return ctx.db.transaction(
    async (tx) => {
      const domains = await resolveDomains(tx, ctx.actor, items, fieldName);
      const entries = prepared.map(({ item, amountCents, occurredAt }, i): RevenueEntry => {
        const { id: domainId, host } = domains[i] as { id: string; host: string };
        const problem = item.stream && streams ? streamProblem(streams, item.stream, host) : null;
        if (problem) throw new AppError('invalid_request', problem, fieldName(i, 'stream'));
        return {
          domainId,
          source: item.source,
          externalId: item.externalId,
          kind: item.kind,
          amountCents,
          currency: item.currency,
          occurredAt,
          status: item.status ?? null,
          userId: item.userId ?? null,
          email: item.email ?? null,
          stream: item.stream ?? null,
          chain: item.chain ?? null,
          transactionHash: item.transactionHash ?? null,
          metadata: item.metadata ?? {},
        };
      });
      const outcomes = await writeRevenueEntries(tx, entries);
      throwFirstRejection(outcomes, items.length > 1, fieldName);
      const accepted = outcomes as Written['outcome'][];
      const records = await selectRevenueByIds(
        tx,
        accepted.map((o) => o.id),
      );
      return accepted.map((outcome) => ({ outcome, record: records.get(outcome.id) as RevenueRecord }));
    },
    { scope: ctx.actor.scope },
  );
}

/** Refunds are stored negative whatever sign they were sent with; other kinds may not be negative. */
function signedAmount(item: RecordRevenueInput, field: (name: string) => string): bigint {
  const cents = item.amount;
  if (item.kind === 'refund') return cents > 0n ? -cents : cents;
  if (cents < 0n) {
    throw new AppError(
      'invalid_request',
      'a negative amount is a refund: send kind "refund" (to undo a commission, set status "reversed")',
      field('amount'),
    );
  }
  return cents;
}

function occurredAt(item: RecordRevenueInput, now: Date, field: (name: string) => string): Date {
  if (!item.occurredAt) return now;
  const at = new Date(item.occurredAt);
  if (at.getTime() > now.getTime() + MAX_FUTURE_MS || at.getTime() < EARLIEST) {
    throw new AppError(
      'invalid_request',
      'occurredAt must be after 2000-01-01 and at most 5 minutes in the future',
      field('occurredAt'),
    );
  }
  return at;
}

/** A secret key records for its own domain only; operators name the domain. */
async function resolveDomains(
  tx: Tx,
  actor: Actor,
  items: readonly RecordRevenueInput[],
  fieldName: FieldName,
): Promise<{ id: string; host: string }[]> {
  if (actor.kind === 'api_key') {
    const ownHost = await hostOfDomain(tx, actor.domainId);
    if (!ownHost) throw new AppError('not_found', "the key's domain no longer exists");
    return items.map((item, i) => {
      if (item.domain && item.domain !== ownHost) {
        throw new AppError(
          'forbidden',
          `this secret key belongs to ${ownHost}; it cannot record revenue for ${item.domain}`,
          fieldName(i, 'domain'),
        );
      }
      return { id: actor.domainId, host: ownHost };
    });
  }
  const ids = await visibleDomainIds(
    tx,
    items.flatMap((item) => (item.domain ? [item.domain] : [])),
  );
  return items.map((item, i) => {
    if (!item.domain) {
      throw new AppError(
        'invalid_request',
        'domain is required (the host the revenue was earned on)',
        fieldName(i, 'domain'),
      );
    }
    const id = ids.get(item.domain);
    if (!id) {
      throw new AppError(
        'not_found',
        `unknown domain: ${item.domain} (not in the portfolio, or not in your scope)`,
        fieldName(i, 'domain'),
      );
    }
    return { id, host: item.domain };
  });
}

function throwFirstRejection(outcomes: readonly EntryOutcome[], batch: boolean, fieldName: FieldName): void {
  const rejections = outcomes.flatMap((o, index) => (o.result === 'rejected' ? [{ index, ...o }] : []));
  const first = rejections[0];
  if (!first) return;
  throw new AppError(
    first.code,
    batch ? `items[${first.index}]: ${first.message}; nothing was recorded` : first.message,
    fieldName(first.index, first.field),
    batch
      ? {
          rejected: rejections.map((r) => ({
            index: r.index,
            field: fieldName(r.index, r.field),
            message: r.message,
          })),
        }
      : undefined,
  );
}
