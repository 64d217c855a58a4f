import type { AlertRule, Silence, SuppressionWindow } from '../alert-rule-schema.ts';
import type { AlertInstance } from './engine-state.ts';
import { matchesAll } from './matchers.ts';

// Muted alerts keep their state (pending, firing, resolved) and stay visible; they are only left
// out of notifications and escalation. Silences mute by labels; a suppression window mutes only
// the rules that opted into its kind (the seed mutes performance alerts during deployments).

function activeAt<T extends { startsAt: string; endsAt: string }>(items: readonly T[], now: Date): T[] {
  const t = now.getTime();
  return items.filter((i) => Date.parse(i.startsAt) <= t && t < Date.parse(i.endsAt));
}

export function applyMuting(
  alerts: Readonly<Record<string, AlertInstance>>,
  rules: readonly AlertRule[],
  silences: readonly Silence[],
  suppressions: readonly SuppressionWindow[],
  now: Date,
): Record<string, AlertInstance> {
  const liveSilences = activeAt(silences, now);
  const liveWindows = activeAt(suppressions, now);
  const kinds = new Map(rules.map((r) => [r.name, r.suppressDuring]));
  const out: Record<string, AlertInstance> = {};
  for (const [fp, a] of Object.entries(alerts)) {
    const optedIn = kinds.get(a.rule) ?? [];
    out[fp] = {
      ...a,
      silencedBy: liveSilences.filter((s) => matchesAll(s.matchers, a.labels)).map((s) => s.id),
      suppressedBy: liveWindows
        .filter((w) => optedIn.includes(w.kind) && matchesAll(w.matchers, a.labels))
        .map((w) => w.id),
    };
  }
  return out;
}

export function isMuted(a: Pick<AlertInstance, 'silencedBy' | 'suppressedBy'>): boolean {
  return a.silencedBy.length > 0 || a.suppressedBy.length > 0;
}
