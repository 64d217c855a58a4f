import { afterAll, beforeAll, expect, it } from 'vitest';
import { ALL_DOMAINS } from '../../db/types.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { type MoneyTestServer, startMoneyTestServer } from '../revenue/money-test-server.ts';
import { sign, stripeEvent } from './stripe-fixtures.ts';

const DOMAIN = 'seobiz.be';
const SECRET = 'whsec_secret_endpoint_test_0123456789';

describeIntegration('Stripe endpoint secret', () => {
  let s: MoneyTestServer;
  beforeAll(async () => {
    s = await startMoneyTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  const setSecret = (secret: string, token = s.ownerToken, domain = DOMAIN) =>
    s.request('POST', `/api/v1/webhooks/stripe/${domain}/secret`, { token, body: { secret } });
  const audit = async () =>
    (
      await s.db.query<{
        action: string;
        actor: string;
        target_id: string;
        details: Record<string, unknown>;
      }>(
        "SELECT action, actor, target_id, details FROM audit_log WHERE target_type = 'stripe_endpoint' ORDER BY id",
      )
    ).rows;

  it('sets, then rotates, the secret, each time with an audit row that never holds the secret', async () => {
    const first = await setSecret(SECRET);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      domain: DOMAIN,
      rotated: false,
      webhookPath: `/api/v1/webhooks/stripe/${DOMAIN}`,
    });
    const second = await setSecret(`${SECRET}_v2`);
    expect(second.status).toBe(200);
    expect(second.json.rotated).toBe(true);
    const rows = await audit();
    expect(rows.map((r) => r.action)).toEqual([
      'stripe_endpoint.set_secret',
      'stripe_endpoint.rotate_secret',
    ]);
    expect(rows[0]).toMatchObject({
      actor: 'operator:owner@example.com',
      target_id: DOMAIN,
      details: { domain: DOMAIN },
    });
    expect(JSON.stringify(rows)).not.toContain('whsec_');
    const stored = await s.db.query<{ secret: string }>('SELECT secret FROM stripe_endpoints');
    expect(stored.rows).toEqual([{ secret: `${SECRET}_v2` }]);
  });

  it('lets the new secret verify deliveries at once, and no longer the old one', async () => {
    const body = JSON.stringify(stripeEvent('ping', {}));
    const withNew = await s.request('POST', `/api/v1/webhooks/stripe/${DOMAIN}`, {
      raw: body,
      headers: { 'stripe-signature': sign(body, `${SECRET}_v2`) },
    });
    expect(withNew.status).toBe(200);
    const withOld = await s.request('POST', `/api/v1/webhooks/stripe/${DOMAIN}`, {
      raw: body,
      headers: { 'stripe-signature': sign(body, SECRET) },
    });
    expect(withOld.status).toBe(400);
  });

  it('never lets the application role read a secret back, even unscoped', async () => {
    await expect(
      s.db.transaction((tx) => tx.query('SELECT secret FROM stripe_endpoints'), { scope: ALL_DOMAINS }),
    ).rejects.toThrow(/permission denied/);
    const meta = await s.db.transaction(
      (tx) => tx.query('SELECT domain_id, updated_at FROM stripe_endpoints'),
      {
        scope: ALL_DOMAINS,
      },
    );
    expect(meta.rowCount).toBe(1);
  });

  it('is for owners and admins of the domain only', async () => {
    const analyst = await s.createOperator('analyst@example.com', 'analyst');
    const secretKey = await s.createKey(DOMAIN, 'secret');
    const otherAdmin = await s.createOperator('shop-admin@example.com', 'admin', ['puffs-store.com']);
    expect((await setSecret(SECRET, analyst)).status).toBe(403);
    expect((await setSecret(SECRET, secretKey)).status).toBe(403);
    const outside = await setSecret(SECRET, otherAdmin);
    expect(outside.status).toBe(404);
    expect(outside.json.error.field).toBe('domain');
    const scopedAdmin = await s.createOperator('seo-admin@example.com', 'admin', [DOMAIN]);
    expect((await setSecret(`${SECRET}_v3`, scopedAdmin)).status).toBe(200);
    expect(
      (await s.request('POST', `/api/v1/webhooks/stripe/${DOMAIN}/secret`, { body: { secret: SECRET } }))
        .status,
    ).toBe(401);
  });

  it('refuses something that is not a signing secret, such as an API key', async () => {
    const res = await setSecret('sk_live_0123456789abcdef0123456789');
    expect(res.status).toBe(400);
    expect(res.json.error.field).toBe('body.secret');
    expect(res.json.error.message).toMatch(/whsec_/);
    expect((await setSecret(SECRET, s.ownerToken, 'no-such-domain.com')).status).toBe(404);
  });

  it('removes the secret: deliveries are refused from then on, and the removal is audited', async () => {
    const removed = await s.request('DELETE', `/api/v1/webhooks/stripe/${DOMAIN}/secret`, {
      token: s.ownerToken,
    });
    expect(removed.status).toBe(200);
    expect(removed.json).toEqual({ domain: DOMAIN, removed: true });
    const body = JSON.stringify(stripeEvent('ping', {}));
    const refused = await s.request('POST', `/api/v1/webhooks/stripe/${DOMAIN}`, {
      raw: body,
      headers: { 'stripe-signature': sign(body, `${SECRET}_v3`) },
    });
    expect(refused.status).toBe(404);
    expect((await audit()).at(-1)?.action).toBe('stripe_endpoint.remove');
    const again = await s.request('DELETE', `/api/v1/webhooks/stripe/${DOMAIN}/secret`, {
      token: s.ownerToken,
    });
    expect(again.status).toBe(404);
  });
});
