import { existsSync } from 'node:fs';
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { systemActor } from '../auth/actor.ts';
import { addOperator } from '../auth/add-operator.ts';
import { bootstrapOwner } from '../auth/bootstrap-owner.ts';
import type { Db } from '../db/types.ts';
import { DEFAULT_WRITER_OPTIONS } from '../ingest/event-writer.ts';
import { IngestService } from '../ingest/ingest-service.ts';
import { PortfolioStore } from '../portfolio/portfolio-store.ts';
import { buildServer, type ServerDeps } from '../server/build-server.ts';
import { createTestDb } from '../test-support/test-db.ts';
import { EXAMPLE_PORTFOLIO } from '../test-support/test-server.ts';
import { type DashboardOptions, dashboardRoutes } from './routes.ts';

// Route plugins of the metrics capabilities, registered here when the server does not have them yet
// (they are built alongside the dashboard); once build-server.ts registers them this does nothing.
const METRIC_PLUGINS: { file: string; probe: string }[] = [
  { file: '../metrics/traffic/routes.ts', probe: '/api/v1/metrics/traffic' },
  { file: '../metrics/revenue/routes.ts', probe: '/api/v1/metrics/revenue' },
  { file: '../metrics/engagement/routes.ts', probe: '/api/v1/metrics/engagement' },
  { file: '../metrics/overview/routes.ts', probe: '/api/v1/metrics/overview' },
];

type RoutePlugin = (deps: ServerDeps) => Parameters<FastifyInstance['register']>[0];

async function registerMissingMetrics(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  for (const { file, probe } of METRIC_PLUGINS) {
    const url = new URL(file, import.meta.url);
    if (!existsSync(fileURLToPath(url)) || app.hasRoute({ method: 'GET', url: probe })) continue;
    const mod = (await import(url.href)) as Record<string, unknown>;
    const plugin = Object.entries(mod).find(
      ([name, v]) => name.endsWith('Routes') && typeof v === 'function',
    );
    if (plugin) await app.register((plugin[1] as RoutePlugin)(deps));
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
