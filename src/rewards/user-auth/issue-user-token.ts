import { hashToken } from '../../auth/tokens.ts';
import type { Queryable } from '../../db/types.ts';
import { findDomainUser } from './domain-users.sql.ts';
import type { Requester, RequesterCtx } from './requester.ts';
import { insertUserSession, type NewUserSession } from './user-sessions.sql.ts';
import { DEFAULT_USER_TOKEN_TTL_MS, generateUserToken } from './user-tokens.ts';

export interface IssuedUserToken {
  token: string;
  userId: string;
  expiresAt: string;
}

/** Creates a user session row and returns its token, shown this once (only its hash is kept). */
export async function createUserToken(
  q: Queryable,
  session: Omit<NewUserSession, 'tokenHash'>,
): Promise<IssuedUserToken> {
  const token = generateUserToken();
  await insertUserSession(q, { ...session, tokenHash: hashToken(token) });
  return { token, userId: session.userId, expiresAt: session.expiresAt.toISOString() };
}

/**
 * `POST /api/v1/users/:userId/tokens`: a domain's server (its secret key) gets a token for a user
 * active on its domain, to hand to that user's browser or app. Revoking the key ends the token.
 */
export async function issueUserTokenForDomain({
  ctx,
  input,
}: {
  ctx: RequesterCtx & { requester: Extract<Requester, { kind: 'domain' }> };
  input: { userId: string; expiresInMinutes?: number | undefined };
}): Promise<IssuedUserToken> {
  const { requester } = ctx;
  const ttlMs =
    input.expiresInMinutes === undefined ? DEFAULT_USER_TOKEN_TTL_MS : input.expiresInMinutes * 60_000;
  return ctx.db.transaction(async (tx) => {
    const userId = await findDomainUser(tx, requester.domainId, { userId: input.userId }, 'params.userId');
    return createUserToken(tx, {
      userId,
      method: 'api_key',
      walletAddress: null,
      apiKeyId: requester.keyId,
      domainId: requester.domainId,
      now: ctx.now,
      expiresAt: new Date(ctx.now.getTime() + ttlMs),
    });
  });
}
