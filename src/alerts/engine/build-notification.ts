import type { Labels, Notification, NotifiedAlert } from '../notification.ts';
import type { AlertInstance } from './engine-state.ts';
import { commonLabels, labelsKey } from './labels.ts';

/** What Alertmanager sends as endsAt for an alert that is still firing. */
export const STILL_FIRING = '0001-01-01T00:00:00Z';

export function notifiedAlert(a: AlertInstance, status: 'firing' | 'resolved'): NotifiedAlert {
  return {
    status,
    labels: a.labels,
    annotations: a.annotations,
    startsAt: a.firedAt ?? a.activeAt,
    endsAt: status === 'resolved' ? (a.resolvedAt ?? a.lastEvaluatedAt) : STILL_FIRING,
    fingerprint: a.fingerprint,
    generatorURL: '',
  };
}

const byLabels = (x: AlertInstance, y: AlertInstance) =>
  labelsKey(x.labels).localeCompare(labelsKey(y.labels));

export interface NotificationParts {
  receivers: readonly string[];
  groupKey: string;
  groupLabels: Labels;
  firing: AlertInstance[];
  resolved: AlertInstance[];
  reason: Notification['reason'];
  now: Date;
}

/** One notification per receiver, alerts sorted by labels: firing first, then resolved. */
export function buildNotifications(p: NotificationParts): Notification[] {
  const alerts = [
    ...[...p.firing].sort(byLabels).map((a) => notifiedAlert(a, 'firing')),
    ...[...p.resolved].sort(byLabels).map((a) => notifiedAlert(a, 'resolved')),
  ];
  if (alerts.length === 0) return [];
  const base = {
    status: p.firing.length > 0 ? ('firing' as const) : ('resolved' as const),
    alerts,
    groupLabels: p.groupLabels,
    commonLabels: commonLabels(alerts.map((a) => a.labels)),
    commonAnnotations: commonLabels(alerts.map((a) => a.annotations)),
    groupKey: p.groupKey,
    reason: p.reason,
    createdAt: p.now.toISOString(),
  };
  return p.receivers.map((receiver) => ({ receiver, ...base }));
}

/** The outbox's dedup key: receiver, group, status, alerts and reason at one evaluation time. */
export function notificationKey(n: Notification): string {
  const fps = n.alerts.map((a) => `${a.fingerprint}:${a.status}`).sort();
  return [n.receiver, n.groupKey, n.status, fps.join(','), n.reason, n.createdAt].join('|');
}

/** Drops notifications identical to an earlier one of the same step. */
export function dedupNotifications(list: readonly Notification[]): Notification[] {
  const seen = new Set<string>();
  return list.filter((n) => {
    const key = notificationKey(n);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
