import type { Queryable } from '../../db/types.ts';
import { amountOf, type ChainStatus, type LedgerEntryOut } from './api-schemas.ts';

/** Ledger transactions as the API shows them; every read runs under the caller's row policy. */

const ENTRY_COLUMNS = `
  t.id, t.seq, t.kind, t.user_id, d.host, t.rule_id, t.event_id, t.amount_wei::text AS amount_wei, t.ai_optimized,
  t.ai_bonus_wei::text AS ai_bonus_wei, t.milestone_wei::text AS milestone_wei, t.milestone_k,
  t.total_wei::text AS total_wei, t.measure, t.occurred_at, t.created_at, t.created_by, t.chain_status,
  t.chain_tx_hash, t.chain_attempts, t.chain_last_error`;

interface EntryRow {
  id: string;
  seq: number;
  kind: 'reward' | 'redemption';
  user_id: string;
  host: string;
  rule_id: string | null;
  event_id: string | null;
  amount_wei: string;
  ai_optimized: boolean;
  ai_bonus_wei: string;
  milestone_wei: string;
  milestone_k: number | null;
  total_wei: string;
  measure: string | null;
  occurred_at: Date;
  created_at: Date;
  created_by: string;
  chain_status: ChainStatus;
  chain_tx_hash: string | null;
  chain_attempts: number;
  chain_last_error: string | null;
}

function entryOut(r: EntryRow): LedgerEntryOut {
  return {
    id: r.id,
    seq: Number(r.seq),
    kind: r.kind,
    userId: r.user_id,
    domain: r.host,
    ruleId: r.rule_id,
    eventId: r.event_id,
    amount: amountOf(r.amount_wei),
    aiOptimized: r.ai_optimized,
    aiBonus: amountOf(r.ai_bonus_wei),
    milestone: amountOf(r.milestone_wei),
    milestoneK: r.milestone_k,
    total: amountOf(r.total_wei),
    measure: r.measure,
    occurredAt: r.occurred_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    chain: {
      status: r.chain_status,
      txHash: r.chain_tx_hash,
      attempts: r.chain_attempts,
      lastError: r.chain_last_error,
    },
  };
}

export async function entryBySourceKey(q: Queryable, sourceKey: string): Promise<LedgerEntryOut | null> {
  const res = await q.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM ledger_transactions t JOIN domains d ON d.id = t.domain_id WHERE t.source_key = $1`,
    [sourceKey],
  );
  return res.rows[0] ? entryOut(res.rows[0]) : null;
}

/** A user's transactions, newest first, `limit` of them with seq below `before` (keyset pagination). */
export async function userEntries(
  q: Queryable,
  userId: string,
  page: { limit: number; before: string | null },
): Promise<{ items: LedgerEntryOut[]; nextCursor: string | null }> {
  const res = await q.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS}
       FROM ledger_transactions t JOIN domains d ON d.id = t.domain_id
      WHERE t.user_id = $1 AND ($2::bigint IS NULL OR t.seq < $2::bigint)
      ORDER BY t.seq DESC
      LIMIT $3`,
    [userId, page.before, page.limit + 1],
  );
  const items = res.rows.slice(0, page.limit).map(entryOut);
  const more = res.rows.length > page.limit;
  return { items, nextCursor: more ? String(items[items.length - 1]?.seq) : null };
}
