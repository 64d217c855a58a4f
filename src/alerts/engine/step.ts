import type { AlertingConfig, Silence, SuppressionWindow } from '../alert-rule-schema.ts';
import type { Notification } from '../notification.ts';
import { dedupNotifications } from './build-notification.ts';
import { dispatch } from './dispatch.ts';
import type { AlertCommand, AlertInstance, AlertTransition, EngineState } from './engine-state.ts';
import { escalate } from './escalation.ts';
import type { EvalContext } from './evaluate-expr.ts';
import { evaluateRules } from './evaluate-rules.ts';
import type { MetricSnapshot } from './metric-snapshot.ts';
import { applyMuting } from './muting.ts';

/** Resolved alerts stay visible this long after resolving (Prometheus keeps them 15 minutes). */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

export interface EngineInput {
  config: AlertingConfig;
  snapshot: MetricSnapshot;
  silences?: readonly Silence[];
  /** Windows from the API (deployments as they happen), in addition to the config's planned ones. */
  suppressions?: readonly SuppressionWindow[];
  /** Operators' acknowledgements and manual resolves since the last step. */
  commands?: readonly AlertCommand[];
  anomalyScore?: EvalContext['anomalyScore'];
}

export interface StepResult {
  state: EngineState;
  notifications: Notification[];
  transitions: AlertTransition[];
  /** Commands naming no alert, or an alert in a state they do not apply to. */
  ignoredCommands: AlertCommand[];
}

function applyCommands(
  alerts: Record<string, AlertInstance>,
  commands: readonly AlertCommand[],
  now: string,
): { transitions: AlertTransition[]; ignored: AlertCommand[] } {
  const transitions: AlertTransition[] = [];
  const ignored: AlertCommand[] = [];
  for (const cmd of commands) {
    const a = alerts[cmd.fingerprint];
    if (!a || a.state === 'resolved') {
      ignored.push(cmd);
      continue;
    }
    if (cmd.type === 'acknowledge') {
      if (!a.acknowledgedAt) alerts[a.fingerprint] = { ...a, acknowledgedAt: now, acknowledgedBy: cmd.by };
      continue;
    }
    // Latched: resolved by hand, it stays resolved until its expression clears once.
    alerts[a.fingerprint] = { ...a, state: 'resolved', resolvedAt: now, resolvedBy: cmd.by, latched: true };
    transitions.push({
      fingerprint: a.fingerprint,
      rule: a.rule,
      labels: a.labels,
      from: a.state,
      to: 'resolved',
      at: now,
      by: cmd.by,
    });
  }
  return { transitions, ignored };
}

function dropExpired(state: EngineState, now: Date): EngineState {
  const members = new Set(Object.values(state.groups).flatMap((g) => g.members));
  const alerts: Record<string, AlertInstance> = {};
  for (const [fp, a] of Object.entries(state.alerts)) {
    const expired =
      a.state === 'resolved' &&
      !a.latched &&
      a.escalatedTo.length === 0 &&
      !members.has(fp) &&
      now.getTime() - Date.parse(a.resolvedAt ?? a.lastEvaluatedAt) >= RESOLVED_RETENTION_MS;
    if (!expired) alerts[fp] = a;
  }
  return { ...state, alerts };
}

/**
 * One evaluation at `now`: apply operators' commands, evaluate every rule, mute, flush the due
 * groups, escalate, forget old resolved alerts. Pure: the same state, input and `now` always give
 * the same result, so a retried evaluation produces the same notifications (same dedup keys).
 */
export function step(state: EngineState, input: EngineInput, now: Date): StepResult {
  const nowIso = now.toISOString();
  const { config } = input;
  const alerts0 = { ...state.alerts };
  const commands = applyCommands(alerts0, input.commands ?? [], nowIso);
  const evaluated = evaluateRules(alerts0, config.rules, {
    now,
    snapshot: input.snapshot,
    anomalyScore: input.anomalyScore,
  });
  const muted = applyMuting(
    evaluated.alerts,
    config.rules,
    input.silences ?? [],
    [...config.suppressions, ...(input.suppressions ?? [])],
    now,
  );
  const dispatched = dispatch(muted, state.groups, config.routes, now);
  const escalated = escalate(dispatched.alerts, config.escalation, config.rules, now);
  const next = dropExpired({ version: 1, alerts: escalated.alerts, groups: dispatched.groups }, now);
  return {
    state: next,
    notifications: dedupNotifications([...dispatched.notifications, ...escalated.notifications]),
    transitions: [...commands.transitions, ...evaluated.transitions],
    ignoredCommands: commands.ignored,
  };
}
