import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../server/authenticate-request.ts';
import type { ServerDeps } from '../server/build-server.ts';
import { errorResponses } from '../server/error-handler.ts';
import { actorLabel } from './actor.ts';
import { addOperator } from './add-operator.ts';
import { createApiKey } from './create-api-key.ts';
import { listApiKeys } from './list-api-keys.ts';
import { AuditEntryOut, AuditQuery, listAudit } from './list-audit.ts';
import { listOperators } from './list-operators.ts';
import { AddOperatorInput, ApiKey, CreateApiKeyInput, Hostname, Operator } from './operator-schemas.ts';
import { removeOperator } from './remove-operator.ts';
import { revokeApiKey } from './revoke-api-key.ts';
import { createSession, endSession, SESSION_COOKIE } from './sessions.ts';

const errors = errorResponses(400, 401, 403, 404, 409);

const Me = z.object({
  actor: z.string(),
  kind: z.enum(['operator', 'api_key', 'system']),
  role: z.string().nullable(),
  scope: z.union([z.literal('all'), z.array(z.uuid())]),
});

export function authRoutes(deps: ServerDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const ctx = (request: Parameters<typeof actorOf>[0]) => ({
      db: deps.db,
      actor: actorOf(request),
      now: new Date(),
    });

    app.post(
      '/api/v1/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Exchange an operator login token for a dashboard session cookie',
          security: [],
          body: z.strictObject({ token: z.string().min(1).max(500) }),
          response: { 200: z.object({ email: z.string(), expiresAt: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const { session, expiresAt, email } = await createSession(deps.db, {
          token: request.body.token,
          now: new Date(),
          ttlHours: deps.settings.sessionTtlHours,
        });
        reply.setCookie(SESSION_COOKIE, session, {
          httpOnly: true,
          sameSite: 'strict',
          secure: deps.settings.secureCookies,
          path: '/',
          expires: expiresAt,
        });
        return { email, expiresAt: expiresAt.toISOString() };
      },
    );

    app.post(
      '/api/v1/auth/logout',
      { config: { public: true }, schema: { tags: ['auth'], response: { 204: z.null() } } },
      async (request, reply) => {
        const session = request.cookies[SESSION_COOKIE];
        if (session) await endSession(deps.db, session, new Date());
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/auth/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'Who the credential belongs to and what it may see',
          response: { 200: Me, ...errors },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return {
          actor: actorLabel(actor),
          kind: actor.kind,
          role:
            actor.kind === 'operator' ? actor.role : actor.kind === 'api_key' ? `${actor.keyKind}-key` : null,
          scope: actor.scope.kind === 'all' ? ('all' as const) : [...actor.scope.domainIds],
        };
      },
    );

    app.get(
      '/api/v1/keys',
      {
        schema: {
          tags: ['access'],
          summary: 'List API keys of the domains in your scope',
          querystring: z.strictObject({
            domain: Hostname.optional(),
            includeRevoked: z.stringbool().optional(),
          }),
          response: { 200: z.object({ keys: z.array(ApiKey) }), ...errors },
        },
      },
      async (request) => ({ keys: await listApiKeys({ ctx: ctx(request), input: request.query }) }),
    );

    app.post(
      '/api/v1/keys',
      {
        schema: {
          tags: ['access'],
          summary: 'Create a domain API key (the key is in the response, once)',
          body: CreateApiKeyInput,
          response: { 201: z.object({ key: ApiKey, secret: z.string() }), ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createApiKey({ ctx: ctx(request), input: request.body })),
    );

    app.delete(
      '/api/v1/keys/:id',
      {
        schema: {
          tags: ['access'],
          summary: 'Revoke an API key',
          params: z.object({ id: z.string() }),
          response: { 200: z.object({ id: z.string(), revokedAt: z.string() }), ...errors },
        },
      },
      async (request) => revokeApiKey({ ctx: ctx(request), input: { id: request.params.id } }),
    );

    app.get(
      '/api/v1/operators',
      {
        schema: {
          tags: ['access'],
          response: { 200: z.object({ operators: z.array(Operator) }), ...errors },
        },
      },
      async (request) => ({ operators: await listOperators({ ctx: ctx(request) }) }),
    );

    app.post(
      '/api/v1/operators',
      {
        schema: {
          tags: ['access'],
          summary: 'Add an operator (their login token is in the response, once)',
          body: AddOperatorInput,
          response: { 201: z.object({ operator: Operator, token: z.string() }), ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await addOperator({ ctx: ctx(request), input: request.body })),
    );

    app.delete(
      '/api/v1/operators/:operator',
      {
        schema: {
          tags: ['access'],
          summary: 'Remove an operator by id or e-mail',
          params: z.object({ operator: z.string().min(1).max(254) }),
          response: { 200: z.object({ id: z.string(), email: z.string() }), ...errors },
        },
      },
      async (request) => removeOperator({ ctx: ctx(request), input: { operator: request.params.operator } }),
    );

    app.get(
      '/api/v1/audit',
      {
        schema: {
          tags: ['access'],
          summary: 'The audit log, newest first, limited to your scope',
          querystring: AuditQuery,
          response: { 200: z.object({ entries: z.array(AuditEntryOut) }), ...errors },
        },
      },
      async (request) => ({ entries: await listAudit({ ctx: ctx(request), input: request.query }) }),
    );
  };
}
