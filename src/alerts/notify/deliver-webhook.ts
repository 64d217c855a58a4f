import type { Notification } from '../notification.ts';
import type { Sender } from './delivery.ts';
import { guardedTarget } from './guarded-target.ts';
import { DEFAULT_HTTP_TIMEOUT_MS, postToCheckedUrl } from './http-post.ts';
import type { ResolvedReceiver } from './receiver-schema.ts';
import { NOTIFICATION_ID_HEADER, SIGNATURE_HEADER, signNotification, TIMESTAMP_HEADER } from './signature.ts';

export const USER_AGENT = 'PortfolioOS-Notifier/1';

/** Alertmanager's webhook payload, version 4: receivers written for Alertmanager take it as is. */
export function alertmanagerPayload(n: Notification, externalUrl: string) {
  return {
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: 0,
    status: n.status,
    receiver: n.receiver,
    groupLabels: n.groupLabels,
    commonLabels: n.commonLabels,
    commonAnnotations: n.commonAnnotations,
    externalURL: externalUrl,
    alerts: n.alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
    })),
  };
}

export const deliverWebhook: Sender<Extract<ResolvedReceiver, { kind: 'webhook' }>> = async (
  receiver,
  message,
  context,
) => {
  const target = await guardedTarget(receiver.url, receiver.allowPrivateTargets, context);
  const body = JSON.stringify(alertmanagerPayload(message.notification, context.externalUrl));
  const timestamp = Math.floor(context.now.getTime() / 1000);
  const signature = signNotification({ secret: receiver.secret.reveal(), timestamp, id: message.id, body });
  const result = await postToCheckedUrl(
    target,
    body,
    {
      ...receiver.headers,
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      [NOTIFICATION_ID_HEADER]: message.id,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signature,
    },
    DEFAULT_HTTP_TIMEOUT_MS,
  );
  return { detail: `HTTP ${result.status}` };
};
