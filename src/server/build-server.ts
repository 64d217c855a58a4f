import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { type AlertEvaluator, createAlertEvaluator } from '../alerts/runtime/evaluate-alerts.ts';
import { alertRoutes } from '../alerts/runtime/routes.ts';
import { resolveReceiversLeniently } from '../alerts/runtime/runtime-receivers.ts';
import { authRoutes } from '../auth/routes.ts';
import type { Settings } from '../config/settings.ts';
import { dashboardRoutes } from '../dashboard/routes.ts';
import type { Db } from '../db/types.ts';
import { experimentRoutes } from '../experiments/routes.ts';
import { importRoutes } from '../ingest/csv-import/routes.ts';
import { eventsApiRoutes } from '../ingest/events-api-routes.ts';
import { identityRoutes } from '../ingest/identity/identity-routes.ts';
import type { IngestService } from '../ingest/ingest-service.ts';
import { plausibleRoutes } from '../ingest/plausible-routes.ts';
import { revenueRoutes } from '../ingest/revenue/routes.ts';
import { stripeRoutes } from '../ingest/stripe/routes.ts';
import { trackerRoutes } from '../ingest/tracker/tracker-routes.ts';
import { umamiRoutes } from '../ingest/umami-routes.ts';
import { kpiRoutes } from '../kpis/routes.ts';
import { engagementRoutes } from '../metrics/engagement/routes.ts';
import { overviewRoutes } from '../metrics/overview/routes.ts';
import { revenueMetricsRoutes } from '../metrics/revenue/routes.ts';
import { trafficRoutes } from '../metrics/traffic/routes.ts';
import { installSelfMetrics, selfMetricsRoutes } from '../monitoring/self-metrics/plugin.ts';
import type { SelfMetrics } from '../monitoring/self-metrics/registry.ts';
import { uptimeRoutes } from '../monitoring/uptime/routes.ts';
import { webVitalsRoutes } from '../monitoring/web-vitals/routes.ts';
import type { PortfolioStore } from '../portfolio/portfolio-store.ts';
import { portfolioRoutes } from '../portfolio/routes.ts';
import type { ChainHandle } from '../rewards/chain/open-chain.ts';
import { rewardsRoutes } from '../rewards/ledger/routes.ts';
import { tokenRoutes } from '../rewards/token-routes.ts';
import { meRewardsRoutes } from '../rewards/user-auth/me-rewards-routes.ts';
import { userAuthRoutes } from '../rewards/user-auth/routes.ts';
import { walletRoutes } from '../rewards/wallets/routes.ts';
import { siweSettings } from '../rewards/wallets/siwe-settings.ts';
import { installAuthentication } from './authenticate-request.ts';
import { installErrorHandling } from './error-handler.ts';
import { healthRoutes } from './health-routes.ts';
import { installNulGuard } from './reject-nul.ts';

export interface ServerDeps {
  db: Db;
  settings: Pick<
    Settings,
    | 'logLevel'
    | 'sessionTtlHours'
    | 'secureCookies'
    | 'trustProxy'
    | 'ingestRateLimit'
    | 'ingestQueueLimit'
    | 'metricsToken'
    | 'publicUrl'
    | 'chainId'
  >;
  portfolio: PortfolioStore;
  ingest: IngestService;
  version: string;
  /** This server's own metrics, served at /metrics. */
  metrics: SelfMetrics;
  /** The alert evaluator the alert API's commands run; without one, an idle one with no secrets. */
  alerts?: AlertEvaluator;
  /** The rewards chain once it is open (it opens in the background); none: the token API says so. */
  chain?: () => ChainHandle | null | undefined;
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: deps.settings.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    bodyLimit: 1_048_576,
    // In-flight requests finish on close; idle keep-alive connections are dropped so close is prompt.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installSelfMetrics(app, deps.metrics);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Portfolio OS API',
        version: deps.version,
        description:
          'Control plane for a portfolio of online businesses. Authenticate with `Authorization: Bearer <token>` ' +
          '(operator login token or a domain secret key) or the dashboard session cookie.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'pos_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  installAuthentication(app, deps.db);
  installNulGuard(app);
  await app.register(healthRoutes(deps));
  await app.register(authRoutes(deps));
  await app.register(portfolioRoutes(deps));
  await app.register(plausibleRoutes(deps));
  await app.register(umamiRoutes(deps));
  await app.register(eventsApiRoutes(deps));
  await app.register(identityRoutes(deps));
  await app.register(trackerRoutes(deps));
  await app.register(revenueRoutes(deps));
  await app.register(stripeRoutes(deps));
  await app.register(importRoutes(deps));
  await app.register(overviewRoutes(deps));
  await app.register(trafficRoutes(deps));
  await app.register(revenueMetricsRoutes(deps));
  await app.register(engagementRoutes(deps));
  await app.register(kpiRoutes(deps));
  await app.register(uptimeRoutes(deps));
  await app.register(webVitalsRoutes(deps));
  const alerts =
    deps.alerts ??
    createAlertEvaluator({
      db: deps.db,
      portfolio: () => deps.portfolio.current()?.portfolio ?? null,
      receivers: resolveReceiversLeniently(deps.portfolio.current()?.portfolio.receivers ?? [], { env: {} }),
      metrics: deps.metrics,
    });
  await app.register(alertRoutes({ db: deps.db, alerts }));
  await app.register(experimentRoutes(deps));
  // Rewards: the ledger (operators), wallet linking and the end user's own API.
  await app.register(rewardsRoutes(deps));
  await app.register(tokenRoutes({ db: deps.db, ...(deps.chain ? { chain: deps.chain } : {}) }));
  const endUsers = {
    db: deps.db,
    siwe: siweSettings({ publicUrl: deps.settings.publicUrl, chainId: deps.settings.chainId }),
  };
  await app.register(walletRoutes(endUsers));
  await app.register(userAuthRoutes(endUsers));
  await app.register(meRewardsRoutes({ db: deps.db }));
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  // Last: its catch-all serves the web app for whatever path the API does not own.
  await app.register(selfMetricsRoutes({ metrics: deps.metrics, metricsToken: deps.settings.metricsToken }));
  await app.register(dashboardRoutes(deps));
  return app;
}
