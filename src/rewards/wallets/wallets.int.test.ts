import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { hashNonce } from './consume-nonce.ts';
import { payoutWallet } from './payout-wallet.ts';
import { type SiweTestKit, siweTestKit } from './siwe-test-kit.ts';

// Wallet linking over HTTP with real keys: every message is built by viem's createSiweMessage from
// the server's nonce answer and signed with a fresh private key.

describeIntegration('wallet linking (SIWE)', () => {
  let db: Db;
  let k: SiweTestKit;
  const error = (res: {
    json: { error: { code: string; field?: string; details?: { reason?: string } } };
  }) => ({
    code: res.json.error.code,
    field: res.json.error.field,
    reason: res.json.error.details?.reason,
  });

  beforeAll(async () => {
    db = await createTestDb();
    k = await siweTestKit(db);
  });
  afterAll(async () => {
    await k?.app.close();
    await db?.close();
  });

  const link = (body: Record<string, unknown>, token: string = k.keys.a) =>
    k.call('POST', '/api/v1/wallets/link', { token, body });

  it("links a wallet signed by its key to the nonce's user; the first verified wallet is the payout wallet", async () => {
    const nonce = await k.linkNonce(k.keys.a, { userId: k.users.alice });
    expect(nonce).toMatchObject({ domain: 'rewards.portfolio.test', uri: 'https://rewards.portfolio.test' });
    expect(nonce.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(nonce.expiresAt) - Date.parse(nonce.issuedAt)).toBe(10 * 60_000);
    const first = k.newAccount();
    const res = await link({ ...(await k.signed(first, nonce)), userId: k.users.alice });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({
      userId: k.users.alice,
      address: first.address.toLowerCase(),
      chainId: 31337,
      payout: true,
      alreadyLinked: false,
    });
    // Linked through the domain's own id for the user this time.
    k.clock.advance(1000);
    const second = k.newAccount();
    const byExternal = await link({
      ...(await k.signed(second, await k.linkNonce(k.keys.a, { externalId: 'alice' }))),
      externalId: 'alice',
    });
    expect(byExternal.status, JSON.stringify(byExternal.json)).toBe(200);
    expect(byExternal.json).toMatchObject({ userId: k.users.alice, payout: false });
    expect(await payoutWallet(db, k.users.alice)).toBe(first.address.toLowerCase());
    expect(await payoutWallet(db, k.users.bob)).toBeNull();
    const audit = await db.query<{ actor: string; target_id: string }>(
      "SELECT actor, target_id FROM audit_log WHERE action = 'wallet.link' ORDER BY id",
    );
    expect(audit.rows.map((r) => r.target_id)).toEqual([
      first.address.toLowerCase(),
      second.address.toLowerCase(),
    ]);
    expect(audit.rows[0]?.actor).toMatch(/^key:/);
  });

  it('keeps only hashes of nonces', async () => {
    const nonce = await k.linkNonce(k.keys.a, { userId: k.users.bob });
    const rows = await db.query<{ nonce_hash: string }>('SELECT nonce_hash FROM siwe_nonces');
    expect(rows.rows.map((r) => r.nonce_hash)).toContain(hashNonce(nonce.nonce));
    expect(JSON.stringify(rows.rows)).not.toContain(nonce.nonce);
  });

  it('refuses a replayed message with 409 on the nonce', async () => {
    const body = {
      ...(await k.signed(k.newAccount(), await k.linkNonce(k.keys.a, { userId: k.users.bob }))),
    };
    expect((await link({ ...body, userId: k.users.bob })).status).toBe(200);
    const replay = await link({ ...body, userId: k.users.bob });
    expect(replay.status).toBe(409);
    expect(error(replay)).toEqual({ code: 'conflict', field: 'nonce', reason: 'nonce_used' });
    expect(replay.json.error.message).toMatch(/already used/);
  });

  it('spends a nonce once when two requests race with the same message', async () => {
    const body = {
      ...(await k.signed(k.newAccount(), await k.linkNonce(k.keys.a, { userId: k.users.bob }))),
      userId: k.users.bob,
    };
    const statuses = (await Promise.all([link(body), link(body), link(body)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
  });

  it('refuses an expired nonce, and an expired or not yet valid message', async () => {
    const nonce = await k.linkNonce(k.keys.a, { userId: k.users.bob });
    const late = await k.signed(k.newAccount(), nonce);
    k.clock.advance(10 * 60_000 + 1);
    const res = await link({ ...late, userId: k.users.bob });
    expect(res.status).toBe(400);
    expect(error(res)).toEqual({ code: 'invalid_request', field: 'nonce', reason: 'nonce_expired' });

    const fresh = await k.linkNonce(k.keys.a, { userId: k.users.bob });
    const expired = await k.signed(k.newAccount(), fresh, {
      expirationTime: new Date(k.clock.now().getTime() - 1),
    });
    const res2 = await link({ ...expired, userId: k.users.bob });
    expect(error(res2)).toEqual({ code: 'invalid_request', field: 'message', reason: 'expired' });
    const early = await k.signed(k.newAccount(), fresh, {
      notBefore: new Date(k.clock.now().getTime() + 60_000),
    });
    expect(error(await link({ ...early, userId: k.users.bob }))).toMatchObject({ reason: 'not_yet_valid' });
    // Neither refusal spent the nonce.
    expect((await link({ ...(await k.signed(k.newAccount(), fresh)), userId: k.users.bob })).status).toBe(
      200,
    );
  });

  it('refuses another domain, URI or chain, naming the field', async () => {
    const nonce = await k.linkNonce(k.keys.a, { userId: k.users.bob });
    const account = k.newAccount();
    const cases = [
      [{ domain: 'evil.example' }, 'domain', 'wrong_domain'],
      [{ uri: 'https://evil.example' }, 'uri', 'wrong_uri'],
      [{ chainId: 1 }, 'chainId', 'wrong_chain'],
    ] as const;
    for (const [override, field, reason] of cases) {
      const res = await link({ ...(await k.signed(account, nonce, override)), userId: k.users.bob });
      expect(res.status).toBe(400);
      expect(error(res)).toEqual({ code: 'invalid_request', field, reason });
    }
  });

  it('refuses a malformed message (400, field message) and a signature by another key (401)', async () => {
    const nonce = await k.linkNonce(k.keys.a, { userId: k.users.bob });
    const account = k.newAccount();
    const good = await k.signed(account, nonce);
    const bad = await link({
      message: `${good.message}\nextra line`,
      signature: good.signature,
      userId: k.users.bob,
    });
    expect(error(bad)).toEqual({ code: 'invalid_request', field: 'message', reason: 'malformed' });
    const forged = await k.signed(account, nonce, {}, k.newAccount());
    const res = await link({ ...forged, userId: k.users.bob });
    expect(res.status).toBe(401);
    expect(error(res)).toEqual({ code: 'unauthenticated', field: 'signature', reason: 'bad_signature' });
    const notHex = await link({ message: good.message, signature: 'nope', userId: k.users.bob });
    expect(notHex.status).toBe(400);
    expect(notHex.json.error.field).toBe('body.signature');
  });

  it('refuses an address already verified for another user (409, field address)', async () => {
    const alice = await k.linkedAccount(k.users.alice);
    const res = await link({
      ...(await k.signed(alice, await k.linkNonce(k.keys.a, { userId: k.users.bob }))),
      userId: k.users.bob,
    });
    expect(res.status).toBe(409);
    expect(error(res)).toEqual({ code: 'conflict', field: 'address', reason: 'address_taken' });
    const owner = await db.query('SELECT user_id FROM user_wallets WHERE address = $1', [
      alice.address.toLowerCase(),
    ]);
    expect(owner.rows).toEqual([{ user_id: k.users.alice }]);
  });

  it('takes over an unverified claim, and re-linking its own wallet changes nothing', async () => {
    const account = k.newAccount();
    const address = account.address.toLowerCase();
    await db.query('INSERT INTO user_wallets (address, user_id) VALUES ($1, $2)', [address, k.users.alice]);
    const res = await link({
      ...(await k.signed(account, await k.linkNonce(k.keys.a, { userId: k.users.bob }))),
      userId: k.users.bob,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ userId: k.users.bob, alreadyLinked: false });
    const again = await link({
      ...(await k.signed(account, await k.linkNonce(k.keys.a, { userId: k.users.bob }))),
      userId: k.users.bob,
    });
    expect(again.json).toMatchObject({ alreadyLinked: true, verifiedAt: res.json.verifiedAt });
  });

  it("refuses user A's nonce in a request for user B, by key or by user token", async () => {
    const aliceNonce = await k.linkNonce(k.keys.a, { userId: k.users.alice });
    const body = await k.signed(k.newAccount(), aliceNonce);
    const byKey = await link({ ...body, userId: k.users.bob });
    expect(byKey.status).toBe(403);
    expect(error(byKey)).toEqual({ code: 'forbidden', field: 'nonce', reason: 'nonce_for_another_user' });
    const bobToken = await k.userToken(k.users.bob);
    const byUser = await link(body, bobToken);
    expect(error(byUser)).toEqual({ code: 'forbidden', field: 'nonce', reason: 'nonce_for_another_user' });
    // The nonce is still alice's to use.
    expect((await link({ ...body, userId: k.users.alice })).status).toBe(200);
  });

  it('lets a user link its own wallet with its token, naming nobody', async () => {
    const carolToken = await k.userToken(k.users.carol, k.keys.b);
    const nonce = await k.linkNonce(carolToken);
    const res = await link(await k.signed(k.newAccount(), nonce), carolToken);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ userId: k.users.carol, payout: true });
    const naming = await k.call('POST', '/api/v1/wallets/nonce', {
      token: carolToken,
      body: { userId: k.users.alice },
    });
    expect(naming.status).toBe(400);
    expect(naming.json.error.field).toBe('body.userId');
    const audit = await db.query("SELECT 1 FROM audit_log WHERE action = 'wallet.link' AND actor = $1", [
      `user:${k.users.carol}`,
    ]);
    expect(audit.rowCount).toBe(1);
  });

  it('issues link nonces only to a secret key for its own users, or to the user', async () => {
    const ask = (token: string | undefined, body: Record<string, unknown>) =>
      k.call('POST', '/api/v1/wallets/nonce', { ...(token ? { token } : {}), body });
    expect((await ask(undefined, { userId: k.users.alice })).status).toBe(401);
    expect((await ask(k.keys.aPublic, { userId: k.users.alice })).status).toBe(403);
    expect((await ask(k.ownerToken, { userId: k.users.alice })).status).toBe(403);
    // carol is only known on b.example: a.example's key cannot name her.
    const foreign = await ask(k.keys.a, { userId: k.users.carol });
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.field).toBe('body.userId');
    expect((await ask(k.keys.a, { externalId: 'carol' })).status).toBe(404);
    expect((await ask(k.keys.a, {})).status).toBe(400);
    expect((await ask('pos_usr_unknownunknownunknownunknownunknownunknown1', {})).status).toBe(401);
  });
});
