import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';

/** An end user authenticated by its own token (pos_usr_…). */
export interface UserPrincipal {
  userId: string;
  sessionId: string;
  expiresAt: Date;
}

/**
 * Who asks on a user's behalf: a domain's server (its secret key) for a user active on that
 * domain, or the user itself. Operators are not requesters: they never act as a user.
 */
export type Requester =
  | { kind: 'domain'; keyId: string; domainId: string }
  | ({ kind: 'user' } & UserPrincipal);

export interface RequesterCtx {
  db: Db;
  requester: Requester;
  now: Date;
}

/** The audit log's actor name for a requester. */
export function requesterLabel(requester: Requester): string {
  return requester.kind === 'domain' ? `key:${requester.keyId}` : `user:${requester.userId}`;
}

/** A domain's secret key from the request's actor, or a 401/403 saying what is accepted. */
export function domainRequester(actor: Actor | null, what: string): Extract<Requester, { kind: 'domain' }> {
  if (actor?.kind === 'api_key' && actor.keyKind === 'secret')
    return { kind: 'domain', keyId: actor.keyId, domainId: actor.domainId };
  if (actor?.kind === 'api_key')
    throw new AppError('forbidden', `a public key cannot ${what}; use the domain's secret key`);
  if (actor) throw new AppError('forbidden', `operators cannot ${what}; it is for a domain's secret key`);
  throw new AppError('unauthenticated', `${what} needs the domain's secret key`, 'headers.authorization');
}

/** Either a domain's secret key (already on the request) or the user's own token. */
export async function requesterOf(
  request: FastifyRequest,
  authenticateUser: (request: FastifyRequest) => Promise<UserPrincipal>,
  what: string,
): Promise<Requester> {
  if (request.actor) return domainRequester(request.actor, what);
  return { kind: 'user', ...(await authenticateUser(request)) };
}
