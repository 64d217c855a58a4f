import type { FastifyInstance } from 'fastify';

/**
 * End-user routes are called from the domains' pages with a bearer token (never a cookie), so any
 * origin may call them: answers carry `access-control-allow-origin: *` and preflights succeed.
 */
export function allowBearerCrossOrigin(app: FastifyInstance, routes: Record<string, string>): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if ((request.routeOptions.url ?? '') in routes) {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-expose-headers', 'retry-after');
    }
    return payload;
  });
  for (const [path, methods] of Object.entries(routes)) {
    app.options(path, { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      reply
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', `${methods}, OPTIONS`)
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', '86400')
        .code(204)
        .send();
    });
  }
}
