import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { systemActor } from '../../auth/actor.ts';
import type { Db } from '../../db/types.ts';
import { errorResponses } from '../../server/error-handler.ts';
import { HistoryQuery, UserRewardsOut } from '../ledger/api-schemas.ts';
import { getUserRewards } from '../ledger/read-user-rewards.ts';
import { END_USER_ROUTE, userAuthenticator } from './authenticate-user.ts';
import { allowBearerCrossOrigin } from './cross-origin.ts';

/**
 * `GET /api/v1/me/rewards`: the signed-in user's balance, tier and history. The user id comes
 * from the token only (no parameter names a user); the ledger is read across every domain,
 * because the balance is the user's own, whichever domain rewarded it.
 */
export function meRewardsRoutes(deps: { db: Db; now?: () => Date }): FastifyPluginAsyncZod {
  return async (app) => {
    const clock = deps.now ?? (() => new Date());
    const authenticateUser = userAuthenticator(deps.db, clock);
    allowBearerCrossOrigin(app, { '/api/v1/me/rewards': 'GET' });
    app.get(
      '/api/v1/me/rewards',
      {
        config: END_USER_ROUTE,
        schema: {
          tags: ['me'],
          summary: "The signed-in user's PTF balance, tier and history (user token only)",
          querystring: HistoryQuery,
          response: { 200: UserRewardsOut, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const { userId } = await authenticateUser(request);
        return getUserRewards({
          ctx: { db: deps.db, actor: systemActor(`user:${userId}`), now: clock() },
          input: { userId, ...request.query },
        });
      },
    );
  };
}
