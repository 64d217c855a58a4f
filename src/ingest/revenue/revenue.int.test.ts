import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIntegration } from '../../test-support/integration.ts';
import { type MoneyTestServer, startMoneyTestServer } from './money-test-server.ts';

const SHOP = 'puffs-store.com';
const DATING = 'affinitylove.eu';

describeIntegration('revenue API', () => {
  let s: MoneyTestServer;
  let shopSecret: string;
  let shopPublic: string;
  let datingSecret: string;
  let analyst: string;
  let datingAdmin: string;

  beforeAll(async () => {
    // All three money plugins, as build-server.ts registers them: their body parsers must not collide.
    s = await startMoneyTestServer();
    shopSecret = await s.createKey(SHOP, 'secret');
    shopPublic = await s.createKey(SHOP, 'public');
    datingSecret = await s.createKey(DATING, 'secret');
    analyst = await s.createOperator('analyst@example.com', 'analyst');
    datingAdmin = await s.createOperator('dating-admin@example.com', 'admin', [DATING]);
  });
  afterAll(async () => {
    await s?.close();
  });

  const post = (body: unknown, token = shopSecret) => s.request('POST', '/api/v1/revenue', { token, body });
  const stored = async (externalId: string) =>
    (
      await s.db.query<Record<string, unknown>>(
        `SELECT r.*, d.host FROM revenue r JOIN domains d ON d.id = r.domain_id WHERE external_id = $1`,
        [externalId],
      )
    ).rows;

  describe('recording', () => {
    it('records an order with a secret key, on its own domain, normalised to EUR', async () => {
      const res = await post({ kind: 'order', amount: '10.00', currency: 'usd', externalId: 'ord-1' });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({
        result: 'created',
        duplicate: false,
        revenue: {
          domain: SHOP,
          kind: 'order',
          amount: '10.00',
          currency: 'USD',
          amountEur: '8.60',
          eurPerUnit: '0.8600000000',
          source: 'api',
          externalId: 'ord-1',
          status: 'completed',
        },
      });
      const [row] = await stored('ord-1');
      expect(row).toMatchObject({ host: SHOP, amount: '10.00', amount_eur: '8.60', currency: 'USD' });
    });

    it('answers the same payload again with 200 duplicate and changes nothing', async () => {
      const body = {
        kind: 'order',
        amount: 25.5,
        currency: 'EUR',
        externalId: 'ord-2',
        occurredAt: '2026-01-05T10:00:00Z',
      };
      const first = await post(body);
      expect(first.status).toBe(201);
      const before = await stored('ord-2');
      const again = await post(body);
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ result: 'duplicate', duplicate: true });
      expect(again.json.revenue.id).toBe(first.json.revenue.id);
      expect(await stored('ord-2')).toEqual(before);
    });

    it('treats the same externalId from another source, or on another domain, as another fact', async () => {
      const body = { kind: 'order', amount: '1', currency: 'EUR', externalId: 'shared-id' };
      expect((await post(body)).status).toBe(201);
      expect((await post({ ...body, source: 'Shopify' })).status).toBe(201);
      expect((await post(body, datingSecret)).status).toBe(201);
      const rows = await stored('shared-id');
      expect(rows.map((r) => `${r.host}/${r.source}`).sort()).toEqual([
        `${DATING}/api`,
        `${SHOP}/api`,
        `${SHOP}/shopify`,
      ]);
    });

    it('moves a commission forward (pending → approved → paid) and refuses to go back', async () => {
      const body = {
        kind: 'affiliate',
        amount: '12.40',
        currency: 'GBP',
        externalId: 'awin-77',
        source: 'awin',
      };
      const created = await post(body);
      expect(created.json.revenue).toMatchObject({ status: 'pending', amountEur: '14.14' });
      const approved = await post({ ...body, status: 'approved' });
      expect(approved.status).toBe(200);
      expect(approved.json).toMatchObject({ result: 'updated', duplicate: false, previousStatus: 'pending' });
      expect(approved.json.revenue.status).toBe('approved');
      const paid = await post({ ...body, status: 'paid' });
      expect(paid.json).toMatchObject({ result: 'updated', previousStatus: 'approved' });
      const back = await post({ ...body, status: 'approved' });
      expect(back.status).toBe(409);
      expect(back.json.error).toMatchObject({ code: 'conflict', field: 'status' });
      expect(back.json.error.message).toMatch(/is paid; it cannot become approved \(allowed: reversed\)/);
      const [row] = await stored('awin-77');
      expect(row?.status).toBe('paid');
      // Sending it again without a status keeps the status it reached.
      expect((await post(body)).json).toMatchObject({ result: 'duplicate', revenue: { status: 'paid' } });
    });

    it('keeps reversed final', async () => {
      const body = { kind: 'affiliate', amount: '3', currency: 'EUR', externalId: 'cj-5', source: 'cj' };
      await post({ ...body, status: 'approved' });
      expect((await post({ ...body, status: 'reversed' })).json.result).toBe('updated');
      const res = await post({ ...body, status: 'paid' });
      expect(res.status).toBe(409);
      expect(res.json.error.message).toMatch(/reversed is final/);
    });

    it('refuses a different amount, currency or kind for a recorded externalId', async () => {
      const body = { kind: 'order', amount: '9.99', currency: 'EUR', externalId: 'ord-immutable' };
      await post(body);
      for (const [change, field] of [
        [{ amount: '10.99' }, 'amount'],
        [{ currency: 'USD' }, 'currency'],
        [{ kind: 'other' }, 'kind'],
      ] as const) {
        const res = await post({ ...body, ...change });
        expect(res.status).toBe(409);
        expect(res.json.error.field).toBe(field);
        expect(res.json.error.message).toMatch(/recorded as order 9.99 EUR; only its status can change/);
      }
      expect((await stored('ord-immutable'))[0]?.amount).toBe('9.99');
    });

    it('stores a refund negative whatever its sign, and refuses a negative order', async () => {
      const positive = await post({ kind: 'refund', amount: '4.50', currency: 'EUR', externalId: 'rf-1' });
      expect(positive.json.revenue).toMatchObject({ amount: '-4.50', amountEur: '-4.50' });
      const negative = await post({ kind: 'refund', amount: -2, currency: 'CHF', externalId: 'rf-2' });
      expect(negative.json.revenue).toMatchObject({ amount: '-2.00', amountEur: '-2.14' });
      const order = await post({ kind: 'order', amount: '-3', currency: 'EUR', externalId: 'neg-order' });
      expect(order.status).toBe(400);
      expect(order.json.error).toMatchObject({ code: 'invalid_request', field: 'amount' });
      expect(await stored('neg-order')).toEqual([]);
    });

    it('records NFT and token sales with their chain and a lower-cased transaction hash', async () => {
      const hash = `0x${'AB'.repeat(32)}`;
      const res = await post({
        kind: 'nft',
        amount: '250',
        currency: 'EUR',
        externalId: hash,
        chain: 'Polygon',
        transactionHash: hash,
        metadata: { tokenId: 42, collection: 'rhymes', royalty: true, note: null },
      });
      expect(res.status).toBe(201);
      expect(res.json.revenue).toMatchObject({
        chain: 'polygon',
        transactionHash: hash.toLowerCase(),
        metadata: { tokenId: 42, collection: 'rhymes', royalty: true, note: null },
      });
    });

    it('converts JPY (no minor unit) with its rate', async () => {
      const res = await post({ kind: 'token', amount: 1000, currency: 'JPY', externalId: 'jpy-1' });
      expect(res.json.revenue).toMatchObject({ amount: '1000.00', amountEur: '5.60' });
    });
  });

  describe('validation', () => {
    it('names an unknown currency', async () => {
      const res = await post({ kind: 'order', amount: '1', currency: 'XYZ', externalId: 'cur-1' });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'invalid_request', field: 'currency' });
      expect(res.json.error.message).toMatch(/unknown currency XYZ/);
    });

    it.each([
      [{ amount: '1.005' }, 'body.amount'],
      [{ amount: 10_000_000_001 }, 'body.amount'],
      [{ currency: 'EURO' }, 'body.currency'],
      [{ kind: 'donation' }, 'body.kind'],
      [{ externalId: 'x'.repeat(201) }, 'body.externalId'],
      [{ externalId: '' }, 'body.externalId'],
      [{ occurredAt: 'yesterday' }, 'body.occurredAt'],
      [{ status: 'settled' }, 'body.status'],
      [{ transactionHash: '0x1234' }, 'body.transactionHash'],
      [{ source: 'x'.repeat(51) }, 'body.source'],
      [{ metadata: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])) }, 'body.metadata'],
      [{ metadata: { nested: { a: 1 } } }, 'body.metadata.nested'],
      [{ email: 'a@example.com', userId: '00000000-0000-4000-8000-000000000000' }, 'body.email'],
      [{ surprise: true }, 'body'],
    ])('rejects %j (field %s)', async (change, field) => {
      const res = await post({ kind: 'order', amount: '1', currency: 'EUR', externalId: 'val-1', ...change });
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('invalid_request');
      expect(res.json.error.field).toBe(field);
    });

    it('refuses occurredAt more than 5 minutes ahead, and accepts 4 minutes ahead', async () => {
      const body = { kind: 'order', amount: '1', currency: 'EUR' };
      const late = new Date(Date.now() + 10 * 60_000).toISOString();
      const res = await post({ ...body, externalId: 'future-1', occurredAt: late });
      expect(res.status).toBe(400);
      expect(res.json.error.field).toBe('occurredAt');
      const soon = new Date(Date.now() + 4 * 60_000).toISOString();
      expect((await post({ ...body, externalId: 'future-2', occurredAt: soon })).status).toBe(201);
    });

    it('checks revenue streams against the portfolio file', async () => {
      const body = { kind: 'order', amount: '1', currency: 'EUR' };
      const unknown = await post({ ...body, externalId: 'st-1', stream: 'no-such-stream' });
      expect(unknown.status).toBe(400);
      expect(unknown.json.error).toMatchObject({ field: 'stream' });
      const foreign = await post({ ...body, externalId: 'st-2', stream: 'mushroom-ecommerce' });
      expect(foreign.status).toBe(400);
      expect(foreign.json.error.message).toMatch(/belongs to adaptogenic-mushrooms.com/);
      const own = await post(
        { ...body, domain: 'adaptogenic-mushrooms.com', externalId: 'st-3', stream: 'mushroom-ecommerce' },
        s.ownerToken,
      );
      expect(own.status).toBe(201);
      expect(own.json.revenue.stream).toBe('mushroom-ecommerce');
    });
  });

  describe('access', () => {
    const body = { kind: 'order', amount: '1', currency: 'EUR', externalId: 'acc-1' };

    it('refuses a public key, an analyst and no credential', async () => {
      const pub = await post(body, shopPublic);
      expect(pub.status).toBe(403);
      expect(pub.json.error.message).toMatch(/public key/);
      expect((await post({ ...body, domain: SHOP }, analyst)).status).toBe(403);
      expect((await s.request('POST', '/api/v1/revenue', { body })).status).toBe(401);
      expect(await stored('acc-1')).toEqual([]);
    });

    it('refuses a secret key writing for another domain, naming the field', async () => {
      const res = await post({ ...body, domain: DATING });
      expect(res.status).toBe(403);
      expect(res.json.error).toMatchObject({ code: 'forbidden', field: 'domain' });
    });

    it('needs the domain from an operator, within their scope', async () => {
      const missing = await post(body, s.ownerToken);
      expect(missing.status).toBe(400);
      expect(missing.json.error.field).toBe('domain');
      const outside = await post({ ...body, domain: SHOP }, datingAdmin);
      expect(outside.status).toBe(404);
      expect(outside.json.error.field).toBe('domain');
      const inside = await post({ ...body, domain: DATING }, datingAdmin);
      expect(inside.status).toBe(201);
      expect(inside.json.revenue.domain).toBe(DATING);
    });
  });

  describe('buyers', () => {
    it('finds or creates the buyer by e-mail, one user across domains, with their net spend', async () => {
      const a = await post({
        kind: 'order',
        amount: '20',
        currency: 'EUR',
        externalId: 'buy-1',
        email: 'Rider@Example.com',
      });
      const b = await post(
        { kind: 'order', amount: '10', currency: 'USD', externalId: 'buy-2', email: 'rider@example.com' },
        datingSecret,
      );
      const refund = await post({
        kind: 'refund',
        amount: '5',
        currency: 'EUR',
        externalId: 'buy-1-rf',
        email: 'rider@example.com',
      });
      const userId = a.json.revenue.userId;
      expect(userId).toMatch(/^[0-9a-f-]{36}$/);
      expect(b.json.revenue.userId).toBe(userId);
      expect(refund.json.revenue.userId).toBe(userId);
      const links = await s.db.query<{ host: string; total_spent_eur: string }>(
        `SELECT d.host, ud.total_spent_eur FROM user_domains ud JOIN domains d ON d.id = ud.domain_id
          WHERE ud.user_id = $1 ORDER BY d.host`,
        [userId],
      );
      expect(links.rows).toEqual([
        { host: DATING, total_spent_eur: '8.60' },
        { host: SHOP, total_spent_eur: '15.00' },
      ]);
    });

    it('accepts a userId known on the domain and refuses one it cannot see', async () => {
      const known = await post({
        kind: 'order',
        amount: '1',
        currency: 'EUR',
        externalId: 'uid-0',
        email: 'known@example.com',
      });
      const userId = known.json.revenue.userId;
      const ok = await post({ kind: 'order', amount: '2', currency: 'EUR', externalId: 'uid-1', userId });
      expect(ok.status).toBe(201);
      expect(ok.json.revenue.userId).toBe(userId);
      // The user is linked to the shop only: the dating domain's key cannot name them.
      const hidden = await post(
        { kind: 'order', amount: '2', currency: 'EUR', externalId: 'uid-2', userId },
        datingSecret,
      );
      expect(hidden.status).toBe(400);
      expect(hidden.json.error.field).toBe('userId');
    });
  });

  describe('batch', () => {
    const item = (externalId: string, extra: Record<string, unknown> = {}) => ({
      kind: 'affiliate',
      amount: '2.00',
      currency: 'EUR',
      externalId,
      source: 'impact',
      ...extra,
    });
    const batch = (items: unknown[], token = shopSecret) =>
      s.request('POST', '/api/v1/revenue/batch', { token, body: { items } });

    it('records many at once, in order, and reports each', async () => {
      const res = await batch([item('b-1'), item('b-2'), item('b-1', { status: 'approved' })]);
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ created: 2, updated: 1, duplicates: 0 });
      expect(res.json.items.map((i: { result: string }) => i.result)).toEqual([
        'created',
        'created',
        'updated',
      ]);
      expect(res.json.items[2]).toMatchObject({ previousStatus: 'pending', status: 'approved' });
      expect((await stored('b-1'))[0]?.status).toBe('approved');
      const again = await batch([item('b-1', { status: 'approved' }), item('b-2')]);
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ created: 0, updated: 0, duplicates: 2 });
    });

    it('stores nothing when one item is rejected, and names that item', async () => {
      const res = await batch([
        item('b-10'),
        item('b-11', { currency: 'XYZ' }),
        item('b-12', { currency: 'ABC' }),
      ]);
      expect(res.status).toBe(400);
      expect(res.json.error.field).toBe('items.1.currency');
      expect(res.json.error.details.rejected).toHaveLength(2);
      expect(await stored('b-10')).toEqual([]);
    });

    it('bounds the batch at 500 items', async () => {
      const res = await batch(Array.from({ length: 501 }, (_, i) => item(`big-${i}`)));
      expect(res.status).toBe(400);
      expect(res.json.error.field).toBe('body.items');
      const empty = await batch([]);
      expect(empty.status).toBe(400);
    });
  });

  it('documents the money endpoints in the OpenAPI document', async () => {
    const doc = (await s.request('GET', '/api/openapi.json')).json;
    const body = doc.paths['/api/v1/revenue'].post.requestBody.content['application/json'].schema;
    expect(body.properties.kind.enum).toContain('affiliate');
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/revenue/batch',
        '/api/v1/webhooks/stripe/{domain}',
        '/api/v1/webhooks/stripe/{domain}/secret',
        '/api/v1/import/{kind}',
      ]),
    );
    expect(doc.paths['/api/v1/webhooks/stripe/{domain}'].post.security).toEqual([]);
  });
});
