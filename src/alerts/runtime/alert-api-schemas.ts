import { z } from 'zod';
import { Text } from '../../config/portfolio/common.ts';
import { LabelMatcher, SuppressionKind } from '../alert-rule-schema.ts';
import { AlertSeverity, Labels } from '../notification.ts';

// Request and response shapes of /api/v1/alerts, /silences, /suppressions (docs/alerts.md, "Runtime").

const Instant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time like 2025-06-01T22:00:00Z',
});

export const AlertOut = z.object({
  fingerprint: z.string(),
  rule: z.string(),
  /** firing, pending, acknowledged, silenced, suppressed, or resolved (within the last 15 minutes). */
  status: z.enum(['pending', 'firing', 'acknowledged', 'silenced', 'suppressed', 'resolved']),
  state: z.enum(['pending', 'firing', 'resolved']),
  severity: AlertSeverity,
  labels: Labels,
  annotations: Labels,
  /** When the current episode became active (pending), fired, resolved. */
  activeAt: z.string(),
  since: z.string().describe('firedAt for firing alerts, resolvedAt for resolved ones, else activeAt.'),
  firedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  value: z.number().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  silencedBy: z.array(z.string()),
  suppressedBy: z.array(z.string()),
});
export type AlertOut = z.infer<typeof AlertOut>;

export const HealthOut = z.object({
  score: z.number(),
  status: z.enum(['excellent', 'good', 'warning', 'critical']),
  counts: z.record(AlertSeverity, z.number()),
});

export const AlertsHealth = z.object({
  overall: HealthOut,
  byDomain: z.record(z.string(), HealthOut),
});
export type AlertsHealth = z.infer<typeof AlertsHealth>;

export const AlertsOut = z.object({
  evaluatedAt: z.string().nullable(),
  alerts: z.array(AlertOut),
  health: AlertsHealth,
});
export type AlertsOut = z.infer<typeof AlertsOut>;

export const FingerprintParams = z.object({
  fingerprint: z.string().regex(/^[0-9a-f]{1,64}$/, 'must be an alert fingerprint (hex)'),
});

export const SilenceBody = z
  .strictObject({
    matchers: z.array(LabelMatcher).min(1, 'list at least one matcher').max(20),
    startsAt: Instant.optional().describe('Default: now.'),
    endsAt: Instant,
    comment: Text,
  })
  .describe('A silence: matching alerts stay visible as silenced and notify nobody until endsAt.');
export type SilenceBody = z.infer<typeof SilenceBody>;

/** A matcher as stored and answered: always the object form. */
export const MatcherOut = z.object({
  name: z.string(),
  op: z.enum(['=', '!=', '=~', '!~']),
  value: z.string(),
});

export const SilenceOut = z.object({
  id: z.string(),
  matchers: z.array(MatcherOut),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
  createdAt: z.string(),
  expiredAt: z.string().nullable(),
  status: z.enum(['pending', 'active', 'expired']),
});
export type SilenceOut = z.infer<typeof SilenceOut>;

export const SuppressionBody = z
  .strictObject({
    kind: SuppressionKind,
    matchers: z.array(LabelMatcher).max(20).default([]),
    startsAt: Instant.optional().describe('Default: now.'),
    endsAt: Instant.optional().describe('Default: startsAt + 30 minutes.'),
    comment: Text.optional(),
  })
  .describe('A deployment or maintenance window; mutes rules whose suppressDuring names its kind.');
export type SuppressionBody = z.infer<typeof SuppressionBody>;

export const SuppressionOut = z.object({
  id: z.string(),
  kind: SuppressionKind,
  matchers: z.array(MatcherOut),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string().nullable(),
});
export type SuppressionOut = z.infer<typeof SuppressionOut>;

export const HistoryQuery = z.object({
  from: Instant.optional().describe('Default: 24 hours before `to`.'),
  to: Instant.optional().describe('Default: now.'),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

export const TransitionOut = z.object({
  fingerprint: z.string(),
  rule: z.string(),
  labels: Labels,
  from: z.string(),
  to: z.string(),
  at: z.string(),
  by: z.string().nullable(),
});
export const HistoryOut = z.object({ transitions: z.array(TransitionOut), truncated: z.boolean() });
export type HistoryOut = z.infer<typeof HistoryOut>;
