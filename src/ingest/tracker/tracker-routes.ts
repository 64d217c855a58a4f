import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerDeps } from '../../server/build-server.ts';

/** Serves the tracker scripts (placeholder: the tracker is being written). */
export function trackerRoutes(_deps: ServerDeps): FastifyPluginAsyncZod {
  return async () => undefined;
}
