import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAlertEvaluator } from '../alerts/runtime/evaluate-alerts.ts';
import { resolveReceiversLeniently } from '../alerts/runtime/runtime-receivers.ts';
import { systemActor } from '../auth/actor.ts';
import { bootstrapOwner } from '../auth/bootstrap-owner.ts';
import type { Db } from '../db/types.ts';
import { DEFAULT_WRITER_OPTIONS, type EventWriterOptions } from '../ingest/event-writer.ts';
import { IngestService } from '../ingest/ingest-service.ts';
import { instrumentDb } from '../monitoring/self-metrics/instrument-db.ts';
import { createSelfMetrics } from '../monitoring/self-metrics/registry.ts';
import { PortfolioStore } from '../portfolio/portfolio-store.ts';
import { buildServer, type ServerDeps } from '../server/build-server.ts';
import { createTestDb } from './test-db.ts';

export const EXAMPLE_PORTFOLIO = new URL('../../examples/seed-portfolio.yaml', import.meta.url).pathname;

/** A real server on a random port over a fresh test database, with its own copy of the example portfolio. */
export async function startTestServer(
  options: {
    settings?: Partial<ServerDeps['settings']>;
    writer?: Partial<EventWriterOptions>;
    /** Rewrites the example portfolio's text before it is loaded (a test's own alerting section…). */
    editPortfolio?: (yaml: string) => string;
    /** The alert evaluator's clock and the environment its receivers' secrets are read from. */
    alerts?: { clock?: () => Date; env?: Record<string, string | undefined> };
  } = {},
) {
  const metrics = createSelfMetrics();
  const db: Db = instrumentDb(await createTestDb(), metrics);
  const dir = await mkdtemp(join(tmpdir(), 'pos-server-'));
  const portfolioFile = join(dir, 'portfolio.yaml');
  const example = await readFile(EXAMPLE_PORTFOLIO, 'utf8');
  await writeFile(portfolioFile, options.editPortfolio ? options.editPortfolio(example) : example);
  const ownerToken = `test-owner-token-${'x'.repeat(32)}`;
  await bootstrapOwner(db, { ownerEmail: 'owner@example.com', ownerToken });
  const portfolio = new PortfolioStore(db, portfolioFile);
  await portfolio.load(systemActor('test'));
  const ingest = new IngestService(db, { ...DEFAULT_WRITER_OPTIONS, ...options.writer });
  metrics.observeIngestWriter(ingest.writer);
  // No loop: tests evaluate by calling alerts.evaluate(now); API commands evaluate at once.
  const alerts = createAlertEvaluator({
    db,
    portfolio: () => portfolio.current()?.portfolio ?? null,
    receivers: resolveReceiversLeniently(portfolio.current()?.portfolio.receivers ?? [], {
      env: options.alerts?.env ?? {},
    }),
    metrics,
    ...(options.alerts?.clock ? { clock: options.alerts.clock } : {}),
  });
  const app = await buildServer({
    db,
    settings: {
      logLevel: 'silent',
      sessionTtlHours: 1,
      secureCookies: false,
      trustProxy: false,
      ingestRateLimit: 100_000,
      ingestQueueLimit: 50_000,
      publicUrl: 'http://localhost:8787',
      chainId: 31337,
      ...options.settings,
    },
    portfolio,
    ingest,
    version: 'test',
    metrics,
    alerts,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  async function request(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.cookie) headers.cookie = options.cookie;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    Object.assign(headers, options.headers);
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
    const json: any = text ? JSON.parse(text) : null;
    return { status: res.status, json, headers: res.headers };
  }

  return {
    app,
    db,
    url,
    portfolio,
    portfolioFile,
    ownerToken,
    request,
    ingest,
    metrics,
    alerts,
    async close() {
      await app.close();
      await alerts.stop();
      await ingest.close();
      metrics.close();
      await db.close();
    },
  };
}
export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
