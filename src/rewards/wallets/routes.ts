import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Client } from 'viem';
import type { Db } from '../../db/types.ts';
import { errorResponses } from '../../server/error-handler.ts';
import { END_USER_ROUTE, userAuthenticator } from '../user-auth/authenticate-user.ts';
import { allowBearerCrossOrigin } from '../user-auth/cross-origin.ts';
import { requesterOf } from '../user-auth/requester.ts';
import { LinkOut, LinkRequest, NonceOut, NonceRequest } from './api-schemas.ts';
import { issueLinkNonce } from './issue-nonce.ts';
import { linkWallet } from './link-wallet.ts';
import type { SiweSettings } from './siwe-settings.ts';

/** What the wallet and end-user routes need (build-server passes settings and the chain client). */
export interface SiweRouteDeps {
  db: Db;
  siwe: SiweSettings;
  /** Given: smart-contract wallets are accepted (EIP-1271/ERC-6492 through the chain). */
  chainClient?: Client | undefined;
  /** Lifetime of a sign-in token (default 24 hours). */
  userTokenTtlHours?: number | undefined;
  now?: () => Date;
}

const tags = ['wallets'];
const auth = 'A domain secret key (naming the user by userId or externalId) or the user token itself.';

/** /api/v1/wallets: SIWE (EIP-4361) nonces and wallet linking (docs/wallets.md). */
export function walletRoutes(deps: SiweRouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const clock = deps.now ?? (() => new Date());
    const authenticateUser = userAuthenticator(deps.db, clock);
    allowBearerCrossOrigin(app, { '/api/v1/wallets/nonce': 'POST', '/api/v1/wallets/link': 'POST' });
    const ctx = async (request: Parameters<typeof authenticateUser>[0], what: string) => ({
      db: deps.db,
      now: clock(),
      siwe: deps.siwe,
      chainClient: deps.chainClient,
      requester: await requesterOf(request, authenticateUser, what),
    });

    app.post(
      '/api/v1/wallets/nonce',
      {
        config: END_USER_ROUTE,
        schema: {
          tags,
          summary: 'A single-use SIWE nonce for linking a wallet to a user',
          description: `${auth} The nonce is bound to that user and expires (10 minutes by default).`,
          body: NonceRequest,
          response: { 200: NonceOut, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        issueLinkNonce({ ctx: await ctx(request, 'ask for a wallet nonce'), input: request.body }),
    );

    app.post(
      '/api/v1/wallets/link',
      {
        config: END_USER_ROUTE,
        schema: {
          tags,
          summary: 'Link the wallet that signed a SIWE message to the user of its nonce',
          description:
            `${auth} Errors carry error.details.reason: malformed, wrong_domain, wrong_uri, wrong_chain, ` +
            'expired, not_yet_valid, bad_signature, unknown_nonce, wrong_purpose, nonce_expired, nonce_used, ' +
            'nonce_for_another_user, address_taken.',
          body: LinkRequest,
          response: { 200: LinkOut, ...errorResponses(400, 401, 403, 404, 409, 503) },
        },
      },
      async (request) => linkWallet({ ctx: await ctx(request, 'link a wallet'), input: request.body }),
    );
  };
}
