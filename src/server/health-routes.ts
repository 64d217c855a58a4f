import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { migrationStatus } from '../db/migrate.ts';
import type { ServerDeps } from './build-server.ts';

const Health = z.object({ status: z.literal('ok') });
const Readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.object({
    kind: z.enum(['pglite', 'postgres']),
    reachable: z.boolean(),
    error: z.string().optional(),
  }),
  migrations: z.object({ current: z.boolean(), pending: z.number().int(), unknown: z.number().int() }),
  portfolio: z.object({ loaded: z.boolean(), lastError: z.string().nullable() }),
});

export function healthRoutes(deps: ServerDeps): FastifyPluginAsyncZod {
  return async (app) => {
    // Liveness: answers from memory only, so it stays fast even while the database is busy.
    app.get(
      '/healthz',
      {
        config: { public: true },
        logLevel: 'warn',
        schema: { tags: ['health'], security: [], response: { 200: Health } },
      },
      async () => ({ status: 'ok' as const }),
    );
    app.get(
      '/readyz',
      {
        config: { public: true },
        logLevel: 'warn',
        schema: { tags: ['health'], security: [], response: { 200: Readiness, 503: Readiness } },
      },
      async (_request, reply) => {
        const portfolio = deps.portfolio.status();
        const base = { kind: deps.db.kind };
        try {
          const status = await migrationStatus(deps.db);
          const current = status.pending.length === 0 && status.unknown.length === 0;
          const ready = current && portfolio.active !== null;
          return reply.code(ready ? 200 : 503).send({
            status: ready ? 'ready' : 'not_ready',
            database: { ...base, reachable: true },
            migrations: { current, pending: status.pending.length, unknown: status.unknown.length },
            portfolio: { loaded: portfolio.active !== null, lastError: portfolio.lastError?.message ?? null },
          });
        } catch (err) {
          return reply.code(503).send({
            status: 'not_ready',
            database: { ...base, reachable: false, error: (err as Error).message },
            migrations: { current: false, pending: 0, unknown: 0 },
            portfolio: { loaded: portfolio.active !== null, lastError: portfolio.lastError?.message ?? null },
          });
        }
      },
    );
  };
}
