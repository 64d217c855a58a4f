import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requireUnscopedAdmin } from '../../auth/actor.ts';
import { AppError } from '../../shared/app-error.ts';
import type { SelfMetrics } from './registry.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route checks a bearer token that is not an operator credential itself (the scrape
     * token): the authentication hook should leave an unknown bearer to it instead of refusing.
     */
    ownBearerToken?: boolean;
  }
}

export const METRICS_PATH = '/metrics';

/** Label for requests no route matched (bounded, unlike the raw URL). */
export const UNMATCHED_ROUTE = 'unmatched';

// Probes, the scrape itself and long-lived streams would skew the latency history the
// regression rule reads; they are still counted in http_request_duration_seconds.
const OUTSIDE_LATENCY_HISTORY = new Set([
  UNMATCHED_ROUTE,
  METRICS_PATH,
  '/healthz',
  '/readyz',
  '/api/v1/live/visitors',
]);

function routeOf(request: FastifyRequest): string {
  return request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
}

function isEventStream(reply: FastifyReply): boolean {
  const type = reply.getHeader('content-type') ?? reply.raw.getHeader('content-type');
  return String(type ?? '').startsWith('text/event-stream');
}

/**
 * Counts and times every response (call once, on the root instance, before the routes are
 * registered). Duration is Fastify's `elapsedTime`: from routing to the last byte, so
 * authentication and hooks are included whatever order they were added in.
 */
export function installSelfMetrics(app: FastifyInstance, metrics: SelfMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = routeOf(request);
    const seconds = reply.elapsedTime / 1000;
    metrics.observeRequest(request.method, route, reply.statusCode, seconds);
    if (!OUTSIDE_LATENCY_HISTORY.has(route) && !isEventStream(reply))
      metrics.hourlyLatency.observe(route, seconds, new Date());
  });
}

function sameSecret(given: string, expected: string): boolean {
  // Digests have equal length, so the comparison takes the same time whatever was sent.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function bearerOf(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match ? (match[1] as string) : null;
}

/** Who may scrape: the dedicated scrape token when configured, or an unscoped owner/admin. */
export function authorizeScrape(request: FastifyRequest, metricsToken: string | undefined): void {
  const bearer = bearerOf(request);
  if (metricsToken && bearer !== null && sameSecret(bearer, metricsToken)) return;
  if (request.actor) {
    requireUnscopedAdmin(request.actor);
    return;
  }
  throw new AppError(
    'unauthenticated',
    metricsToken
      ? 'send "Authorization: Bearer <METRICS_TOKEN>" or an owner/admin token'
      : 'send "Authorization: Bearer <token>" with an owner/admin token',
    'headers.authorization',
  );
}

export interface SelfMetricsRouteOptions {
  metrics: SelfMetrics;
  /** Dedicated scrape credential (METRICS_TOKEN); unset: only owner/admin operators may scrape. */
  metricsToken?: string | undefined;
}

/** `GET /metrics`: the Prometheus text exposition (version 0.0.4) of this server instance. */
export function selfMetricsRoutes(options: SelfMetricsRouteOptions): FastifyPluginAsync {
  return async (app) => {
    app.get(
      METRICS_PATH,
      {
        // Public to the authentication hook only: the handler checks the credential itself.
        config: { public: true, ownBearerToken: true },
        logLevel: 'warn',
        schema: {
          tags: ['monitoring'],
          summary: "This server's own metrics in Prometheus text format (owner/admin or METRICS_TOKEN)",
        },
      },
      async (request, reply) => {
        authorizeScrape(request, options.metricsToken);
        const { contentType, body } = await options.metrics.scrape();
        return reply.header('cache-control', 'no-store').type(contentType).send(body);
      },
    );
  };
}
