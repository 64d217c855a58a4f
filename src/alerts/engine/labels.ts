import { createHash } from 'node:crypto';
import type { Labels } from '../notification.ts';

/** Labels sorted by name as `{a="1",b="2"}`: a canonical, readable identity of a label set. */
export function labelsKey(labels: Labels): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${parts.join(',')}}`;
}

/** Stable hash of the sorted labels: the alert instance's identity across evaluations. */
export function fingerprint(labels: Labels): string {
  return createHash('sha256').update(labelsKey(labels)).digest('hex').slice(0, 16);
}

/** Labels whose name and value every set shares (Alertmanager's commonLabels). */
export function commonLabels(sets: Labels[]): Labels {
  const [first, ...rest] = sets;
  if (!first) return {};
  const out: Labels = {};
  for (const [k, v] of Object.entries(first)) if (rest.every((s) => s[k] === v)) out[k] = v;
  return out;
}

/** The named labels the set has; `...` means every label (Alertmanager's group_by: ['...']). */
export function pickLabels(labels: Labels, names: readonly string[]): Labels {
  if (names.includes('...')) return { ...labels };
  const out: Labels = {};
  for (const n of names) {
    const v = labels[n];
    if (v !== undefined) out[n] = v;
  }
  return out;
}
