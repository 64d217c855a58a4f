import type { Queryable } from '../../db/types.ts';
import type { RevenueKind, RevenueStatus } from './revenue-status.ts';

// Set-based: keys and rows travel as parallel arrays and unnest() turns them into rows, so a
// 100,000-row import is a few statements per thousand rows, with the same SQL on both engines.

// One unique-index probe per key. A plain join (or a LATERAL it may flatten) lets the planner hash
// the whole table, which it does right after a large import, before statistics catch up (120 ms
// per chunk at 100k rows). LIMIT 1 keeps the subquery a subquery; the key is unique anyway.
const SELECT_BY_KEYS_SQL = `
SELECT r.id, r.domain_id, r.source, r.external_id, r.kind, r.amount, r.currency, r.status, r.user_id,
       r.eur_per_unit
  FROM unnest($1::uuid[], $2::text[], $3::text[]) AS k(domain_id, source, external_id)
 CROSS JOIN LATERAL (
       SELECT * FROM revenue x
        WHERE x.domain_id = k.domain_id AND x.source = k.source AND x.external_id = k.external_id
        LIMIT 1
       ) r`;

const INSERT_SQL = `
INSERT INTO revenue (domain_id, source, external_id, kind, amount, currency, amount_eur, eur_per_unit,
                     occurred_at, status, user_id, stream, chain, transaction_hash, metadata)
SELECT *
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::numeric[],
              $8::numeric[], $9::timestamptz[], $10::text[], $11::uuid[], $12::text[], $13::text[], $14::text[],
              $15::jsonb[])
ON CONFLICT (domain_id, source, external_id) DO NOTHING
RETURNING id, domain_id, source, external_id`;

// One statement per target status (and re-dating), so rows are found through the primary key.
const UPDATE_STATUS_SQL = `
UPDATE revenue
   SET status = $2, occurred_at = coalesce($3::timestamptz, occurred_at), updated_at = now()
 WHERE id = ANY ($1::uuid[])`;

export interface RevenueKey {
  domainId: string;
  source: string;
  externalId: string;
}

export interface StoredRevenue extends RevenueKey {
  id: string;
  kind: RevenueKind;
  amount: string;
  currency: string;
  status: RevenueStatus;
  userId: string | null;
  eurPerUnit: string | null;
}

export interface NewRevenueRow extends RevenueKey {
  kind: RevenueKind;
  amount: string;
  currency: string;
  amountEur: string;
  eurPerUnit: string;
  occurredAt: Date;
  status: RevenueStatus;
  userId: string | null;
  stream: string | null;
  chain: string | null;
  transactionHash: string | null;
  metadata: Record<string, unknown>;
}

export const CHUNK = 1000;

export function keyOf(k: RevenueKey): string {
  return `${k.domainId}\u0000${k.source}\u0000${k.externalId}`;
}

export async function selectRevenueByKeys(
  tx: Queryable,
  keys: readonly RevenueKey[],
): Promise<StoredRevenue[]> {
  const found: StoredRevenue[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    const res = await tx.query<{
      id: string;
      domain_id: string;
      source: string;
      external_id: string;
      kind: RevenueKind;
      amount: string;
      currency: string;
      status: RevenueStatus;
      user_id: string | null;
      eur_per_unit: string | null;
    }>(SELECT_BY_KEYS_SQL, [
      chunk.map((k) => k.domainId),
      chunk.map((k) => k.source),
      chunk.map((k) => k.externalId),
    ]);
    for (const r of res.rows) {
      found.push({
        id: r.id,
        domainId: r.domain_id,
        source: r.source,
        externalId: r.external_id,
        kind: r.kind,
        amount: r.amount,
        currency: r.currency,
        status: r.status,
        userId: r.user_id,
        eurPerUnit: r.eur_per_unit,
      });
    }
  }
  return found;
}

/** Inserts rows; returns key → id for the rows stored (a row that lost a race is absent). */
export async function insertRevenueRows(
  tx: Queryable,
  rows: readonly NewRevenueRow[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const col = <T>(pick: (r: NewRevenueRow) => T) => chunk.map(pick);
    const res = await tx.query<{ id: string; domain_id: string; source: string; external_id: string }>(
      INSERT_SQL,
      [
        col((r) => r.domainId),
        col((r) => r.source),
        col((r) => r.externalId),
        col((r) => r.kind),
        col((r) => r.amount),
        col((r) => r.currency),
        col((r) => r.amountEur),
        col((r) => r.eurPerUnit),
        col((r) => r.occurredAt.toISOString()),
        col((r) => r.status),
        col((r) => r.userId),
        col((r) => r.stream),
        col((r) => r.chain),
        col((r) => r.transactionHash),
        col((r) => JSON.stringify(r.metadata)),
      ],
    );
    for (const r of res.rows) {
      ids.set(keyOf({ domainId: r.domain_id, source: r.source, externalId: r.external_id }), r.id);
    }
  }
  return ids;
}

/** Moves rows to a new status; `occurredAt` (when set) re-dates a row, see writeRevenueEntries. */
export async function updateRevenueStatuses(
  tx: Queryable,
  changes: readonly { id: string; status: RevenueStatus; occurredAt: Date | null }[],
): Promise<void> {
  const groups = new Map<string, { status: RevenueStatus; occurredAt: Date | null; ids: string[] }>();
  for (const c of changes) {
    const key = `${c.status}|${c.occurredAt?.toISOString() ?? ''}`;
    const group = groups.get(key) ?? { status: c.status, occurredAt: c.occurredAt, ids: [] };
    group.ids.push(c.id);
    groups.set(key, group);
  }
  for (const { status, occurredAt, ids } of groups.values()) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await tx.query(UPDATE_STATUS_SQL, [ids.slice(i, i + CHUNK), status, occurredAt?.toISOString() ?? null]);
    }
  }
}
