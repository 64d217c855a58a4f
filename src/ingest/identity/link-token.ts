import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A short-lived signed reference to a visitor on one owned domain, added to links towards
 * another owned domain so both visits join one identity without any cross-site cookie.
 */
export interface LinkClaims {
  domainId: string;
  visitorId: string;
  expiresAt: number;
}

export const LINK_TOKEN_TTL_MS = 10 * 60_000;

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function mintLinkToken(secret: string, claims: LinkClaims): string {
  const payload = Buffer.from(`${claims.domainId}|${claims.visitorId}|${claims.expiresAt}`).toString(
    'base64url',
  );
  return `${payload}.${sign(secret, payload)}`;
}

/** The claims of a valid, unexpired token; null for anything forged, altered, expired or malformed. */
export function verifyLinkToken(secret: string, token: string, now: number): LinkClaims | null {
  if (token.length > 512) return null;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const [domainId, visitorId, exp] = Buffer.from(payload, 'base64url').toString('utf8').split('|');
  const expiresAt = Number(exp);
  if (!domainId || !visitorId || !Number.isFinite(expiresAt) || expiresAt < now) return null;
  return { domainId, visitorId, expiresAt };
}
