import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerDeps } from '../server/build-server.ts';
import { errorResponses } from '../server/error-handler.ts';
import { allowCrossOrigin, setUpCollection } from './ingest-plugin.ts';
import type { IngestService } from './ingest-service.ts';
import { ENGAGEMENT_EVENT, parsePlausibleEvent } from './plausible-event.ts';
import { requestOrigin } from './request-origin.ts';

const errors = errorResponses(400, 404, 413, 429, 503);

/** `POST /api/event`: Plausible's Events API, so existing Plausible snippets work unchanged. */
export function plausibleRoutes(deps: ServerDeps & { ingest: IngestService }): FastifyPluginAsyncZod {
  return async (app) => {
    await setUpCollection(app, deps);
    allowCrossOrigin(app, ['/api/event']);
    app.post(
      '/api/event',
      {
        config: { public: true },
        bodyLimit: 64 * 1024,
        schema: {
          tags: ['collect'],
          summary: 'Record a page view or custom event (Plausible Events API compatible)',
          description:
            'Body (JSON, also sent as text/plain): n|name, u|url, d|domain (comma-separated for several), ' +
            'r|referrer, p|props, $|revenue {amount, currency}, i|interactive, h|hashMode. Answers 202 once stored.',
          security: [],
          body: z.unknown(),
          response: { 202: z.literal('ok').describe('text/plain'), ...errors },
        },
      },
      async (request, reply) => {
        const event = parsePlausibleEvent(request.body);
        // Accepted so Plausible's current script keeps working, but not stored as a custom event.
        if (event.hit.name === ENGAGEMENT_EVENT) return reply.code(202).type('text/plain').send('ok');
        const field =
          request.body && typeof request.body === 'object' && 'd' in request.body ? 'body.d' : 'body.domain';
        const sites = [];
        for (const host of event.domains) {
          const site = await deps.ingest.sites.find(host);
          if (site) sites.push(site);
        }
        if (sites.length === 0) await deps.ingest.requireSite(event.domains[0] as string, field);
        await deps.ingest.recordHits(
          sites.map((site) => ({ hit: event.hit, site })),
          requestOrigin(request, deps.settings.trustProxy),
          'body',
        );
        return reply.code(202).type('text/plain').send('ok');
      },
    );
  };
}
