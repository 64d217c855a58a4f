import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../server/error-handler.ts';
import { NonceOut, SiweSubmission, WalletOut } from '../wallets/api-schemas.ts';
import { issueSignInNonce } from '../wallets/issue-nonce.ts';
import type { SiweRouteDeps } from '../wallets/routes.ts';
import { END_USER_ROUTE, userAuthenticator } from './authenticate-user.ts';
import { allowBearerCrossOrigin } from './cross-origin.ts';
import { endUserSession, getMe } from './get-me.ts';
import { issueUserTokenForDomain } from './issue-user-token.ts';
import { domainRequester } from './requester.ts';
import { signInWithEthereum } from './sign-in.ts';
import { MAX_USER_TOKEN_MINUTES, MIN_USER_TOKEN_MINUTES } from './user-tokens.ts';

const tags = ['me'];
const TokenOut = z.object({
  token: z.string().describe('pos_usr_…: send as "Authorization: Bearer"; shown once.'),
  userId: z.uuid(),
  expiresAt: z.string(),
});
const MeOut = z.object({
  userId: z.uuid(),
  wallets: z.array(WalletOut),
  session: z.object({ expiresAt: z.string() }),
});

/**
 * End users: SIWE sign-in, tokens issued by a domain's server, and /api/v1/me (the user's own
 * data only). A user token authenticates these routes and nothing else (docs/wallets.md).
 */
export function userAuthRoutes(deps: SiweRouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const clock = deps.now ?? (() => new Date());
    const authenticateUser = userAuthenticator(deps.db, clock);
    const siweCtx = () => ({ db: deps.db, now: clock(), siwe: deps.siwe, chainClient: deps.chainClient });
    allowBearerCrossOrigin(app, {
      '/api/v1/me/sign-in/nonce': 'POST',
      '/api/v1/me/sign-in': 'POST',
      '/api/v1/me': 'GET',
      '/api/v1/me/session': 'DELETE',
    });

    app.post(
      '/api/v1/me/sign-in/nonce',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'A single-use SIWE nonce for signing in with a linked wallet',
          security: [],
          response: { 200: NonceOut, ...errorResponses(400) },
        },
      },
      async () => issueSignInNonce({ ctx: siweCtx() }),
    );

    app.post(
      '/api/v1/me/sign-in',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Sign in with Ethereum (a wallet linked to a user) and get a user token',
          security: [],
          body: SiweSubmission,
          response: { 200: TokenOut.extend({ address: z.string() }), ...errorResponses(400, 401, 409, 503) },
        },
      },
      async (request) =>
        signInWithEthereum({
          ctx: {
            ...siweCtx(),
            userTokenTtlMs:
              deps.userTokenTtlHours === undefined ? undefined : deps.userTokenTtlHours * 3_600_000,
          },
          input: request.body,
        }),
    );

    app.post(
      '/api/v1/users/:userId/tokens',
      {
        schema: {
          tags,
          summary: "A user token for a user active on the key's domain (domain servers only)",
          params: z.object({ userId: z.uuid() }),
          body: z
            .strictObject({
              expiresInMinutes: z
                .number()
                .int()
                .min(MIN_USER_TOKEN_MINUTES)
                .max(MAX_USER_TOKEN_MINUTES)
                .optional(),
            })
            .optional(),
          response: { 200: TokenOut, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        issueUserTokenForDomain({
          ctx: { db: deps.db, now: clock(), requester: domainRequester(request.actor, 'issue user tokens') },
          input: { userId: request.params.userId, expiresInMinutes: request.body?.expiresInMinutes },
        }),
    );

    app.get(
      '/api/v1/me',
      {
        config: END_USER_ROUTE,
        schema: {
          tags,
          summary: "The signed-in user's id and wallets (user token only)",
          response: { 200: MeOut, ...errorResponses(401, 403) },
        },
      },
      async (request) => getMe({ ctx: { db: deps.db, user: await authenticateUser(request) } }),
    );

    app.delete(
      '/api/v1/me/session',
      {
        config: END_USER_ROUTE,
        schema: {
          tags,
          summary: 'Sign out: revoke the user token in use',
          response: { 204: z.null(), ...errorResponses(401, 403) },
        },
      },
      async (request, reply) => {
        await endUserSession({ ctx: { db: deps.db, user: await authenticateUser(request), now: clock() } });
        return reply.code(204).send(null);
      },
    );
  };
}
