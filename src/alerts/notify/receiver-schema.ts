import { z } from 'zod';
import { AppError } from '../../shared/app-error.ts';
import { resolveSecret, type Secret, SecretRef, type SecretSources } from './secret.ts';

/**
 * Notification receivers as written in the portfolio file (`receivers:`). Credentials are never
 * inline: they are references (`{ env: NAME }` or `{ file: PATH }`) resolved once at startup.
 */

export const ReceiverName = z.string().trim().min(1).max(100);

// Headers the notifier sets itself; a receiver's extra headers may not replace them.
const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'host',
  'user-agent',
  'x-portfolio-signature',
  'x-portfolio-timestamp',
  'x-portfolio-notification-id',
]);

const HeaderName = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an HTTP header name')
  .refine((h) => !RESERVED_HEADERS.has(h.toLowerCase()), 'is set by the notifier itself');

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000);

const common = {
  name: ReceiverName,
  /** Lets this receiver reach loopback, private and other non-public addresses (a local relay, tests). */
  allowPrivateTargets: z.boolean().default(false),
};

export const WebhookReceiver = z.strictObject({
  kind: z.literal('webhook'),
  ...common,
  url: HttpUrl,
  /** HMAC-SHA256 key for `X-Portfolio-Signature`. */
  secret: SecretRef,
  headers: z.record(HeaderName, z.string().max(2000)).default({}),
});
export type WebhookReceiver = z.infer<typeof WebhookReceiver>;

export const SlackReceiver = z.strictObject({
  kind: z.literal('slack'),
  ...common,
  /** The incoming-webhook URL is itself the credential (Slack: "keep it secret"), so it is a reference. */
  webhookUrl: SecretRef,
});
export type SlackReceiver = z.infer<typeof SlackReceiver>;

export const EmailReceiver = z.strictObject({
  kind: z.literal('email'),
  ...common,
  to: z.array(z.email()).min(1).max(50),
  from: z.email(),
  smtp: z.strictObject({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65535).default(587),
    /** true: TLS from the first byte (port 465); false: plain connection upgraded with STARTTLS. */
    secure: z.boolean().default(false),
    /** Refuse to send when the server does not offer STARTTLS (ignored when `secure`). */
    requireTls: z.boolean().default(true),
    user: z.string().min(1).max(320).optional(),
    pass: SecretRef.optional(),
  }),
});
export type EmailReceiver = z.infer<typeof EmailReceiver>;

export const Receiver = z.discriminatedUnion('kind', [WebhookReceiver, SlackReceiver, EmailReceiver]);
export type Receiver = z.infer<typeof Receiver>;
export type ChannelKind = Receiver['kind'];

export const Receivers = z.array(Receiver).superRefine((receivers, ctx) => {
  const seen = new Set<string>();
  receivers.forEach((r, i) => {
    if (seen.has(r.name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `receiver ${r.name} is listed twice` });
    seen.add(r.name);
  });
});
export type Receivers = z.infer<typeof Receivers>;

/** A receiver with its credentials read: what the senders use. */
export type ResolvedReceiver =
  | (Omit<WebhookReceiver, 'secret'> & { secret: Secret })
  | (Omit<SlackReceiver, 'webhookUrl'> & { webhookUrl: Secret })
  | (Omit<EmailReceiver, 'smtp'> & {
      smtp: Omit<EmailReceiver['smtp'], 'pass'> & { pass?: Secret | undefined };
    });

/** Reads every receiver's credentials; run once at startup so a missing secret stops the start. */
export function resolveReceivers(receivers: readonly Receiver[], sources: SecretSources): ResolvedReceiver[] {
  return receivers.map((r, i) => resolveReceiver(r, sources, `receivers[${i}]`));
}

function resolveReceiver(r: Receiver, sources: SecretSources, field: string): ResolvedReceiver {
  if (r.kind === 'webhook') return { ...r, secret: resolveSecret(r.secret, sources, `${field}.secret`) };
  if (r.kind === 'slack') {
    const webhookUrl = resolveSecret(r.webhookUrl, sources, `${field}.webhookUrl`);
    if (!HttpUrl.safeParse(webhookUrl.reveal()).success)
      throw new AppError('invalid_portfolio', `${field}.webhookUrl: the secret is not an http(s) URL`, field);
    return { ...r, webhookUrl };
  }
  return {
    ...r,
    smtp: { ...r.smtp, pass: r.smtp.pass && resolveSecret(r.smtp.pass, sources, `${field}.smtp.pass`) },
  };
}
