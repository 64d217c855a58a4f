import type { LabelMatcher } from '../alert-rule-schema.ts';
import type { AlertInstance } from './engine-state.ts';

/** Matchers that silence exactly this alert: one `=` matcher per label, as Alertmanager's UI does. */
export function silenceMatchersFor(a: Pick<AlertInstance, 'labels'>): LabelMatcher[] {
  return Object.entries(a.labels)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([name, value]) => ({ name, op: '=' as const, value }));
}
