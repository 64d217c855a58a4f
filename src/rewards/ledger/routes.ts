import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Ctx } from '../../auth/context.ts';
import type { Db } from '../../db/types.ts';
import { actorOf } from '../../server/authenticate-request.ts';
import { errorResponses } from '../../server/error-handler.ts';
import {
  HistoryQuery,
  RedemptionInput,
  RedemptionOut,
  RewardsSummaryOut,
  RewardsSummaryQuery,
  UserParams,
  UserRewardsOut,
} from './api-schemas.ts';
import { getUserRewards } from './read-user-rewards.ts';
import { redeemPoints } from './redeem-points.ts';
import { getRewardsSummary } from './rewards-summary.ts';

const tags = ['rewards'];
const readErrors = errorResponses(400, 401, 403, 404, 503);
const writeErrors = errorResponses(400, 401, 403, 404, 409, 503);

/** /api/v1/rewards: the ledger for owners, admins and domains' servers (docs/rewards.md, "API"). */
export function rewardsRoutes(deps: { db: Db; now?: () => Date }): FastifyPluginAsyncZod {
  const now = deps.now ?? (() => new Date());
  const ctx = (request: FastifyRequest): Ctx => ({ db: deps.db, actor: actorOf(request), now: now() });
  return async (app) => {
    app.get(
      '/api/v1/rewards/summary',
      {
        schema: {
          tags,
          summary: 'PTF issued, redeemed and outstanding, holders, per domain and day, top users, tiers',
          querystring: RewardsSummaryQuery,
          response: { 200: RewardsSummaryOut, ...readErrors },
        },
      },
      async (request) => getRewardsSummary({ ctx: ctx(request), input: request.query }),
    );
    app.get(
      '/api/v1/rewards/users/:userId',
      {
        schema: {
          tags,
          summary: "A user's balance, tier and ledger history (newest first, paginated)",
          params: UserParams,
          querystring: HistoryQuery,
          response: { 200: UserRewardsOut, ...readErrors },
        },
      },
      async (request) =>
        getUserRewards({ ctx: ctx(request), input: { userId: request.params.userId, ...request.query } }),
    );
    app.post(
      '/api/v1/rewards/redemptions',
      {
        schema: {
          tags,
          summary:
            "Spend a user's points on a domain (its secret key, an owner or an admin); idempotent by key",
          body: RedemptionInput,
          response: { 200: RedemptionOut, 201: RedemptionOut, ...writeErrors },
        },
      },
      async (request, reply) => {
        const out = await redeemPoints({ ctx: ctx(request), input: request.body });
        return reply.code(out.replayed ? 200 : 201).send(out);
      },
    );
  };
}
