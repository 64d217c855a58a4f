import { isIP } from 'node:net';
import { createTransport } from 'nodemailer';
import type { Notification } from '../notification.ts';
import { DeliveryError, type Sender } from './delivery.ts';
import { guardedTarget } from './guarded-target.ts';
import type { ResolvedReceiver } from './receiver-schema.ts';
import { NOTIFICATION_ID_HEADER } from './signature.ts';
import { formatLabels, notificationTitle, summariseAlerts } from './summary.ts';

const SMTP_TIMEOUT_MS = 15_000;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Subject, plain text and HTML of the message; pure. */
export function emailContent(n: Notification, externalUrl: string) {
  const subject = notificationTitle(n);
  const { alerts, hidden } = summariseAlerts(n);
  const more = hidden > 0 ? `${hidden} more alert${hidden === 1 ? '' : 's'} not listed.` : '';
  const text = [
    subject,
    '',
    ...alerts.flatMap((a) => [
      `${a.status === 'firing' ? 'FIRING' : 'RESOLVED'}: ${a.headline}`,
      ...(a.description ? [a.description] : []),
      `Labels: ${formatLabels(a.labels)}`,
      a.endsAt ? `Since ${a.startsAt}, resolved ${a.endsAt}` : `Since ${a.startsAt}`,
      ...(a.link ? [a.link] : []),
      '',
    ]),
    ...(more ? [more] : []),
    ...(externalUrl ? [`Portfolio OS: ${externalUrl}`] : []),
  ].join('\n');
  const html = [
    `<h2>${escapeHtml(subject)}</h2>`,
    ...alerts.map(
      (a) =>
        `<div style="margin:0 0 1em"><strong>${a.status === 'firing' ? 'FIRING' : 'RESOLVED'}:</strong> ` +
        `${escapeHtml(a.headline)}` +
        (a.description ? `<br>${escapeHtml(a.description)}` : '') +
        `<br><small>${escapeHtml(formatLabels(a.labels))}</small>` +
        `<br><small>${escapeHtml(a.endsAt ? `Since ${a.startsAt}, resolved ${a.endsAt}` : `Since ${a.startsAt}`)}</small>` +
        '</div>',
    ),
    more ? `<p>${escapeHtml(more)}</p>` : '',
    externalUrl ? `<p><a href="${escapeHtml(externalUrl)}">Open Portfolio OS</a></p>` : '',
  ].join('\n');
  return { subject, text, html };
}

/**
 * Sends over SMTP. The guard resolves and checks the SMTP host; nodemailer then connects to that
 * address (TLS still verifies the certificate against the host name), so DNS cannot rebind.
 */
export const deliverEmail: Sender<Extract<ResolvedReceiver, { kind: 'email' }>> = async (
  receiver,
  message,
  context,
) => {
  const { smtp } = receiver;
  const scheme = smtp.secure ? 'https' : 'http'; // only to run the guard on host and port
  const target = await guardedTarget(
    `${scheme}://${isIP(smtp.host) === 6 ? `[${smtp.host}]` : smtp.host}:${smtp.port}/`,
    receiver.allowPrivateTargets,
    context,
  );
  const address = (target.addresses[0] as (typeof target.addresses)[0]).address;
  const transport = createTransport({
    host: address,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: !smtp.secure && smtp.requireTls,
    opportunisticTLS: !smtp.requireTls,
    // TLS (implicit or STARTTLS) verifies the certificate against this name, not the address.
    ...(isIP(smtp.host) ? {} : { servername: smtp.host }),
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass?.reveal() ?? '' } : undefined,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  const content = emailContent(message.notification, context.externalUrl);
  try {
    const info = await transport.sendMail({
      from: receiver.from,
      to: receiver.to,
      subject: content.subject,
      text: content.text,
      html: content.html,
      messageId: `<${message.id}@portfolio-os>`,
      headers: { [NOTIFICATION_ID_HEADER]: message.id },
    });
    return { detail: String(info.response ?? 'accepted') };
  } catch (err) {
    const e = err as Error & { responseCode?: number };
    // Even a 5xx answer is retried (bounded by the retry policy): a rejected login or a full
    // mailbox is fixed by a person, and the notification should still arrive then.
    throw new DeliveryError(`SMTP ${smtp.host}:${smtp.port}: ${e.message}`, {
      permanent: false,
      ...(e.responseCode ? { status: e.responseCode } : {}),
    });
  } finally {
    transport.close();
  }
};
