import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../auth/sessions.ts';
import { hashToken } from '../../auth/tokens.ts';
import type { Db } from '../../db/types.ts';
import { uptimeRoutes } from '../../monitoring/uptime/routes.ts';
import { installAuthentication } from '../../server/authenticate-request.ts';
import { installErrorHandling } from '../../server/error-handler.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { type SiweTestKit, siweTestKit } from '../wallets/siwe-test-kit.ts';
import { meRewardsRoutes } from './me-rewards-routes.ts';
import { userAuthRoutes } from './routes.ts';

// End-user tokens: issued by SIWE sign-in or a domain's key, accepted by the /me routes only, and
// each one reads its own user's data. uptimeRoutes stands for every operator route.

describeIntegration('end-user sessions', () => {
  let db: Db;
  let k: SiweTestKit;
  const me = (token: string) => k.call('GET', '/api/v1/me', { token });

  beforeAll(async () => {
    db = await createTestDb();
    k = await siweTestKit(db, {
      extraPlugins: [uptimeRoutes({ db }), meRewardsRoutes({ db, now: () => k.clock.now() })],
    });
  });
  afterAll(async () => {
    await k?.app.close();
    await db?.close();
  });

  it("gives each user its own id and wallets, and user A's token never reads user B's data", async () => {
    const aliceWallet = await k.linkedAccount(k.users.alice);
    const bobWallet = await k.linkedAccount(k.users.bob);
    const alice = await me(await k.userToken(k.users.alice));
    const bob = await me(await k.userToken(k.users.bob));
    expect(alice.status, JSON.stringify(alice.json)).toBe(200);
    expect(alice.json.userId).toBe(k.users.alice);
    expect(alice.json.wallets).toEqual([
      expect.objectContaining({ address: aliceWallet.address.toLowerCase(), payout: true }),
    ]);
    expect(bob.json.userId).toBe(k.users.bob);
    expect(bob.json.wallets.map((w: { address: string }) => w.address)).toEqual([
      bobWallet.address.toLowerCase(),
    ]);
    // No route takes a user id from a user: extra parameters are ignored or refused.
    const sneaky = await k.call('GET', `/api/v1/me?userId=${k.users.bob}`, {
      token: await k.userToken(k.users.alice),
    });
    expect(sneaky.json.userId).toBe(k.users.alice);
  });

  it('reads the rewards of the token user only', async () => {
    await db.query("UPDATE users SET loyalty_tier = 'gold' WHERE id = $1", [k.users.alice]);
    const alice = await k.call('GET', '/api/v1/me/rewards', { token: await k.userToken(k.users.alice) });
    const bob = await k.call('GET', '/api/v1/me/rewards?limit=5', { token: await k.userToken(k.users.bob) });
    expect(alice.status, JSON.stringify(alice.json)).toBe(200);
    expect(alice.json).toMatchObject({ userId: k.users.alice, tier: 'gold', balance: { wei: '0' } });
    expect(bob.json).toMatchObject({ userId: k.users.bob, tier: 'bronze', history: { items: [] } });
    expect((await k.call('GET', '/api/v1/me/rewards', { token: k.ownerToken })).status).toBe(403);
    expect((await k.call('GET', '/api/v1/me/rewards')).status).toBe(401);
  });

  it('issues tokens only to a secret key, for users active on its domain', async () => {
    const ask = (token: string | undefined, userId: string, body: unknown = {}) =>
      k.call('POST', `/api/v1/users/${userId}/tokens`, { ...(token ? { token } : {}), body });
    const ok = await ask(k.keys.a, k.users.alice, { expiresInMinutes: 30 });
    expect(ok.status).toBe(200);
    expect(ok.json.token).toMatch(/^pos_usr_/);
    expect(Date.parse(ok.json.expiresAt) - k.clock.now().getTime()).toBe(30 * 60_000);
    expect((await ask(k.keys.a, k.users.carol)).status).toBe(404);
    expect((await ask(k.keys.aPublic, k.users.alice)).status).toBe(403);
    expect((await ask(k.ownerToken, k.users.alice)).status).toBe(403);
    expect((await ask(undefined, k.users.alice)).status).toBe(401);
    expect((await ask(k.keys.a, k.users.alice, { expiresInMinutes: 1 })).status).toBe(400);
    // Only the hash is stored.
    const stored = await db.query('SELECT 1 FROM user_sessions WHERE token_hash = $1', [
      hashToken(ok.json.token),
    ]);
    expect(stored.rowCount).toBe(1);
    expect(JSON.stringify((await db.query('SELECT * FROM user_sessions')).rows)).not.toContain(ok.json.token);
  });

  it("shows a user's sessions and nonces to a domain's scope only where the user is active", async () => {
    await k.userToken(k.users.alice);
    await k.linkNonce(k.keys.a, { userId: k.users.alice });
    const count = (domain: string) =>
      db.transaction(
        async (tx) => ({
          sessions: (await tx.query('SELECT 1 FROM user_sessions WHERE user_id = $1', [k.users.alice]))
            .rowCount,
          nonces: (await tx.query('SELECT 1 FROM siwe_nonces WHERE user_id = $1', [k.users.alice])).rowCount,
        }),
        { scope: { kind: 'domains', domainIds: [k.domains[domain] as string] } },
      );
    const inA = await count('a.example');
    expect(inA.sessions).toBeGreaterThan(0);
    expect(inA.nonces).toBeGreaterThan(0);
    expect(await count('b.example')).toEqual({ sessions: 0, nonces: 0 });
  });

  it('signs in with a linked wallet, once per nonce', async () => {
    const wallet = await k.linkedAccount(k.users.alice);
    const nonce = (await k.call('POST', '/api/v1/me/sign-in/nonce')).json;
    expect(nonce).toMatchObject({ domain: k.siwe.domain, chainId: 31337 });
    const body = await k.signed(wallet, nonce);
    const res = await k.call('POST', '/api/v1/me/sign-in', { body });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ userId: k.users.alice, address: wallet.address.toLowerCase() });
    expect((await me(res.json.token)).json.userId).toBe(k.users.alice);
    const replay = await k.call('POST', '/api/v1/me/sign-in', { body });
    expect(replay.status).toBe(409);
    expect(replay.json.error).toMatchObject({ field: 'nonce', details: { reason: 'nonce_used' } });
  });

  it('refuses sign-in by an unlinked wallet, a forged signature and nonces meant for linking', async () => {
    const signIn = async (body: unknown) => (await k.call('POST', '/api/v1/me/sign-in', { body })).json.error;
    const nonce = (await k.call('POST', '/api/v1/me/sign-in/nonce')).json;
    const stranger = k.newAccount();
    expect(await signIn(await k.signed(stranger, nonce))).toMatchObject({
      code: 'unauthenticated',
      field: 'address',
      details: { reason: 'wallet_not_linked' },
    });
    const alice = await k.linkedAccount(k.users.alice);
    expect(await signIn(await k.signed(alice, nonce, {}, stranger))).toMatchObject({
      code: 'unauthenticated',
      field: 'signature',
    });
    const linkNonce = await k.linkNonce(k.keys.a, { userId: k.users.alice });
    expect(await signIn(await k.signed(alice, linkNonce))).toMatchObject({
      details: { reason: 'wrong_purpose' },
    });
    const link = await k.call('POST', '/api/v1/wallets/link', {
      token: k.keys.a,
      body: { ...(await k.signed(k.newAccount(), nonce)), userId: k.users.alice },
    });
    expect(link.json.error).toMatchObject({ field: 'nonce', details: { reason: 'wrong_purpose' } });
  });

  it('keeps user tokens and operator credentials apart', async () => {
    const userToken = await k.userToken(k.users.alice);
    const uptime = (token: string) => k.call('GET', '/api/v1/monitoring/uptime', { token });
    expect((await uptime(k.ownerToken)).status).toBe(200);
    const refused = await uptime(userToken);
    expect(refused.status).toBe(401);
    for (const operatorCredential of [k.ownerToken, k.keys.a, k.keys.aPublic]) {
      const res = await me(operatorCredential);
      expect(res.status).toBe(403);
      expect(res.json.error.message).toMatch(/end users/);
    }
    // An operator's dashboard session is not a user token, as a bearer or as its cookie.
    const { session } = await createSession(db, { token: k.ownerToken, now: new Date(), ttlHours: 1 });
    expect((await me(session)).status).toBe(401);
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandling(app);
    await app.register(cookie); // routeTestApp does not parse cookies; the server does
    installAuthentication(app, db);
    await app.register(userAuthRoutes({ db, siwe: k.siwe }));
    const withCookie = await app.inject({
      url: '/api/v1/me',
      headers: { cookie: `${SESSION_COOKIE}=${session}` },
    });
    expect(withCookie.statusCode).toBe(403);
    await app.close();
  });

  it('ends a token on sign-out, on expiry, on deactivation and when its issuing key is revoked', async () => {
    const first = await k.userToken(k.users.bob);
    const second = await k.userToken(k.users.bob);
    expect((await k.call('DELETE', '/api/v1/me/session', { token: first })).status).toBe(204);
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(200);

    const fromB = await k.userToken(k.users.carol, k.keys.b);
    const keyId = (
      await db.query<{ api_key_id: string }>('SELECT api_key_id FROM user_sessions WHERE token_hash = $1', [
        hashToken(fromB),
      ])
    ).rows[0]?.api_key_id;
    await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [keyId]);
    expect((await me(fromB)).status).toBe(401);

    await db.query('UPDATE users SET is_active = false WHERE id = $1', [k.users.bob]);
    expect((await me(second)).status).toBe(401);
    await db.query('UPDATE users SET is_active = true WHERE id = $1', [k.users.bob]);
    expect((await me(second)).status).toBe(200);

    k.clock.advance(24 * 3_600_000);
    expect((await me(second)).status).toBe(401);
  });
});
