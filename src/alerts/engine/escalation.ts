import type { AlertRule, EscalationDelay, EscalationPolicy, EscalationStep } from '../alert-rule-schema.ts';
import type { Notification } from '../notification.ts';
import { buildNotifications } from './build-notification.ts';
import { durationMs } from './duration.ts';
import type { AlertInstance } from './engine-state.ts';
import { isMuted } from './muting.ts';

// Escalation per alert: when a firing alert is still unacknowledged a step's delay after its
// first notification, the step's receivers are told (the seed's matrix: high → security team
// and CTO, critical → also the CEO). Receivers escalated to are also told when it resolves.

const delayMs = (d: EscalationDelay) => (d === 'immediate' ? 0 : durationMs(d));

/** Step delays for a rule: its escalateAfter replaces the first delay and shifts the later ones. */
export function escalationDelays(steps: readonly EscalationStep[], rule: AlertRule | undefined): number[] {
  const delays = steps.map((s) => delayMs(s.after));
  if (!rule?.escalateAfter || delays.length === 0) return delays;
  const shift = delayMs(rule.escalateAfter) - (delays[0] ?? 0);
  return delays.map((d) => Math.max(0, d + shift));
}

export interface EscalationResult {
  alerts: Record<string, AlertInstance>;
  notifications: Notification[];
}

export function escalate(
  alertsIn: Readonly<Record<string, AlertInstance>>,
  policy: EscalationPolicy,
  rules: readonly AlertRule[],
  now: Date,
): EscalationResult {
  const alerts: Record<string, AlertInstance> = {};
  const notifications: Notification[] = [];
  const rulesByName = new Map(rules.map((r) => [r.name, r]));
  const groupKey = (a: AlertInstance) => `escalation:${a.fingerprint}`;
  const groupLabels = (a: AlertInstance) => ({ alertname: a.labels.alertname ?? a.rule });

  for (const [fp, a] of Object.entries(alertsIn)) {
    alerts[fp] = a;
    if (a.state === 'resolved' && a.escalatedTo.length > 0) {
      if (!isMuted(a))
        notifications.push(
          ...buildNotifications({
            receivers: a.escalatedTo,
            groupKey: groupKey(a),
            groupLabels: groupLabels(a),
            firing: [],
            resolved: [a],
            reason: 'resolved',
            now,
          }),
        );
      alerts[fp] = { ...a, escalatedTo: [] };
      continue;
    }
    const steps = policy[a.severity] ?? [];
    if (a.state !== 'firing' || !a.notifiedAt || a.acknowledgedAt || isMuted(a)) continue;
    const delays = escalationDelays(steps, rulesByName.get(a.rule));
    const elapsed = now.getTime() - Date.parse(a.notifiedAt);
    let done = a.escalatedSteps;
    const receivers: string[] = [];
    for (; done < steps.length; done++) {
      const due = steps[done];
      if (!due || elapsed < (delays[done] ?? 0)) break;
      for (const r of due.receivers) if (!receivers.includes(r)) receivers.push(r);
    }
    if (receivers.length === 0) continue;
    notifications.push(
      ...buildNotifications({
        receivers,
        groupKey: groupKey(a),
        groupLabels: groupLabels(a),
        firing: [a],
        resolved: [],
        reason: 'escalation',
        now,
      }),
    );
    const escalatedTo = [...a.escalatedTo, ...receivers.filter((r) => !a.escalatedTo.includes(r))];
    alerts[fp] = { ...a, escalatedSteps: done, escalatedTo };
  }
  return { alerts, notifications };
}
