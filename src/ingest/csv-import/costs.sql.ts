import type { Queryable } from '../../db/types.ts';
import { CHUNK } from '../revenue/revenue-rows.sql.ts';

// One unique-index probe per id, whatever the statistics say (see revenue-rows.sql.ts).
const SELECT_COSTS_SQL = `
SELECT c.id, c.external_id, c.domain_id, c.category, c.amount, c.currency, c.incurred_on, c.description,
       c.eur_per_unit, c.channel
  FROM unnest($2::text[]) AS k(external_id)
 CROSS JOIN LATERAL (SELECT * FROM costs x WHERE x.source = $1 AND x.external_id = k.external_id LIMIT 1) c`;

const INSERT_COSTS_SQL = `
INSERT INTO costs (source, external_id, domain_id, category, amount, currency, eur_per_unit, amount_eur,
                   incurred_on, description, channel)
SELECT $1::text, *
  FROM unnest($2::text[], $3::uuid[], $4::text[], $5::numeric[], $6::text[], $7::numeric[], $8::numeric[],
              $9::date[], $10::text[], $11::text[])
ON CONFLICT (source, external_id) DO NOTHING
RETURNING external_id`;

const UPDATE_COSTS_SQL = `
UPDATE costs c
   SET domain_id = u.domain_id, category = u.category, amount = u.amount, currency = u.currency,
       eur_per_unit = u.eur_per_unit, amount_eur = u.amount_eur, incurred_on = u.incurred_on,
       description = u.description, channel = u.channel, updated_at = now()
  FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::numeric[], $5::text[], $6::numeric[], $7::numeric[],
              $8::date[], $9::text[], $10::text[])
       AS u(id, domain_id, category, amount, currency, eur_per_unit, amount_eur, incurred_on, description, channel)
 WHERE c.id = ANY ($1::uuid[]) AND c.id = u.id`;

export interface StoredCost {
  id: string;
  externalId: string;
  domainId: string | null;
  category: string;
  amount: string | null;
  currency: string | null;
  day: string;
  description: string | null;
  eurPerUnit: string | null;
  channel: string | null;
}

export interface CostRow {
  externalId: string;
  domainId: string | null;
  category: string;
  amount: string;
  currency: string;
  eurPerUnit: string;
  amountEur: string;
  day: string;
  description: string | null;
  channel: string | null;
}

export async function selectCosts(
  tx: Queryable,
  source: string,
  externalIds: readonly string[],
): Promise<StoredCost[]> {
  const found: StoredCost[] = [];
  for (let i = 0; i < externalIds.length; i += CHUNK) {
    const res = await tx.query<{
      id: string;
      external_id: string;
      domain_id: string | null;
      category: string;
      amount: string | null;
      currency: string | null;
      incurred_on: string;
      description: string | null;
      eur_per_unit: string | null;
      channel: string | null;
    }>(SELECT_COSTS_SQL, [source, externalIds.slice(i, i + CHUNK)]);
    for (const r of res.rows) {
      found.push({
        id: r.id,
        externalId: r.external_id,
        domainId: r.domain_id,
        category: r.category,
        amount: r.amount,
        currency: r.currency,
        day: r.incurred_on,
        description: r.description,
        eurPerUnit: r.eur_per_unit,
        channel: r.channel,
      });
    }
  }
  return found;
}

/** Inserts costs; returns the external ids stored (one taken by a row outside the scope is absent). */
export async function insertCosts(
  tx: Queryable,
  source: string,
  rows: readonly CostRow[],
): Promise<Set<string>> {
  const stored = new Set<string>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const col = <T>(pick: (r: CostRow) => T) => chunk.map(pick);
    const res = await tx.query<{ external_id: string }>(INSERT_COSTS_SQL, [
      source,
      col((r) => r.externalId),
      col((r) => r.domainId),
      col((r) => r.category),
      col((r) => r.amount),
      col((r) => r.currency),
      col((r) => r.eurPerUnit),
      col((r) => r.amountEur),
      col((r) => r.day),
      col((r) => r.description),
      col((r) => r.channel),
    ]);
    for (const r of res.rows) stored.add(r.external_id);
  }
  return stored;
}

export async function updateCosts(tx: Queryable, rows: readonly (CostRow & { id: string })[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const col = <T>(pick: (r: CostRow & { id: string }) => T) => chunk.map(pick);
    await tx.query(UPDATE_COSTS_SQL, [
      col((r) => r.id),
      col((r) => r.domainId),
      col((r) => r.category),
      col((r) => r.amount),
      col((r) => r.currency),
      col((r) => r.eurPerUnit),
      col((r) => r.amountEur),
      col((r) => r.day),
      col((r) => r.description),
      col((r) => r.channel),
    ]);
  }
}
