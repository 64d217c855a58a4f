import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { authenticateBearer, authenticateSession } from '../auth/authenticate.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import type { Db } from '../db/types.ts';
import { AppError } from '../shared/app-error.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Reachable without credentials (health checks, login, public ingestion). */
    public?: boolean;
  }
}

/** The authenticated actor of a request; routes that are not public can rely on it. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'authentication required');
  return request.actor;
}

/**
 * Every route requires a credential unless marked `config: { public: true }`:
 * `Authorization: Bearer <operator token | API key>` or the dashboard's session cookie.
 */
export function installAuthentication(app: FastifyInstance, db: Db): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const isPublic = request.routeOptions.config?.public === true || request.is404;
    const header = request.headers.authorization;
    let actor: Actor | null = null;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match)
        throw new AppError(
          'unauthenticated',
          'the Authorization header must be "Bearer <token>"',
          'headers.authorization',
        );
      actor = await authenticateBearer(db, match[1] as string, new Date());
      // A route that checks a bearer of its own (the /metrics scrape token) gets to see it.
      if (!actor && request.routeOptions.config?.ownBearerToken !== true)
        throw new AppError('unauthenticated', 'unknown or revoked token', 'headers.authorization');
    } else {
      const session = request.cookies?.[SESSION_COOKIE];
      if (session) actor = await authenticateSession(db, session, new Date());
    }
    if (!actor && !isPublic) {
      throw new AppError(
        'unauthenticated',
        'authentication required: send "Authorization: Bearer <token>" or log in',
      );
    }
    request.actor = actor;
  });
}
