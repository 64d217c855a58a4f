import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerDeps } from '../server/build-server.ts';
import { LiveFeed, type LiveFeedOptions } from './live-feed.ts';
import { type LiveStreamOptions, liveVisitorRoutes } from './live-routes.ts';
import { DEFAULT_DIST_DIR, staticDashboardRoutes } from './static-files.ts';

export interface DashboardOptions {
  /** The built app (default: web/dist of this checkout). */
  distDir: string;
  feed: Partial<LiveFeedOptions>;
  stream: Partial<LiveStreamOptions>;
}

/**
 * Everything the web dashboard needs from the server: the built app at `/` and the live
 * "visitors now" stream. Register it after the API routes; its `/*` only takes what they leave.
 */
export function dashboardRoutes(
  deps: ServerDeps,
  options: Partial<DashboardOptions> = {},
): FastifyPluginAsyncZod {
  return async (app) => {
    const feed = new LiveFeed(deps.db, deps.ingest.writer, options.feed);
    app.addHook('onClose', async () => feed.close());
    await app.register(liveVisitorRoutes(deps, feed, options.stream));
    await app.register(staticDashboardRoutes(options.distDir ?? DEFAULT_DIST_DIR));
  };
}
