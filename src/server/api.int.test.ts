import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIntegration } from '../test-support/integration.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';

const SEED_HOSTS = [
  'adaptogenic-mushrooms.com',
  'affinitylove.eu',
  'aiftw.be',
  'fixie.run',
  'puffs-store.com',
  'rhymechain.win',
  'seobiz.be',
];

describeIntegration('HTTP API', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  describe('health and documents', () => {
    it('answers /healthz and /readyz without credentials', async () => {
      expect((await s.request('GET', '/healthz')).json).toEqual({ status: 'ok' });
      const ready = await s.request('GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.json.status).toBe('ready');
      expect(ready.json.migrations).toMatchObject({ current: true, pending: 0 });
    });

    it('serves an OpenAPI document generated from the zod schemas', async () => {
      const doc = (await s.request('GET', '/api/openapi.json')).json;
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/api/v1/domains', '/api/v1/keys', '/api/v1/portfolio', '/api/v1/operators']),
      );
      const keyBody = doc.paths['/api/v1/keys'].post.requestBody.content['application/json'].schema;
      expect(keyBody.properties.kind.enum).toEqual(['public', 'secret']);
      expect(keyBody.additionalProperties).toBe(false);
    });
  });

  describe('authentication', () => {
    it('requires credentials everywhere else, with the common error shape', async () => {
      for (const path of ['/api/v1/domains', '/api/v1/portfolio', '/api/v1/keys', '/api/v1/audit']) {
        const res = await s.request('GET', path);
        expect(res.status).toBe(401);
        expect(res.json.error.code).toBe('unauthenticated');
        expect(typeof res.json.error.message).toBe('string');
      }
    });

    it('rejects an unknown token and a malformed header, naming the header', async () => {
      const bad = await s.request('GET', '/api/v1/domains', { token: 'pos_op_notarealtokennotarealtoken' });
      expect(bad.status).toBe(401);
      expect(bad.json.error.field).toBe('headers.authorization');
      const res = await fetch(`${s.url}/api/v1/domains`, { headers: { authorization: 'Basic abc' } });
      expect(res.status).toBe(401);
    });

    it('exchanges a login token for a session cookie that authenticates the dashboard', async () => {
      const login = await s.request('POST', '/api/v1/auth/login', { body: { token: s.ownerToken } });
      expect(login.status).toBe(200);
      const setCookie = login.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/pos_session=pos_sess_/);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Strict/i);
      const cookie = setCookie.split(';')[0] as string;
      const me = await s.request('GET', '/api/v1/auth/me', { cookie });
      expect(me.json).toMatchObject({ kind: 'operator', role: 'owner', scope: 'all' });
      await s.request('POST', '/api/v1/auth/logout', { cookie });
      expect((await s.request('GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
      const wrong = await s.request('POST', '/api/v1/auth/login', { body: { token: 'nope' } });
      expect(wrong.status).toBe(401);
      expect(wrong.json.error.field).toBe('token');
    });
  });

  describe('portfolio reads, by scope', () => {
    it('gives the owner every domain of the portfolio', async () => {
      const res = await s.request('GET', '/api/v1/domains', { token: s.ownerToken });
      expect(res.status).toBe(200);
      expect(res.json.domains.map((d: { host: string }) => d.host)).toEqual(SEED_HOSTS);
      const kinds = Object.fromEntries(
        res.json.domains.map((d: { host: string; kind: string }) => [d.host, d.kind]),
      );
      expect(kinds['fixie.run']).toBe('web3-app');
      expect(kinds['rhymechain.win']).toBe('nft-marketplace');
      const kpis = await s.request('GET', '/api/v1/kpis', { token: s.ownerToken });
      expect(kpis.status).toBe(200);
    });

    it("limits a domain's secret key to that domain", async () => {
      const created = await s.request('POST', '/api/v1/keys', {
        token: s.ownerToken,
        body: { domain: 'fixie.run', kind: 'secret', name: 'fixie backend' },
      });
      expect(created.status).toBe(201);
      const secret = created.json.secret as string;
      expect(secret).toMatch(/^pos_sk_/);
      const domains = await s.request('GET', '/api/v1/domains', { token: secret });
      expect(domains.json.domains.map((d: { host: string }) => d.host)).toEqual(['fixie.run']);
      expect((await s.request('GET', '/api/v1/domains/seobiz.be', { token: secret })).status).toBe(404);
      expect((await s.request('GET', '/api/v1/domains/fixie.run', { token: secret })).status).toBe(200);
      const portfolio = await s.request('GET', '/api/v1/portfolio', { token: secret });
      expect(portfolio.json.portfolio.domains.map((d: { host: string }) => d.host)).toEqual(['fixie.run']);
      expect(portfolio.json.portfolio.risks).toBeUndefined();
      const kpis = await s.request('GET', '/api/v1/kpis', { token: secret });
      expect(kpis.status).toBe(403);
      expect(kpis.json.error.code).toBe('forbidden');
      const keys = await s.request('GET', '/api/v1/keys', { token: secret });
      expect(keys.status).toBe(403);
    });

    it('lets a public ingest key read nothing', async () => {
      const created = await s.request('POST', '/api/v1/keys', {
        token: s.ownerToken,
        body: { domain: 'seobiz.be', kind: 'public' },
      });
      const res = await s.request('GET', '/api/v1/domains', { token: created.json.secret });
      expect(res.status).toBe(403);
    });

    it('limits a domain-limited analyst, who cannot manage keys', async () => {
      const added = await s.request('POST', '/api/v1/operators', {
        token: s.ownerToken,
        body: { email: 'Analyst@Example.com', role: 'analyst', domains: ['seobiz.be', 'aiftw.be'] },
      });
      expect(added.status).toBe(201);
      expect(added.json.operator.email).toBe('analyst@example.com');
      const token = added.json.token as string;
      const domains = await s.request('GET', '/api/v1/domains', { token });
      expect(domains.json.domains.map((d: { host: string }) => d.host)).toEqual(['aiftw.be', 'seobiz.be']);
      const key = await s.request('POST', '/api/v1/keys', {
        token,
        body: { domain: 'seobiz.be', kind: 'secret' },
      });
      expect(key.status).toBe(403);
    });
  });

  describe('validation and errors', () => {
    it('answers bad input with 400, a message and the offending field', async () => {
      const res = await s.request('POST', '/api/v1/keys', {
        token: s.ownerToken,
        body: { domain: 'fixie.run', kind: 'root' },
      });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'invalid_request', field: 'body.kind' });
      const extra = await s.request('POST', '/api/v1/keys', {
        token: s.ownerToken,
        body: { domain: 'fixie.run', kind: 'public', admin: true },
      });
      expect(extra.status).toBe(400);
      const unknown = await s.request('POST', '/api/v1/keys', {
        token: s.ownerToken,
        body: { domain: 'nowhere.example', kind: 'public' },
      });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error.field).toBe('domain');
      const malformed = await fetch(`${s.url}/api/v1/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.ownerToken}`, 'content-type': 'application/json' },
        body: '{"domain":',
      });
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    });

    it('answers unknown routes with 404 in the same shape', async () => {
      const res = await s.request('GET', '/api/v1/nothing-here');
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('not_found');
    });
  });

  describe('audit', () => {
    it('records key and operator changes, and nothing for a change that failed', async () => {
      const before = (await s.request('GET', '/api/v1/audit', { token: s.ownerToken })).json.entries.length;
      const created = await s.request('POST', '/api/v1/keys', {
        token: s.ownerToken,
        body: { domain: 'aiftw.be', kind: 'secret' },
      });
      await s.request('DELETE', `/api/v1/keys/${created.json.key.id}`, { token: s.ownerToken });
      await s.request('POST', '/api/v1/keys', {
        token: s.ownerToken,
        body: { domain: 'nowhere.example', kind: 'secret' },
      });
      const entries = (await s.request('GET', '/api/v1/audit', { token: s.ownerToken })).json.entries;
      expect(entries.length).toBe(before + 2);
      expect(entries[0]).toMatchObject({
        action: 'api_key.revoke',
        domain: 'aiftw.be',
        actor: 'operator:owner@example.com',
      });
      expect(entries[1]).toMatchObject({ action: 'api_key.create', targetId: created.json.key.id });
      const revoked = await s.request('GET', '/api/v1/domains', { token: created.json.secret });
      expect(revoked.status).toBe(401);
    });
  });

  describe('portfolio reload', () => {
    it('keeps the old portfolio when the new file is invalid, and applies a valid one atomically', async () => {
      const original = await readFile(s.portfolioFile, 'utf8');
      await writeFile(s.portfolioFile, original.replace(/^name:/m, 'surprise: 1\nname:'));
      const bad = await s.request('POST', '/api/v1/portfolio/reload', { token: s.ownerToken });
      expect(bad.status).toBe(422);
      expect(bad.json.error.code).toBe('invalid_portfolio');
      expect(bad.json.error.details.problems.join('\n')).toMatch(/portfolio\.yaml:\d+:\d+ surprise:/);
      const status = await s.request('GET', '/api/v1/portfolio/status', { token: s.ownerToken });
      expect(status.json.lastError.message).toMatch(/previous portfolio stays active/);
      const domains = await s.request('GET', '/api/v1/domains', { token: s.ownerToken });
      expect(domains.json.domains).toHaveLength(SEED_HOSTS.length);

      await writeFile(s.portfolioFile, original);
      const same = await s.request('POST', '/api/v1/portfolio/reload', { token: s.ownerToken });
      expect(same.json.changed).toBe(false);
    });
  });
});
