import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Address, Client } from 'viem';
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { type CreateSiweMessageParameters, createSiweMessage } from 'viem/siwe';
import { systemActor } from '../../auth/actor.ts';
import { addOperator } from '../../auth/add-operator.ts';
import { createApiKey } from '../../auth/create-api-key.ts';
import type { Db } from '../../db/types.ts';
import { resolveExternalUsers } from '../../ingest/identity/resolve-external-users.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { routeTestApp } from '../../test-support/route-test-app.ts';
import { userAuthRoutes } from '../user-auth/routes.ts';
import type { NonceOut } from './api-schemas.ts';
import { walletRoutes } from './routes.ts';
import { siweSettings } from './siwe-settings.ts';

/**
 * A wallet/user-auth API over a test database: two domains (a.example with alice and bob,
 * b.example with carol), their keys, an owner, a settable clock, and helpers that sign real
 * SIWE messages with fresh keys.
 */
export async function siweTestKit(
  db: Db,
  options: { chainClient?: Client; chainId?: number; extraPlugins?: FastifyPluginAsync[] } = {},
) {
  const siwe = siweSettings({
    publicUrl: 'https://rewards.portfolio.test',
    chainId: options.chainId ?? 31337,
  });
  let now = new Date();
  const clock = {
    now: () => now,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
  const domains = await insertDomains(db, ['a.example', 'b.example']);
  const a = await resolveExternalUsers(db, domains['a.example'] as string, ['alice', 'bob'], now);
  const b = await resolveExternalUsers(db, domains['b.example'] as string, ['carol'], now);
  const users = {
    alice: a.get('alice') as string,
    bob: a.get('bob') as string,
    carol: b.get('carol') as string,
  };
  const ctx = { db, actor: systemActor('test'), now };
  const keys = {
    a: (await createApiKey({ ctx, input: { domain: 'a.example', kind: 'secret' } })).secret,
    aPublic: (await createApiKey({ ctx, input: { domain: 'a.example', kind: 'public' } })).secret,
    b: (await createApiKey({ ctx, input: { domain: 'b.example', kind: 'secret' } })).secret,
  };
  const ownerToken = (await addOperator({ ctx, input: { email: 'owner@example.com', role: 'owner' } })).token;
  const deps = { db, siwe, chainClient: options.chainClient, now: clock.now };
  const app: FastifyInstance = await routeTestApp(
    db,
    walletRoutes(deps),
    userAuthRoutes(deps),
    ...(options.extraPlugins ?? []),
  );

  async function call(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    opts: { token?: string; body?: unknown; cookie?: string } = {},
  ) {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.cookie) headers.cookie = opts.cookie;
    const res = await app.inject({
      method,
      url,
      headers,
      ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
    });
    // biome-ignore lint/suspicious/noExplicitAny: responses are inspected field by field
    const json: any = res.body ? res.json() : null;
    return { status: res.statusCode, json };
  }

  /** The message a client builds from a nonce answer for `account`'s address, signed by `signer` (default: that account). */
  async function signed(
    account: PrivateKeyAccount | { address: Address },
    nonce: NonceOut,
    overrides: Partial<CreateSiweMessageParameters> = {},
    signer: PrivateKeyAccount = account as PrivateKeyAccount,
  ) {
    const message = createSiweMessage({
      address: account.address,
      domain: nonce.domain,
      uri: nonce.uri,
      chainId: nonce.chainId,
      nonce: nonce.nonce,
      version: '1',
      statement: nonce.statement,
      issuedAt: now,
      ...overrides,
    });
    return { message, signature: await signer.signMessage({ message }) };
  }

  const newAccount = () => privateKeyToAccount(generatePrivateKey());

  async function linkNonce(token: string, body: Record<string, unknown> = {}): Promise<NonceOut> {
    const res = await call('POST', '/api/v1/wallets/nonce', { token, body });
    if (res.status !== 200) throw new Error(`nonce: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  }

  /** Links a fresh wallet to a user through domain a's key; returns the account. */
  async function linkedAccount(userId: string, key: string = keys.a): Promise<PrivateKeyAccount> {
    const account = newAccount();
    const res = await call('POST', '/api/v1/wallets/link', {
      token: key,
      body: { ...(await signed(account, await linkNonce(key, { userId }))), userId },
    });
    if (res.status !== 200) throw new Error(`link: ${res.status} ${JSON.stringify(res.json)}`);
    return account;
  }

  async function userToken(userId: string, key: string = keys.a): Promise<string> {
    const res = await call('POST', `/api/v1/users/${userId}/tokens`, { token: key, body: {} });
    if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json.token;
  }

  return {
    app,
    siwe,
    clock,
    domains,
    users,
    keys,
    ownerToken,
    call,
    signed,
    newAccount,
    linkNonce,
    linkedAccount,
    userToken,
  };
}
export type SiweTestKit = Awaited<ReturnType<typeof siweTestKit>>;
