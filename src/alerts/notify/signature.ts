import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures. The signed string is `${timestamp}.${notificationId}.${body}`: the timestamp
 * bounds replays and the id (what receivers dedup on) cannot be swapped without breaking the
 * signature. Header: `X-Portfolio-Signature: sha256=<hex HMAC-SHA256 with the receiver's secret>`.
 */

export const SIGNATURE_HEADER = 'x-portfolio-signature';
export const TIMESTAMP_HEADER = 'x-portfolio-timestamp';
export const NOTIFICATION_ID_HEADER = 'x-portfolio-notification-id';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signNotification(input: {
  secret: string;
  timestamp: number;
  id: string;
  body: string | Buffer;
}): string {
  const mac = createHmac('sha256', input.secret)
    .update(`${input.timestamp}.${input.id}.`)
    .update(input.body)
    .digest('hex');
  return `sha256=${mac}`;
}

export type SignatureCheck = { ok: true; id: string; timestamp: number } | { ok: false; reason: string };

/** What a receiver runs (documented in docs/notifications.md); exported for receivers written in TypeScript. */
export function verifyNotificationSignature(input: {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
  secret: string;
  now: Date;
  toleranceSeconds?: number;
}): SignatureCheck {
  const header = (name: string) => {
    const v = input.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const signature = header(SIGNATURE_HEADER);
  const timestampText = header(TIMESTAMP_HEADER);
  const id = header(NOTIFICATION_ID_HEADER);
  if (!signature || !timestampText || !id) return { ok: false, reason: 'missing signature headers' };
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: 'malformed timestamp' };
  const timestamp = Number(timestampText);
  const tolerance = input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(input.now.getTime() / 1000 - timestamp) > tolerance)
    return { ok: false, reason: `timestamp more than ${tolerance} s from now` };
  const match = /^sha256=([0-9a-f]{64})$/.exec(signature);
  if (!match) return { ok: false, reason: 'malformed signature' };
  const expected = Buffer.from(
    signNotification({ secret: input.secret, timestamp, id, body: input.body }).slice('sha256='.length),
    'hex',
  );
  if (!timingSafeEqual(expected, Buffer.from(match[1] as string, 'hex')))
    return { ok: false, reason: 'signature does not match' };
  return { ok: true, id, timestamp };
}
