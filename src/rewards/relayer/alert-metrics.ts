import type { MetricSeries } from '../../alerts/engine/metric-snapshot.ts';
import type { Queryable } from '../../db/types.ts';

const RELAYER_METRICS_SQL = `
SELECT s.rpc_up, s.rpc_checked_at,
       (SELECT min(created_at) FROM ledger_transactions WHERE chain_status IN ('pending', 'submitted')) AS oldest,
       (SELECT count(*)::int FROM ledger_transactions WHERE chain_status = 'failed') AS failed,
       (SELECT r.differences FROM reconciliation_runs r WHERE r.status <> 'error'
         ORDER BY r.started_at DESC, r.id LIMIT 1) AS differences
  FROM relayer_state s`;

/**
 * The relayer's and the reconciliation's metrics for the alert engine's snapshot (no domain label):
 * - `relayer_rpc_up`: 1 when the relayer's last run reached the RPC, else 0;
 * - `relayer_oldest_pending_age`: ms since the oldest pending or submitted transaction was booked
 *   (0 with an empty queue), so a rule reads `relayer_oldest_pending_age > 30min`;
 * - `relayer_failed_entries`: transactions the contract refused for good;
 * - `reconciliation_differences`: users (plus the supply) that differed at the last reconciliation.
 * Before the relayer's first run (no chain configured) there is no relayer series: no false alarm.
 */
export async function relayerAlertSeries(tx: Queryable, now: Date): Promise<MetricSeries[]> {
  const res = await tx.query<{
    rpc_up: boolean | null;
    rpc_checked_at: Date | null;
    oldest: Date | string | null;
    failed: number;
    differences: number | null;
  }>(RELAYER_METRICS_SQL);
  const row = res.rows[0];
  if (!row) return [];
  const series: MetricSeries[] = [];
  if (row.rpc_up !== null && row.rpc_checked_at !== null) {
    series.push({ metric: 'relayer_rpc_up', value: row.rpc_up ? 1 : 0 });
    const age = row.oldest === null ? 0 : Math.max(0, now.getTime() - new Date(row.oldest).getTime());
    series.push({ metric: 'relayer_oldest_pending_age', value: age });
    series.push({ metric: 'relayer_failed_entries', value: row.failed });
  }
  if (row.differences !== null) series.push({ metric: 'reconciliation_differences', value: row.differences });
  return series;
}
