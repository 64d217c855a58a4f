import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerDeps } from '../server/build-server.ts';
import { AppError } from '../shared/app-error.ts';
import { clientIp } from './enrich/visitor-id.ts';

/**
 * Shared set-up for collection routes, applied inside their encapsulated plugin: JSON sent as
 * text/plain (what sendBeacon and Plausible's tracker send) and a rate limit per key or client IP.
 */
export async function setUpCollection(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new AppError('invalid_request', 'the body must be JSON', 'body'));
    }
  });
  await app.register(rateLimit, {
    max: deps.settings.ingestRateLimit,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => {
      const auth = request.headers.authorization;
      if (auth) return `key:${auth.slice(-16)}`;
      return `ip:${clientIp(request.headers, request.socket.remoteAddress ?? '', deps.settings.trustProxy)}`;
    },
    errorResponseBuilder: (_request, context) =>
      new AppError(
        'rate_limited',
        `too many requests: at most ${context.max} per minute; retry in ${context.after}`,
        undefined,
        undefined,
        Math.ceil(context.ttl / 1000),
      ),
  });
}

/**
 * Browsers post events from the domains' own origins: allow any origin, without credentials
 * (collection never uses cookies), and answer the preflight of non-simple requests.
 */
export function allowCrossOrigin(app: FastifyInstance, paths: readonly string[]): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (paths.includes(request.routeOptions.url ?? '')) {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-expose-headers', 'retry-after');
    }
    return payload;
  });
  for (const path of paths) {
    app.options(path, { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      reply
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'POST, OPTIONS')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '86400')
        .code(204)
        .send();
    });
  }
}
