import type { Notification } from '../notification.ts';
import { USER_AGENT } from './deliver-webhook.ts';
import type { Sender } from './delivery.ts';
import { guardedTarget } from './guarded-target.ts';
import { postToCheckedUrl } from './http-post.ts';
import type { ResolvedReceiver } from './receiver-schema.ts';
import { formatLabels, notificationTitle, summariseAlerts } from './summary.ts';

// Slack's limits: header text 150 characters, section text 3000, 50 blocks per message.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

/** Escapes the three characters Slack's mrkdwn treats as markup. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An incoming-webhook message: `text` is the fallback (push notifications), `blocks` the layout. */
export function slackMessage(n: Notification, externalUrl: string) {
  const title = notificationTitle(n);
  const { alerts, hidden } = summariseAlerts(n);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, HEADER_MAX) } },
    ...alerts.map((a) => {
      const lines = [
        `*${a.status === 'firing' ? 'Firing' : 'Resolved'}:* ${escapeSlack(a.headline)}`,
        a.description ? escapeSlack(a.description) : null,
        `_${escapeSlack(formatLabels(a.labels))}_`,
        a.endsAt ? `since ${a.startsAt}, resolved ${a.endsAt}` : `since ${a.startsAt}`,
      ].filter((l): l is string => l !== null);
      return { type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), SECTION_MAX) } };
    }),
  ];
  const footer = [
    hidden > 0 ? `${hidden} more alert${hidden === 1 ? '' : 's'} not listed` : null,
    externalUrl ? `<${externalUrl}|Open Portfolio OS>` : null,
  ].filter((l): l is string => l !== null);
  if (footer.length > 0)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer.join(' · ') }] });
  return { text: title, blocks };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const deliverSlack: Sender<Extract<ResolvedReceiver, { kind: 'slack' }>> = async (
  receiver,
  message,
  context,
) => {
  const target = await guardedTarget(receiver.webhookUrl.reveal(), receiver.allowPrivateTargets, context);
  const body = JSON.stringify(slackMessage(message.notification, context.externalUrl));
  const result = await postToCheckedUrl(target, body, {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
  });
  return { detail: `HTTP ${result.status}` };
};
