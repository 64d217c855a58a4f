import type { FastifyContextConfig, FastifyRequest } from 'fastify';
import { hashToken } from '../../auth/tokens.ts';
import type { Db } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import type { UserPrincipal } from './requester.ts';
import { findLiveSession, touchSession } from './user-sessions.sql.ts';
import { isUserToken } from './user-tokens.ts';

/**
 * Route config for end-user routes: the server's hook must let a bearer it does not know (a user
 * token) through, and the route then calls authenticateUser itself.
 */
export const END_USER_ROUTE = { public: true, ownBearerToken: true } as const satisfies FastifyContextConfig;

export type AuthenticateUser = (request: FastifyRequest) => Promise<UserPrincipal>;

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
}

/**
 * `authenticateUser(request) → { userId, sessionId, expiresAt }` for routes marked END_USER_ROUTE:
 * only a live `pos_usr_` bearer token is accepted — never an operator token or session, never an
 * API key (403: authenticated, but not as a user), so a user's routes read that user's data only.
 */
export function userAuthenticator(db: Db, clock: () => Date = () => new Date()): AuthenticateUser {
  const seen = new WeakMap<FastifyRequest, Promise<UserPrincipal>>();
  const authenticate = async (request: FastifyRequest): Promise<UserPrincipal> => {
    if (request.actor)
      throw new AppError(
        'forbidden',
        'this route is for end users: operator credentials and API keys are not accepted, send a user token',
        'headers.authorization',
      );
    const token = bearerOf(request);
    if (!token || !isUserToken(token))
      throw new AppError(
        'unauthenticated',
        'a user token is required: send "Authorization: Bearer pos_usr_…" (from sign-in or the domain)',
        'headers.authorization',
      );
    const now = clock();
    const session = await findLiveSession(db, hashToken(token), now);
    if (!session)
      throw new AppError(
        'unauthenticated',
        'unknown, expired or revoked user token; sign in again',
        'headers.authorization',
      );
    if (session.stale) await touchSession(db, session.id, now);
    return { userId: session.user_id, sessionId: session.id, expiresAt: session.expires_at };
  };
  return (request) => {
    let principal = seen.get(request);
    if (!principal) {
      principal = authenticate(request);
      seen.set(request, principal);
    }
    return principal;
  };
}
