import type { Labels, Notification, NotifiedAlert } from '../notification.ts';

/**
 * The human-readable form of a notification, shared by Slack and e-mail (pure). The title follows
 * Alertmanager's default: `[FIRING:2] <group label values> (<other common label values>)`.
 */

const MAX_ALERTS_LISTED = 20;

export function notificationTitle(n: Notification): string {
  const firing = n.alerts.filter((a) => a.status === 'firing').length;
  const state = n.status === 'firing' ? `FIRING:${firing}` : 'RESOLVED';
  const prefix = n.reason === 'escalation' ? '[ESCALATION] ' : '';
  const group = sortedValues(n.groupLabels).join(' ');
  const extra = sortedValues(
    Object.fromEntries(Object.entries(n.commonLabels).filter(([k]) => !(k in n.groupLabels))),
  ).join(' ');
  return `${prefix}[${state}] ${group || n.groupKey}${extra ? ` (${extra})` : ''}`;
}

export interface AlertSummary {
  status: NotifiedAlert['status'];
  headline: string;
  description: string | undefined;
  labels: [string, string][];
  startsAt: string;
  endsAt: string | undefined;
  link: string | undefined;
}

/** The alerts to list, firing first; `hidden` counts those left out of a long list. */
export function summariseAlerts(n: Notification): { alerts: AlertSummary[]; hidden: number } {
  const ordered = [...n.alerts].sort((a, b) => (a.status === b.status ? 0 : a.status === 'firing' ? -1 : 1));
  const shown = ordered.slice(0, MAX_ALERTS_LISTED).map((a) => ({
    status: a.status,
    headline: a.annotations.summary ?? a.labels.alertname ?? a.fingerprint,
    description: a.annotations.description,
    labels: Object.entries(a.labels).sort(([x], [y]) => x.localeCompare(y)),
    startsAt: a.startsAt,
    endsAt: a.status === 'resolved' ? a.endsAt : undefined,
    link: a.generatorURL || undefined,
  }));
  return { alerts: shown, hidden: ordered.length - shown.length };
}

export function formatLabels(labels: [string, string][]): string {
  return labels.map(([k, v]) => `${k}=${v}`).join(', ');
}

function sortedValues(labels: Labels): string[] {
  return Object.keys(labels)
    .sort()
    .map((k) => labels[k] as string);
}
