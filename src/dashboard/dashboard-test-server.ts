import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { systemActor } from '../auth/actor.ts';
import { addOperator } from '../auth/add-operator.ts';
import { bootstrapOwner } from '../auth/bootstrap-owner.ts';
import type { Db } from '../db/types.ts';
import { DEFAULT_WRITER_OPTIONS } from '../ingest/event-writer.ts';
import { IngestService } from '../ingest/ingest-service.ts';
import { engagementRoutes } from '../metrics/engagement/routes.ts';
import { overviewRoutes } from '../metrics/overview/routes.ts';
import { revenueMetricsRoutes } from '../metrics/revenue/routes.ts';
import { trafficRoutes } from '../metrics/traffic/routes.ts';
import { PortfolioStore } from '../portfolio/portfolio-store.ts';
import { buildServer, type ServerDeps } from '../server/build-server.ts';
import { createTestDb } from '../test-support/test-db.ts';
import { EXAMPLE_PORTFOLIO } from '../test-support/test-server.ts';
import { type DashboardOptions, dashboardRoutes } from './routes.ts';

// The metrics route plugins, for a server that does not register them yet (they were built
// alongside the dashboard); once build-server.ts registers them this adds nothing.
async function registerMissingMetrics(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const plugins = [
    { probe: '/api/v1/metrics/traffic', plugin: trafficRoutes(deps) },
    { probe: '/api/v1/metrics/revenue', plugin: revenueMetricsRoutes(deps) },
    { probe: '/api/v1/metrics/engagement', plugin: engagementRoutes(deps) },
    { probe: '/api/v1/metrics/overview', plugin: overviewRoutes(deps) },
  ];
  for (const { probe, plugin } of plugins) {
    if (!app.hasRoute({ method: 'GET', url: probe })) await app.register(plugin);
  }
}

/**
 * The whole server as production assembles it plus the dashboard plugin, on a random port over a
 * fresh database with the example portfolio. The caller stops it with close().
 */
export async function startDashboardServer(options: Partial<DashboardOptions> = {}) {
  const db: Db = await createTestDb();
  const dir = await mkdtemp(join(tmpdir(), 'pos-dashboard-'));
  const portfolioFile = join(dir, 'portfolio.yaml');
  await copyFile(EXAMPLE_PORTFOLIO, portfolioFile);
  const ownerToken = `test-owner-token-${'d'.repeat(32)}`;
  await bootstrapOwner(db, { ownerEmail: 'owner@example.com', ownerToken });
  const portfolio = new PortfolioStore(db, portfolioFile);
  await portfolio.load(systemActor('test'));
  const ingest = new IngestService(db, DEFAULT_WRITER_OPTIONS);
  const deps: ServerDeps = {
    db,
    settings: {
      logLevel: 'silent',
      sessionTtlHours: 1,
      secureCookies: false,
      trustProxy: false,
      ingestRateLimit: 100_000,
      ingestQueueLimit: 50_000,
    },
    portfolio,
    ingest,
    version: 'test',
  };
  const app = await buildServer(deps);
  await registerMissingMetrics(app, deps);
  if (!app.hasRoute({ method: 'GET', url: '/api/v1/live/visitors' })) {
    await app.register(dashboardRoutes(deps, options));
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    app,
    db,
    url,
    ownerToken,
    ingest,
    /** Adds an operator (optionally limited to some hosts) and returns their login token. */
    async addOperator(email: string, domains?: string[]): Promise<string> {
      const ctx = { db, actor: systemActor('test'), now: new Date() };
      const input = { email, role: 'analyst' as const, ...(domains ? { domains } : {}) };
      return (await addOperator({ ctx, input })).token;
    },
    async close() {
      await app.close();
      await ingest.close();
      await db.close();
    },
  };
}
export type DashboardServer = Awaited<ReturnType<typeof startDashboardServer>>;
