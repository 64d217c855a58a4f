import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Actor, requireReader, requireUnscopedAdmin } from '../auth/actor.ts';
import { Hostname } from '../auth/operator-schemas.ts';
import type { Portfolio } from '../config/portfolio-schema.ts';
import { actorOf } from '../server/authenticate-request.ts';
import type { ServerDeps } from '../server/build-server.ts';
import { errorResponses } from '../server/error-handler.ts';
import { AppError } from '../shared/app-error.ts';
import type { ActivePortfolio } from './portfolio-store.ts';
import { scopePortfolio } from './scope-portfolio.ts';
import { listVisibleDomains } from './visible-domains.ts';

const errors = errorResponses(401, 403, 404, 422, 503);

// Portfolio content is validated when the file loads; responses describe it without re-encoding it.
const Section = z.array(z.record(z.string(), z.unknown()));

const DomainOut = z.object({
  id: z.uuid(),
  host: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  createdAt: z.string(),
  details: z.record(z.string(), z.unknown()).nullable().describe('The domain entry of the portfolio file'),
});

const PortfolioMeta = z.object({ file: z.string(), sha256: z.string(), loadedAt: z.string() });

const ReloadResult = z.object({
  changed: z.boolean(),
  sha256: z.string(),
  loadedAt: z.string(),
  summary: z
    .object({
      added: z.array(z.string()),
      updated: z.array(z.string()),
      archived: z.array(z.string()),
      restored: z.array(z.string()),
    })
    .nullable(),
});

const PORTFOLIO_WIDE = ['markets', 'competitors', 'kpis', 'risks', 'roadmap', 'financials'] as const;

export function portfolioRoutes(deps: ServerDeps): FastifyPluginAsyncZod {
  function active(): ActivePortfolio {
    const current = deps.portfolio.current();
    if (!current) throw new AppError('unavailable', 'no portfolio is loaded');
    return current;
  }

  async function visibleHosts(actor: Actor): Promise<Set<string> | null> {
    if (actor.scope.kind === 'all') return null;
    return new Set((await listVisibleDomains(deps.db, actor.scope)).map((d) => d.host));
  }

  function reader(request: FastifyRequest): Actor {
    const actor = actorOf(request);
    requireReader(actor);
    return actor;
  }

  function meta(a: ActivePortfolio) {
    return { file: a.file, sha256: a.sha256, loadedAt: a.loadedAt.toISOString() };
  }

  return async (app) => {
    app.get(
      '/api/v1/portfolio',
      {
        schema: {
          tags: ['portfolio'],
          summary: 'The active portfolio, limited to what your scope may see',
          response: {
            200: z.object({ meta: PortfolioMeta, portfolio: z.record(z.string(), z.unknown()) }),
            ...errors,
          },
        },
      },
      async (request) => {
        const actor = reader(request);
        const a = active();
        return { meta: meta(a), portfolio: scopePortfolio(a.portfolio, await visibleHosts(actor)) };
      },
    );

    app.post(
      '/api/v1/portfolio/reload',
      {
        schema: {
          tags: ['portfolio'],
          summary: 'Reload the portfolio file (as SIGHUP does). An invalid file changes nothing.',
          response: { 200: ReloadResult, ...errors },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        requireUnscopedAdmin(actor);
        const outcome = await deps.portfolio.load(actor);
        deps.ingest.sites.invalidate();
        return { changed: outcome.changed, summary: outcome.summary, ...meta(outcome.active) };
      },
    );

    app.get(
      '/api/v1/portfolio/status',
      {
        schema: {
          tags: ['portfolio'],
          summary: 'Which portfolio file is active and the last load error, if any',
          response: {
            200: z.object({
              active: PortfolioMeta.nullable(),
              lastError: z
                .object({ at: z.string(), message: z.string(), problems: z.array(z.string()) })
                .nullable(),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        requireUnscopedAdmin(actorOf(request));
        const { active: a, lastError } = deps.portfolio.status();
        return {
          active: a ? meta(a) : null,
          lastError: lastError ? { ...lastError, at: lastError.at.toISOString() } : null,
        };
      },
    );

    app.get(
      '/api/v1/domains',
      {
        schema: {
          tags: ['portfolio'],
          summary: 'Domains in your scope (enforced by row-level security)',
          response: { 200: z.object({ domains: z.array(DomainOut) }), ...errors },
        },
      },
      async (request) => {
        const actor = reader(request);
        const byHost = new Map(active().portfolio.domains.map((d) => [d.host, d]));
        const rows = await listVisibleDomains(deps.db, actor.scope);
        return {
          domains: rows.map((r) => ({
            id: r.id,
            host: r.host,
            name: r.name,
            kind: r.kind,
            status: r.status,
            createdAt: r.created_at.toISOString(),
            details: (byHost.get(r.host) as Record<string, unknown> | undefined) ?? null,
          })),
        };
      },
    );

    app.get(
      '/api/v1/domains/:host',
      {
        schema: {
          tags: ['portfolio'],
          params: z.object({ host: Hostname }),
          response: { 200: DomainOut, ...errors },
        },
      },
      async (request) => {
        const actor = reader(request);
        const row = (await listVisibleDomains(deps.db, actor.scope)).find(
          (d) => d.host === request.params.host,
        );
        if (!row)
          throw new AppError('not_found', `no domain ${request.params.host} in your scope`, 'params.host');
        const details = active().portfolio.domains.find((d) => d.host === row.host);
        return {
          id: row.id,
          host: row.host,
          name: row.name,
          kind: row.kind,
          status: row.status,
          createdAt: row.created_at.toISOString(),
          details: (details as Record<string, unknown> | undefined) ?? null,
        };
      },
    );

    app.get(
      '/api/v1/revenue-streams',
      {
        schema: {
          tags: ['portfolio'],
          summary: 'Revenue streams; a domain-limited caller sees only streams of its domains',
          response: { 200: z.object({ revenueStreams: Section }), ...errors },
        },
      },
      async (request) => {
        const actor = reader(request);
        const { revenueStreams } = scopePortfolio(active().portfolio, await visibleHosts(actor));
        return { revenueStreams: revenueStreams as Record<string, unknown>[] };
      },
    );

    for (const section of PORTFOLIO_WIDE) {
      app.get(
        `/api/v1/${section}`,
        {
          schema: {
            tags: ['portfolio'],
            summary: `The portfolio's ${section} (portfolio-wide: needs access to all domains)`,
            response: { 200: z.object({ [section]: z.unknown() }), ...errors },
          },
        },
        async (request) => {
          const actor = reader(request);
          if (actor.scope.kind !== 'all') {
            throw new AppError(
              'forbidden',
              `${section} are portfolio-wide; your access is limited to some domains`,
            );
          }
          return { [section]: (active().portfolio as Portfolio)[section] };
        },
      );
    }
  };
}
