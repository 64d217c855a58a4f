import { randomBytes } from 'node:crypto';

/**
 * End-user tokens: `pos_usr_` + 256 random bits, stored as SHA-256 like every credential (ADR 0003;
 * hash with auth/tokens.ts hashToken). The prefix is not one auth/tokens.ts knows, so a user token
 * never authenticates an operator or API-key route, and only user_sessions can resolve it.
 */
const USER_TOKEN = /^pos_usr_[A-Za-z0-9_-]{43}$/;

export function generateUserToken(): string {
  return `pos_usr_${randomBytes(32).toString('base64url')}`;
}

export function isUserToken(token: string): boolean {
  return USER_TOKEN.test(token);
}

/** Sign-in tokens live a day by default; a domain's server may ask for 5 minutes to 30 days. */
export const DEFAULT_USER_TOKEN_TTL_MS = 24 * 3_600_000;
export const MIN_USER_TOKEN_MINUTES = 5;
export const MAX_USER_TOKEN_MINUTES = 30 * 24 * 60;
