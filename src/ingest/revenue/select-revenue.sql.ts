import type { Queryable } from '../../db/types.ts';
import type { RevenueRecord } from './revenue-schemas.ts';

const SELECT_REVENUE_SQL = `
SELECT r.id, d.host, r.kind, r.amount, r.currency, r.amount_eur, r.eur_per_unit, r.occurred_at, r.source,
       r.external_id, r.status, r.stream, r.user_id, r.chain, r.transaction_hash, r.metadata, r.created_at,
       r.updated_at
  FROM revenue r JOIN domains d ON d.id = r.domain_id
 WHERE r.id = ANY ($1::uuid[])`;

interface Row {
  id: string;
  host: string;
  kind: string;
  amount: string;
  currency: string;
  amount_eur: string;
  eur_per_unit: string | null;
  occurred_at: Date;
  source: string;
  external_id: string | null;
  status: string;
  stream: string | null;
  user_id: string | null;
  chain: string | null;
  transaction_hash: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export async function selectRevenueByIds(
  tx: Queryable,
  ids: readonly string[],
): Promise<Map<string, RevenueRecord>> {
  if (ids.length === 0) return new Map();
  const res = await tx.query<Row>(SELECT_REVENUE_SQL, [ids]);
  return new Map(
    res.rows.map((r) => [
      r.id,
      {
        id: r.id,
        domain: r.host,
        kind: r.kind,
        amount: r.amount,
        currency: r.currency,
        amountEur: r.amount_eur,
        eurPerUnit: r.eur_per_unit,
        occurredAt: r.occurred_at.toISOString(),
        source: r.source,
        externalId: r.external_id,
        status: r.status,
        stream: r.stream,
        userId: r.user_id,
        chain: r.chain,
        transactionHash: r.transaction_hash,
        metadata: r.metadata,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      },
    ]),
  );
}
