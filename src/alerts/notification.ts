import { z } from 'zod';

// The message the alert engine hands to the notification outbox: one alert group in one state,
// shaped like Alertmanager's webhook payload (version 4) so a webhook receiver can take it as is.
// The engine (src/alerts/engine) produces it; the notifiers (src/alerts/notify) deliver it.

export const AlertSeverity = z.enum(['critical', 'high', 'medium', 'low']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

export const Labels = z.record(z.string(), z.string());
export type Labels = z.infer<typeof Labels>;

export const NotifiedAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: Labels,
  annotations: Labels,
  startsAt: z.iso.datetime(),
  /** '0001-01-01T00:00:00Z' while firing, as Alertmanager sends. */
  endsAt: z.iso.datetime(),
  /** Stable hash of the sorted labels. */
  fingerprint: z.string(),
  generatorURL: z.string().default(''),
});
export type NotifiedAlert = z.infer<typeof NotifiedAlert>;

export const Notification = z.object({
  /** Name of the receiver (a channel or an escalation target) this goes to. */
  receiver: z.string().min(1),
  status: z.enum(['firing', 'resolved']),
  alerts: z.array(NotifiedAlert).min(1),
  groupLabels: Labels,
  commonLabels: Labels,
  commonAnnotations: Labels,
  /** Identifies the group across evaluations: route id + group_by label values. */
  groupKey: z.string().min(1),
  /** Why this was sent: first notice, group change, repeat or escalation. Dedup key part. */
  reason: z.enum(['initial', 'update', 'repeat', 'escalation', 'resolved']),
  /** Evaluation time that produced it (ISO); with groupKey, status and the alerts' fingerprints it
   *  makes the outbox's dedup key, so a retried evaluation never enqueues twice. */
  createdAt: z.iso.datetime(),
});
export type Notification = z.infer<typeof Notification>;
