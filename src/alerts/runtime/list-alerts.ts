import { requireReader } from '../../auth/actor.ts';
import { alertDisplayStatus } from '../engine/alert-status.ts';
import type { AlertInstance } from '../engine/engine-state.ts';
import { healthScore, healthScoreByDomain } from '../engine/health-score.ts';
import type { AlertOut, AlertsHealth, AlertsOut } from './alert-api-schemas.ts';
import { type AlertScope, type AlertsCtx, alertScopeOf, canSee } from './alert-scope.ts';
import { loadEngineState } from './alert-state.sql.ts';

export function alertOut(a: AlertInstance): AlertOut {
  return {
    fingerprint: a.fingerprint,
    rule: a.rule,
    status: alertDisplayStatus(a),
    state: a.state,
    severity: a.severity,
    labels: a.labels,
    annotations: a.annotations,
    activeAt: a.activeAt,
    since:
      (a.state === 'firing' ? a.firedAt : a.state === 'resolved' ? a.resolvedAt : a.activeAt) ?? a.activeAt,
    firedAt: a.firedAt ?? null,
    resolvedAt: a.resolvedAt ?? null,
    value: a.value,
    acknowledgedAt: a.acknowledgedAt ?? null,
    acknowledgedBy: a.acknowledgedBy ?? null,
    silencedBy: a.silencedBy,
    suppressedBy: a.suppressedBy,
  };
}

const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const;

/** The stored alerts the actor may see, with the scope they were filtered by. */
export async function visibleAlerts(ctx: AlertsCtx): Promise<{
  scope: AlertScope;
  alerts: AlertInstance[];
  evaluatedAt: string | null;
  domains: string[];
}> {
  requireReader(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const scope = await alertScopeOf(tx, ctx.actor);
    const loaded = await loadEngineState(tx);
    const at = await tx.query<{ updated_at: Date }>('SELECT updated_at FROM alert_engine_state WHERE id');
    const hosts = await tx.query<{ host: string }>(
      'SELECT host FROM domains WHERE archived_at IS NULL ORDER BY host',
    );
    const alerts = Object.values(loaded.state?.alerts ?? {}).filter((a) => canSee(scope, a.labels));
    const row = at.rows[0];
    return {
      scope,
      alerts,
      evaluatedAt: row ? new Date(row.updated_at).toISOString() : null,
      domains: hosts.rows.map((r) => r.host).filter((h) => scope.all || scope.hosts.has(h)),
    };
  });
}

function health(alerts: AlertInstance[], domains: string[]): AlertsHealth {
  return { overall: healthScore(alerts), byDomain: healthScoreByDomain(alerts, domains) };
}

/** GET /api/v1/alerts: current alerts (firing first, by severity) and the health scores. */
export async function listAlerts({ ctx }: { ctx: AlertsCtx }): Promise<AlertsOut> {
  const { alerts, evaluatedAt, domains } = await visibleAlerts(ctx);
  const rank = (a: AlertInstance) => (a.state === 'firing' ? 0 : a.state === 'pending' ? 1 : 2);
  const sorted = [...alerts].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.activeAt.localeCompare(b.activeAt) ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
  return { evaluatedAt, alerts: sorted.map(alertOut), health: health(alerts, domains) };
}

/** GET /api/v1/alerts/health. */
export async function getAlertsHealth({ ctx }: { ctx: AlertsCtx }): Promise<AlertsHealth> {
  const { alerts, domains } = await visibleAlerts(ctx);
  return health(alerts, domains);
}
