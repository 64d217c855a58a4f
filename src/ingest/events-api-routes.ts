import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Actor, requireServerWriter } from '../auth/actor.ts';
import { resolveDomainIds } from '../auth/resolve-domains.ts';
import { actorOf } from '../server/authenticate-request.ts';
import type { ServerDeps } from '../server/build-server.ts';
import { errorResponses } from '../server/error-handler.ts';
import { AppError } from '../shared/app-error.ts';
import { ServerEventBatch } from './events-api.ts';
import { resolveExternalUsers } from './identity/resolve-external-users.ts';
import { setUpCollection } from './ingest-plugin.ts';
import type { IngestService } from './ingest-service.ts';
import { eventsFromServerBatch } from './server-events.ts';
import type { Site } from './site-directory.ts';

const errors = errorResponses(400, 401, 403, 404, 413, 429, 503);

/** The domain a server-side write is for: the secret key's own, or one an admin names and may see. */
export async function writeTarget(
  deps: ServerDeps & { ingest: IngestService },
  actor: Actor,
  domain: string | undefined,
): Promise<Site> {
  requireServerWriter(actor);
  if (actor.kind === 'api_key') {
    const site = await deps.ingest.sites.find(actor.domainId);
    if (!site) throw new AppError('not_found', 'unknown site');
    if (domain && domain !== site.host)
      throw new AppError('forbidden', 'a key can only write to its own domain', 'body.domain');
    return site;
  }
  if (!domain)
    throw new AppError('invalid_request', 'domain is required with an operator token', 'body.domain');
  const [domainId] = await deps.db.transaction((tx) => resolveDomainIds(tx, [domain], 'body.domain'), {
    scope: actor.scope,
  });
  return { id: domainId as string, host: domain };
}

/** `POST /api/v1/events`: server-side batches with explicit timestamps and idempotent event ids. */
export function eventsApiRoutes(deps: ServerDeps & { ingest: IngestService }): FastifyPluginAsyncZod {
  return async (app) => {
    await setUpCollection(app, deps);
    app.post(
      '/api/v1/events',
      {
        bodyLimit: 4 * 1024 * 1024,
        schema: {
          tags: ['collect'],
          summary: "Record up to 1,000 events from a domain's server (secret key)",
          body: ServerEventBatch,
          response: { 202: z.object({ accepted: z.number().int() }), ...errors },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const site = await writeTarget(deps, actor, request.body.domain);
        const now = new Date();
        const userIds = request.body.events.flatMap((e) => (e.userId ? [e.userId] : []));
        const users = await resolveExternalUsers(deps.db, site.id, userIds, now);
        const rates = new Map<string, string>();
        for (const e of request.body.events) {
          if (!e.revenue || rates.has(e.revenue.currency)) continue;
          const rate = await deps.ingest.rates.eurPerUnit(e.revenue.currency);
          if (rate !== null) rates.set(e.revenue.currency, rate);
        }
        const rows = eventsFromServerBatch(request.body.events, {
          domainId: site.id,
          host: site.host,
          now,
          users,
          rates,
        });
        await deps.ingest.writer.write(rows);
        return reply.code(202).send({ accepted: rows.length });
      },
    );
  };
}
