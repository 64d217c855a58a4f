import type { AlertInstance } from './engine-state.ts';

/** What a dashboard shows for an alert: its state, unless muted or acknowledged says more. */
export type AlertDisplayStatus =
  | 'pending'
  | 'firing'
  | 'acknowledged'
  | 'silenced'
  | 'suppressed'
  | 'resolved';

export function alertDisplayStatus(a: AlertInstance): AlertDisplayStatus {
  if (a.state === 'resolved') return 'resolved';
  if (a.silencedBy.length > 0) return 'silenced';
  if (a.suppressedBy.length > 0) return 'suppressed';
  if (a.state === 'pending') return 'pending';
  return a.acknowledgedAt ? 'acknowledged' : 'firing';
}
