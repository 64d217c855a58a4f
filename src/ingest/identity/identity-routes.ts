import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Hostname } from '../../auth/operator-schemas.ts';
import type { ServerDeps } from '../../server/build-server.ts';
import { errorResponses } from '../../server/error-handler.ts';
import { AppError } from '../../shared/app-error.ts';
import { IdentifyBody } from '../events-api.ts';
import { writeTarget } from '../events-api-routes.ts';
import { allowCrossOrigin, setUpCollection } from '../ingest-plugin.ts';
import type { IngestService } from '../ingest-service.ts';
import { requestOrigin } from '../request-origin.ts';
import { identifyVisitor } from './identify-visitor.ts';
import { LINK_TOKEN_TTL_MS, mintLinkToken, verifyLinkToken } from './link-token.ts';
import { serverSecret } from './server-secret.ts';

const errors = errorResponses(400, 401, 403, 404, 429);
const LINK_SECRET = 'link-token-v1';

/**
 * Identity: `POST /api/v1/identify` links the current visitor to a user (by the site's own id,
 * by e-mail with a secret key, or by a link token from another owned domain), and
 * `POST /api/v1/link-token` mints that token for links between owned domains.
 */
export function identityRoutes(deps: ServerDeps & { ingest: IngestService }): FastifyPluginAsyncZod {
  return async (app) => {
    await setUpCollection(app, deps);
    allowCrossOrigin(app, ['/api/v1/identify', '/api/v1/link-token']);

    app.post(
      '/api/v1/link-token',
      {
        config: { public: true },
        schema: {
          tags: ['collect'],
          summary: 'A short-lived signed token for a link to another owned domain',
          security: [],
          body: z.strictObject({ domain: Hostname }),
          response: { 200: z.object({ token: z.string(), expiresAt: z.string() }), ...errors },
        },
      },
      async (request) => {
        const origin = requestOrigin(request, deps.settings.trustProxy);
        const site = await deps.ingest.requireSite(request.body.domain, 'body.domain');
        const visitorId = await deps.ingest.visitorFor(site, origin);
        const expiresAt = origin.now.getTime() + LINK_TOKEN_TTL_MS;
        const token = mintLinkToken(await serverSecret(deps.db, LINK_SECRET), {
          domainId: site.id,
          visitorId,
          expiresAt,
        });
        return { token, expiresAt: new Date(expiresAt).toISOString() };
      },
    );

    app.post(
      '/api/v1/identify',
      {
        config: { public: true },
        schema: {
          tags: ['collect'],
          summary: 'Link a visitor to a user; their activity on every domain becomes one history',
          description:
            'From a page (no credentials): { domain, externalId | linkToken } links the calling visitor. ' +
            'From a server (secret key): { visitorId, externalId | email } — e-mail is only accepted with a secret key.',
          body: IdentifyBody,
          response: { 200: z.object({ userId: z.uuid(), created: z.boolean() }), ...errors },
        },
      },
      async (request) => {
        const body = request.body;
        const origin = requestOrigin(request, deps.settings.trustProxy);
        let site: { id: string; host: string };
        let visitorId: string;
        if (request.actor) {
          site = await writeTarget(deps, request.actor, body.domain);
          if (!body.visitorId)
            throw new AppError('invalid_request', 'server-side identify needs visitorId', 'body.visitorId');
          visitorId = body.visitorId;
        } else {
          if (!body.domain) throw new AppError('invalid_request', 'domain is required', 'body.domain');
          if (body.email) {
            throw new AppError(
              'forbidden',
              "e-mail can only be sent with the domain's secret key",
              'body.email',
            );
          }
          site = await deps.ingest.requireSite(body.domain, 'body.domain');
          visitorId = await deps.ingest.visitorFor(site, origin);
        }
        let sameAs: { domainId: string; visitorId: string } | undefined;
        if (body.linkToken) {
          const claims = verifyLinkToken(
            await serverSecret(deps.db, LINK_SECRET),
            body.linkToken,
            origin.now.getTime(),
          );
          if (!claims)
            throw new AppError('invalid_request', 'invalid or expired link token', 'body.linkToken');
          sameAs = { domainId: claims.domainId, visitorId: claims.visitorId };
        }
        return identifyVisitor(deps.db, {
          domainId: site.id,
          visitorId,
          email: body.email,
          externalId: body.externalId,
          sameAs,
          now: origin.now,
        });
      },
    );
  };
}
