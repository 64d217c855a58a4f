import { requireReader } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import type { Queryable } from '../../db/types.ts';
import { amountOf } from '../ledger/api-schemas.ts';
import type { ReconciliationOut, ReconciliationQuery, ReconciliationRunOut } from './relayer-api-schemas.ts';

const RUN_COLUMNS = `id, status, started_at, finished_at, block_number::text AS block_number, users_checked,
  differences, chain_supply_wei::text AS chain_supply, ledger_supply_min_wei::text AS supply_min,
  ledger_supply_max_wei::text AS supply_max, error, ms`;

const LAST_RUN_SQL = `SELECT ${RUN_COLUMNS} FROM reconciliation_runs ORDER BY started_at DESC, id LIMIT 1`;
const LAST_COMPLETED_SQL = `
SELECT ${RUN_COLUMNS} FROM reconciliation_runs WHERE status <> 'error' ORDER BY started_at DESC, id LIMIT 1`;

// Under a scope, the users the caller sees (reconciliation_differences follows its user).
const DIFFERENCES_SQL = `
SELECT user_id, wallet, ledger_earned_wei::text AS le, ledger_earned_in_flight_wei::text AS lef,
       chain_earned_wei::text AS ce, ledger_redeemed_wei::text AS lr,
       ledger_redeemed_in_flight_wei::text AS lrf, chain_redeemed_wei::text AS cr
  FROM reconciliation_differences WHERE run_id = $1 ORDER BY user_id LIMIT $2`;

interface RunRow {
  id: string;
  status: ReconciliationRunOut['status'];
  started_at: Date;
  finished_at: Date;
  block_number: string | null;
  users_checked: number;
  differences: number;
  chain_supply: string | null;
  supply_min: string | null;
  supply_max: string | null;
  error: string | null;
  ms: number;
}

function runOut(r: RunRow): ReconciliationRunOut {
  const supply =
    r.chain_supply !== null && r.supply_min !== null && r.supply_max !== null
      ? {
          chain: amountOf(r.chain_supply),
          ledgerMin: amountOf(r.supply_min),
          ledgerMax: amountOf(r.supply_max),
          differs:
            BigInt(r.chain_supply) < BigInt(r.supply_min) || BigInt(r.chain_supply) > BigInt(r.supply_max),
        }
      : null;
  return {
    id: r.id,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at.toISOString(),
    blockNumber: r.block_number,
    usersChecked: r.users_checked,
    differences: r.differences,
    supply,
    error: r.error,
    ms: r.ms,
  };
}

async function oneRun(tx: Queryable, sql: string): Promise<ReconciliationRunOut | null> {
  const row = (await tx.query<RunRow>(sql)).rows[0];
  return row ? runOut(row) : null;
}

/** The last reconciliation for the dashboard: when, how many users, and who differs (in scope). */
export async function readLastReconciliation({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ReconciliationQuery;
}): Promise<ReconciliationOut> {
  requireReader(ctx.actor);
  return ctx.db.transaction(
    async (tx) => {
      const last = await oneRun(tx, LAST_RUN_SQL);
      const lastCompleted = last?.status === 'error' ? await oneRun(tx, LAST_COMPLETED_SQL) : last;
      if (!lastCompleted) return { last, lastCompleted, differences: [] };
      const rows = await tx.query<{
        user_id: string;
        wallet: string;
        le: string;
        lef: string;
        ce: string;
        lr: string;
        lrf: string;
        cr: string;
      }>(DIFFERENCES_SQL, [lastCompleted.id, input.differences]);
      return {
        last,
        lastCompleted,
        differences: rows.rows.map((d) => ({
          userId: d.user_id,
          wallet: d.wallet,
          ledgerEarned: amountOf(d.le),
          ledgerEarnedInFlight: amountOf(d.lef),
          chainEarned: amountOf(d.ce),
          ledgerRedeemed: amountOf(d.lr),
          ledgerRedeemedInFlight: amountOf(d.lrf),
          chainRedeemed: amountOf(d.cr),
        })),
      };
    },
    { scope: ctx.actor.scope },
  );
}
