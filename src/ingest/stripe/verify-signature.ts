import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 300;
const MAX_HEADER_LENGTH = 4096;

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * Verifies a `Stripe-Signature` header (`t=…,v1=…[,v1=…]`): HMAC-SHA256 with the endpoint's
 * signing secret over `${t}.${body}`, the exact bytes received. Any v1 may match (Stripe signs
 * with every active secret while one is being rolled). A timestamp more than the tolerance away
 * from now, in either direction, is refused: that bounds how long a captured delivery can be replayed.
 */
export function verifyStripeSignature(input: {
  header: string | undefined;
  payload: Buffer;
  secret: string;
  now: Date;
  toleranceSeconds?: number;
}): SignatureCheck {
  const { header } = input;
  if (!header) return { ok: false, reason: 'missing Stripe-Signature header' };
  const parsed = parseHeader(header);
  if (!parsed)
    return { ok: false, reason: 'malformed Stripe-Signature header: expected t=TIMESTAMP,v1=SIGNATURE' };
  const tolerance = input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(input.now.getTime() / 1000 - parsed.timestamp) > tolerance) {
    return {
      ok: false,
      reason: `Stripe-Signature timestamp is more than ${tolerance} seconds from now (a replay, or a wrong clock)`,
    };
  }
  const expected = createHmac('sha256', input.secret)
    .update(`${parsed.timestamp}.`)
    .update(input.payload)
    .digest();
  let matched = false;
  for (const candidate of parsed.signatures) {
    // Every candidate is compared in constant time; which one matched is no secret.
    if (timingSafeEqual(expected, candidate)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'no Stripe-Signature v1 signature matches this endpoint secret' };
  return { ok: true, timestamp: parsed.timestamp };
}

function parseHeader(header: string): { timestamp: number; signatures: Buffer[] } | null {
  if (header.length > MAX_HEADER_LENGTH) return null;
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1' && /^[0-9a-fA-F]{64}$/.test(value)) {
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (v0: Stripe's test-only scheme) never authenticate a delivery.
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}
