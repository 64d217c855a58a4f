import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerDeps } from '../server/build-server.ts';
import { errorResponses } from '../server/error-handler.ts';
import { AppError } from '../shared/app-error.ts';
import { identifyVisitor } from './identity/identify-visitor.ts';
import { allowCrossOrigin, setUpCollection } from './ingest-plugin.ts';
import type { IngestService, RequestOrigin } from './ingest-service.ts';
import { requestOrigin } from './request-origin.ts';
import { hitFromUmami, UmamiBatch, UmamiSend, umamiPageUrl } from './umami-event.ts';

const errors = errorResponses(400, 404, 413, 429, 503);

/** `POST /api/send` and `POST /api/batch`: Umami's collect API, so Umami's tracker works unchanged. */
export function umamiRoutes(deps: ServerDeps & { ingest: IngestService }): FastifyPluginAsyncZod {
  async function handle(item: UmamiSend, origin: RequestOrigin, field: string): Promise<void> {
    const site = await deps.ingest.requireSite(item.payload.website, `${field}.payload.website`);
    const url = umamiPageUrl(item.payload, site.host);
    if (!url)
      throw new AppError('invalid_request', 'url must be a path or an http(s) URL', `${field}.payload.url`);
    if (item.type === 'identify') {
      if (!item.payload.id)
        throw new AppError('invalid_request', 'identify needs payload.id', `${field}.payload.id`);
      const visitorId = await deps.ingest.visitorFor(site, origin);
      await identifyVisitor(deps.db, {
        domainId: site.id,
        visitorId,
        externalId: item.payload.id,
        now: origin.now,
      });
      return;
    }
    await deps.ingest.recordHits([{ hit: hitFromUmami(item.payload, url), site }], origin, field);
  }

  return async (app) => {
    await setUpCollection(app, deps);
    allowCrossOrigin(app, ['/api/send', '/api/batch']);
    app.post(
      '/api/send',
      {
        config: { public: true },
        bodyLimit: 64 * 1024,
        schema: {
          tags: ['collect'],
          summary: 'Record an event or identify a visitor (Umami collect API compatible)',
          security: [],
          body: UmamiSend,
          response: { 200: z.object({}).passthrough(), ...errors },
        },
      },
      async (request) => {
        await handle(request.body, requestOrigin(request, deps.settings.trustProxy), 'body');
        return {};
      },
    );
    app.post(
      '/api/batch',
      {
        config: { public: true },
        bodyLimit: 1024 * 1024,
        schema: {
          tags: ['collect'],
          summary: 'Several Umami payloads at once (all validated before any is stored)',
          security: [],
          body: UmamiBatch,
          response: { 200: z.object({ size: z.number().int(), processed: z.number().int() }), ...errors },
        },
      },
      async (request) => {
        const origin = requestOrigin(request, deps.settings.trustProxy);
        const items = request.body;
        // Resolve every site and URL first so one bad item rejects the batch before anything is stored.
        for (const [i, item] of items.entries()) {
          const site = await deps.ingest.requireSite(item.payload.website, `body.${i}.payload.website`);
          if (!umamiPageUrl(item.payload, site.host)) {
            throw new AppError(
              'invalid_request',
              'url must be a path or an http(s) URL',
              `body.${i}.payload.url`,
            );
          }
        }
        const hits = [];
        for (const [i, item] of items.entries()) {
          if (item.type === 'identify') await handle(item, origin, `body.${i}`);
          else {
            const site = await deps.ingest.requireSite(item.payload.website, `body.${i}.payload.website`);
            hits.push({
              hit: hitFromUmami(item.payload, umamiPageUrl(item.payload, site.host) as string),
              site,
            });
          }
        }
        await deps.ingest.recordHits(hits, origin, 'body');
        return { size: items.length, processed: items.length };
      },
    );
  };
}
