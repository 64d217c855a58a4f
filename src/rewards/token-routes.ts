import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Ctx } from '../auth/context.ts';
import type { Db } from '../db/types.ts';
import { actorOf } from '../server/authenticate-request.ts';
import { errorResponses } from '../server/error-handler.ts';
import { RelayerOverviewOut, RelayerOverviewQuery, TokenOverviewOut } from './token-api-schemas.ts';
import { readRelayerOverview, readTokenOverview, type TokenChainSource } from './token-overview.ts';

const tags = ['rewards'];
const readErrors = errorResponses(400, 401, 403, 503);

export interface TokenRouteDeps {
  db: Db;
  /** The open chain (or a getter for it); absent or null: the token route answers `configured: false`. */
  chain?: TokenChainSource;
  now?: () => Date;
}

/** /api/v1/rewards/token and /rewards/relayer: the on-chain side of the rewards, for the dashboard. */
export function tokenRoutes(deps: TokenRouteDeps): FastifyPluginAsyncZod {
  const now = deps.now ?? (() => new Date());
  const ctx = (request: FastifyRequest): Ctx => ({ db: deps.db, actor: actorOf(request), now: now() });
  const chain = () => (typeof deps.chain === 'function' ? deps.chain() : deps.chain);
  return async (app) => {
    app.get(
      '/api/v1/rewards/token',
      {
        schema: {
          tags,
          summary: "The token's chain, deployment, supply, holders, roles and registered domains",
          description:
            'Portfolio-wide: needs access to every domain. Without a chain (CHAIN=off) or when it does not ' +
            'answer, 200 with configured/available false and the reason.',
          response: { 200: TokenOverviewOut, ...readErrors },
        },
      },
      async (request) => readTokenOverview({ ctx: ctx(request), input: { chain: chain() } }),
    );
    app.get(
      '/api/v1/rewards/relayer',
      {
        schema: {
          tags,
          summary: "The relayer's queue, its recent batches and the last reconciliation with the chain",
          description:
            "Within your scope: a domain-limited caller counts its domains' transactions and batch entries, " +
            "sees only its users' differences, and no total-supply check.",
          querystring: RelayerOverviewQuery,
          response: { 200: RelayerOverviewOut, ...readErrors },
        },
      },
      async (request) => readRelayerOverview({ ctx: ctx(request), input: request.query }),
    );
  };
}
