import { z } from 'zod';
import { Labels } from '../notification.ts';

/**
 * The engine's state between evaluations: plain JSON, so the caller can keep it in one table row
 * (or one row per alert) and hand it back to the next `step`. Parse it with `EngineState` on load.
 */

const Iso = z.iso.datetime();

export const AlertState = z.enum(['pending', 'firing', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

/** One alert instance: a rule and a label set. Inactive instances are not kept. */
export const AlertInstance = z.object({
  fingerprint: z.string(),
  rule: z.string(),
  labels: Labels,
  annotations: Labels,
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  state: AlertState,
  /** When the expression became true for this episode (start of `for`). */
  activeAt: Iso,
  /** When it went from pending to firing; Alertmanager's startsAt. */
  firedAt: Iso.optional(),
  /** When the last episode resolved; kept while a new episode is pending so the group can still say so. */
  resolvedAt: Iso.optional(),
  /** Operator who resolved it by hand; the alert then stays resolved until its expression clears. */
  resolvedBy: z.string().optional(),
  latched: z.boolean().default(false),
  value: z.number().nullable(),
  lastEvaluatedAt: Iso,
  acknowledgedAt: Iso.optional(),
  acknowledgedBy: z.string().optional(),
  /** First firing notification of this episode: the escalation clock starts here. */
  notifiedAt: Iso.optional(),
  escalatedSteps: z.number().int().nonnegative().default(0),
  /** Receivers escalated to in this episode; they get the resolved notice too. */
  escalatedTo: z.array(z.string()).default([]),
  silencedBy: z.array(z.string()).default([]),
  suppressedBy: z.array(z.string()).default([]),
});
export type AlertInstance = z.infer<typeof AlertInstance>;

/** An aggregation group: the alerts of one route sharing the route's group_by label values. */
export const AlertGroup = z.object({
  key: z.string(),
  route: z.string(),
  groupLabels: Labels,
  members: z.array(z.string()),
  createdAt: Iso,
  nextFlushAt: Iso,
  /** What the last notification of the group said; the dedup and repeat decisions read it. */
  lastSent: z.object({ at: Iso, firing: z.array(z.string()), resolved: z.array(z.string()) }).optional(),
});
export type AlertGroup = z.infer<typeof AlertGroup>;

export const EngineState = z.object({
  version: z.literal(1),
  alerts: z.record(z.string(), AlertInstance),
  groups: z.record(z.string(), AlertGroup),
});
export type EngineState = z.infer<typeof EngineState>;

export function emptyEngineState(): EngineState {
  return { version: 1, alerts: {}, groups: {} };
}

export const AlertTransition = z.object({
  fingerprint: z.string(),
  rule: z.string(),
  labels: Labels,
  from: z.enum(['inactive', 'pending', 'firing', 'resolved']),
  to: z.enum(['inactive', 'pending', 'firing', 'resolved']),
  at: Iso,
  /** Operator for a manual resolve. */
  by: z.string().optional(),
});
export type AlertTransition = z.infer<typeof AlertTransition>;

/** An operator's action, applied at the start of the step that receives it. */
export const AlertCommand = z.object({
  type: z.enum(['acknowledge', 'resolve']),
  fingerprint: z.string().min(1),
  by: z.string().min(1),
});
export type AlertCommand = z.infer<typeof AlertCommand>;
