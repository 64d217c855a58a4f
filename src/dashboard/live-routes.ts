import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inScope, MetricQuery, metricContext, resolveMetricDomains } from '../metrics/metric-query.ts';
import { actorOf } from '../server/authenticate-request.ts';
import type { ServerDeps } from '../server/build-server.ts';
import { errorResponses } from '../server/error-handler.ts';
import type { LiveFeed } from './live-feed.ts';

export interface LiveStreamOptions {
  /** How often a stream re-counts on its own, so visitors leaving the window are shown leaving. */
  refreshMs: number;
  /** A comment line after this much silence keeps proxies from closing an idle stream. */
  heartbeatMs: number;
}

export const DEFAULT_LIVE_STREAM_OPTIONS: LiveStreamOptions = { refreshMs: 5_000, heartbeatMs: 15_000 };

/** One `visitors` event of the stream. */
export const LiveVisitorsMessage = z.object({
  at: z.string().describe('When the counts were taken'),
  windowSeconds: z.number().describe('Visitors seen within this many seconds count as "now"'),
  total: z.number(),
  domains: z.array(z.object({ host: z.string(), name: z.string(), visitors: z.number() })),
});
export type LiveVisitorsMessage = z.infer<typeof LiveVisitorsMessage>;

const LiveQuery = z.object({ domains: MetricQuery.shape.domains });

/**
 * `GET /api/v1/live/visitors`: Server-Sent Events with the visitors of the last five minutes on the
 * caller's domains. A first `visitors` event on connect, another within moments of each commit that
 * changes a count, a heartbeat comment when idle. Open streams are ended when the server closes.
 */
export function liveVisitorRoutes(
  deps: ServerDeps,
  feed: LiveFeed,
  options: Partial<LiveStreamOptions> = {},
): FastifyPluginAsyncZod {
  const { refreshMs, heartbeatMs } = { ...DEFAULT_LIVE_STREAM_OPTIONS, ...options };
  const open = new Set<() => void>();

  return async (app) => {
    // Streams never finish on their own; without this, closing the server would wait for them.
    app.addHook('preClose', async () => {
      for (const end of [...open]) end();
    });

    app.get(
      '/api/v1/live/visitors',
      {
        schema: {
          tags: ['dashboard'],
          summary: 'Visitors now (last 5 minutes), as a text/event-stream of `visitors` events',
          description:
            "Each event's data is JSON: { at, windowSeconds, total, domains: [{ host, name, visitors }] }. " +
            'Counts come from the events this server committed (and what the database held at its first ' +
            'live view); with several server instances each counts its own traffic.',
          querystring: LiveQuery,
          response: errorResponses(400, 401, 403, 404, 503),
        },
      },
      async (request, reply) => {
        const ctx = metricContext(deps.db, actorOf(request));
        const domains = await inScope(ctx, (tx) => resolveMetricDomains(tx, request.query.domains));
        await feed.ready();

        reply.hijack();
        const res: ServerResponse = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no', // nginx would otherwise buffer the stream
        });
        let lastWrite = Date.now();
        const write = (chunk: string) => {
          lastWrite = Date.now();
          res.write(chunk);
        };

        let lastCounts = '';
        const push = (always: boolean) => {
          const { total, byDomain } = feed.counts(domains.map((d) => d.id));
          const counts = domains.map((d) => ({
            host: d.host,
            name: d.name,
            visitors: byDomain.get(d.id) ?? 0,
          }));
          const key = JSON.stringify(counts);
          if (!always && key === lastCounts) return;
          lastCounts = key;
          const message: LiveVisitorsMessage = {
            at: new Date(feed.now()).toISOString(),
            windowSeconds: feed.window.windowMs / 1000,
            total,
            domains: counts,
          };
          write(`event: visitors\ndata: ${JSON.stringify(message)}\n\n`);
        };

        const timer = setInterval(() => {
          push(false);
          if (Date.now() - lastWrite >= heartbeatMs) write(': heartbeat\n\n');
        }, refreshMs);
        const unsubscribe = feed.subscribe(() => push(false));
        const end = () => {
          clearInterval(timer);
          unsubscribe();
          open.delete(end);
          if (!res.writableEnded) res.end();
        };
        open.add(end);
        res.on('close', end);

        write('retry: 3000\n\n');
        push(true);
      },
    );
  };
}
