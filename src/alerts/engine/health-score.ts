import type { AlertSeverity } from '../notification.ts';
import type { AlertInstance } from './engine-state.ts';
import { isMuted } from './muting.ts';

// The seed's health score: 100 minus 30/15/5/1 per critical/high/medium/low alert, floored at 0.
// It counts firing alerts, acknowledged ones included (someone is on it; it is not fixed), and
// leaves out pending (not confirmed yet), silenced and suppressed ones (declared expected).

export const HEALTH_PENALTY: Readonly<Record<AlertSeverity, number>> = {
  critical: 30,
  high: 15,
  medium: 5,
  low: 1,
};

export type HealthStatus = 'excellent' | 'good' | 'warning' | 'critical';

export interface HealthScore {
  score: number;
  status: HealthStatus;
  /** Firing, unmuted alerts per severity: what the score was computed from. */
  counts: Record<AlertSeverity, number>;
}

type ScoredAlert = Pick<AlertInstance, 'state' | 'severity' | 'silencedBy' | 'suppressedBy'>;

export function healthStatus(score: number): HealthStatus {
  return score > 80 ? 'excellent' : score > 60 ? 'good' : score > 40 ? 'warning' : 'critical';
}

/** Whether an alert lowers the score; also what a dashboard lists as "active". */
export function countsTowardHealth(a: ScoredAlert): boolean {
  return a.state === 'firing' && !isMuted(a);
}

export function healthScore(alerts: Iterable<ScoredAlert>): HealthScore {
  const counts: Record<AlertSeverity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const a of alerts) if (countsTowardHealth(a)) counts[a.severity]++;
  let score = 100;
  for (const s of Object.keys(counts) as AlertSeverity[]) score -= HEALTH_PENALTY[s] * counts[s];
  score = Math.max(0, score);
  return { score, status: healthStatus(score), counts };
}

/** One score per domain; alerts without a `domain` label (portfolio-wide) count for every domain. */
export function healthScoreByDomain(
  alerts: Iterable<AlertInstance>,
  domains: readonly string[],
): Record<string, HealthScore> {
  const list = [...alerts];
  const out: Record<string, HealthScore> = {};
  for (const d of domains)
    out[d] = healthScore(list.filter((a) => a.labels.domain === undefined || a.labels.domain === d));
  return out;
}
