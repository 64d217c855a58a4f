import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIntegration } from '../../test-support/integration.ts';
import { startTestServer, type TestServer } from '../../test-support/test-server.ts';
import { runOutboxOnce } from '../notify/outbox-worker.ts';
import { type HttpPeer, startHttpPeer } from '../notify/test-peers.ts';

// The rules API end to end over HTTP: a rule created through the API is listed with source api,
// evaluated with the file's rules, notifies a real local webhook peer, is replaced and deleted
// (its alert resolves). fixie.run and rhymechain.win never send events; aiftw.be sent one a
// minute before T0, so the file's rule (absence for 10 hours) never fires here.

const T0 = new Date('2031-04-07T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function portfolioWith(peerUrl: string) {
  return (yaml: string) => {
    const start = yaml.indexOf('\nreceivers:\n');
    const end = yaml.indexOf('\n# Uptime checks');
    const alerting = yaml.indexOf('\nalerting:\n');
    const receivers = `
receivers:
  - { name: hook, kind: webhook, url: '${peerUrl}/hook', secret: { env: HOOK_SECRET }, allowPrivateTargets: true }
`;
    const rules = `
alerting:
  rules:
    - name: file_rule
      expr: { kind: absence, metric: events, forMinutes: 600 }
      severity: low
      domains: [aiftw.be]
  routes:
    - id: all
      receivers: [hook]
      groupBy: [alertname, domain]
      groupWait: 0s
      groupInterval: 1m
      repeatInterval: 1d
`;
    return yaml.slice(0, start) + receivers + yaml.slice(end, alerting) + rules;
  };
}

const apiRule = {
  name: 'api_silent',
  expr: { kind: 'absence', metric: 'events', forMinutes: 30 },
  for: '5m',
  severity: 'high',
  labels: { team: 'web' },
  annotations: { summary: 'no events from {{ $labels.domain }}' },
  domains: ['fixie.run'],
};

describeIntegration('alert rules API', () => {
  let peer: HttpPeer;
  let server: TestServer;
  let clock = T0;
  let analystToken = '';
  let limitedToken = '';

  const owner = (method: string, path: string, body?: unknown) =>
    server.request(method, path, { token: server.ownerToken, ...(body === undefined ? {} : { body }) });
  const deliver = (now: Date) =>
    runOutboxOnce(server.db, { now, receivers: server.alerts.receivers.resolved, random: () => 0 });
  const hookBodies = () =>
    peer.requests.filter((r) => r.path === '/hook').map((r) => JSON.parse(r.body.toString()));
  const evaluate = async (now: Date) => {
    clock = now;
    return server.alerts.evaluate(now);
  };

  beforeAll(async () => {
    peer = await startHttpPeer();
    server = await startTestServer({
      editPortfolio: portfolioWith(peer.url),
      alerts: { clock: () => clock, env: { HOOK_SECRET: 'hook-secret-for-tests' } },
    });
    await server.db.query(
      `INSERT INTO events (domain_id, occurred_at, name)
       SELECT id, $1, 'pageview' FROM domains WHERE host = 'aiftw.be'`,
      [new Date(T0.getTime() - 60_000)],
    );
    const analyst = await owner('POST', '/api/v1/operators', {
      email: 'analyst@example.com',
      role: 'analyst',
    });
    expect(analyst.status).toBe(201);
    analystToken = analyst.json.token;
    const limited = await owner('POST', '/api/v1/operators', {
      email: 'fixie-ops@example.com',
      role: 'admin',
      domains: ['fixie.run'],
    });
    expect(limited.status).toBe(201);
    limitedToken = limited.json.token;
  });

  afterAll(async () => {
    await server?.close();
    await peer?.close();
  });

  it('refuses a bad rule with the field, a taken name with 409, an unknown domain with 400', async () => {
    const bad = await owner('POST', '/api/v1/alerts/rules', { ...apiRule, expr: 'response_time_p95 >> 1' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('body.expr');

    const file = await owner('POST', '/api/v1/alerts/rules', { ...apiRule, name: 'file_rule' });
    expect(file.status).toBe(409);
    expect(file.json.error.field).toBe('name');
    expect(file.json.error.message).toContain('edit the portfolio file');
    const kpi = await owner('POST', '/api/v1/alerts/rules', {
      ...apiRule,
      name: 'kpi_mrr_decrease_week_over_week',
    });
    expect(kpi.status).toBe(409);
    expect(kpi.json.error.field).toBe('name');

    const unknown = await owner('POST', '/api/v1/alerts/rules', {
      ...apiRule,
      domains: ['fixie.run', 'nowhere.example'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.field).toBe('domains.1');

    const list = await owner('GET', '/api/v1/alerts/rules');
    expect(list.json.rules.filter((r: { source: string }) => r.source === 'api')).toEqual([]);
  });

  it('lets analysts read and dry-run but not write (403)', async () => {
    const as = (method: string, path: string, body?: unknown) =>
      server.request(method, path, { token: analystToken, ...(body === undefined ? {} : { body }) });
    expect((await as('POST', '/api/v1/alerts/rules', apiRule)).status).toBe(403);
    expect((await as('PUT', '/api/v1/alerts/rules/api_silent', apiRule)).status).toBe(403);
    expect((await as('DELETE', '/api/v1/alerts/rules/api_silent')).status).toBe(403);
    const list = await as('GET', '/api/v1/alerts/rules');
    expect(list.status).toBe(200);
    const sources = Object.fromEntries(
      list.json.rules.map((r: { name: string; source: string }) => [r.name, r.source]),
    );
    expect(sources.file_rule).toBe('portfolio');
    expect(sources.kpi_mrr_decrease_week_over_week).toBe('kpi');

    const dry = await as('POST', '/api/v1/alerts/rules/validate', {
      ...apiRule,
      expr: { kind: 'absence', metric: 'events', forMinutes: -5 },
    });
    expect(dry.status).toBe(200);
    expect(dry.json.valid).toBe(false);
    expect(dry.json.problems.map((p: { field: string }) => p.field)).toEqual(['body.expr.forMinutes']);
    const clash = await as('POST', '/api/v1/alerts/rules/validate', { ...apiRule, name: 'file_rule' });
    expect(clash.json).toMatchObject({ valid: false, problems: [{ field: 'body.name' }] });
    const good = await as('POST', '/api/v1/alerts/rules/validate', { ...apiRule, expr: 'error_rate > 1%' });
    expect(good.json.valid).toBe(true);
    expect(good.json.rule.expr).toEqual({
      kind: 'threshold',
      metric: 'error_rate',
      op: '>',
      value: 1,
      unit: '%',
    });
  });

  it('creates a rule that is listed with source api and fires through the webhook', async () => {
    const created = await owner('POST', '/api/v1/alerts/rules', apiRule);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'api_silent', source: 'api', active: true });
    expect(created.json.createdBy).toBe('operator:owner@example.com');
    expect(created.json.rule.suppressDuring).toEqual([]); // defaults filled in

    const again = await owner('POST', '/api/v1/alerts/rules', apiRule);
    expect(again.status).toBe(409);
    expect(again.json.error.field).toBe('name');

    const list = await owner('GET', '/api/v1/alerts/rules');
    const mine = list.json.rules.find((r: { name: string }) => r.name === 'api_silent');
    expect(mine).toMatchObject({ source: 'api', active: true, rule: { severity: 'high', for: '5m' } });

    // The create evaluated at T0: pending for `for` (5 minutes), then firing.
    const alerts = await owner('GET', '/api/v1/alerts');
    expect(alerts.json.alerts.map((a: { rule: string; status: string }) => [a.rule, a.status])).toEqual([
      ['api_silent', 'pending'],
    ]);
    const fired = await evaluate(at(5));
    expect(fired.notifications).toBe(1);
    expect((await deliver(at(5))).delivered).toBe(1);
    const [body] = hookBodies();
    expect(body.status).toBe('firing');
    expect(body.alerts.map((a: { labels: Record<string, string> }) => a.labels)).toEqual([
      expect.objectContaining({
        alertname: 'api_silent',
        domain: 'fixie.run',
        team: 'web',
        severity: 'high',
      }),
    ]);
  });

  it('keeps a limited admin to rules of its own domains', async () => {
    const as = (method: string, path: string, body?: unknown) =>
      server.request(method, path, { token: limitedToken, ...(body === undefined ? {} : { body }) });
    const everywhere = await as('POST', '/api/v1/alerts/rules', {
      ...apiRule,
      name: 'fixie_rule',
      domains: undefined,
    });
    expect(everywhere.status).toBe(403);
    expect(everywhere.json.error.field).toBe('domains');
    const other = await as('POST', '/api/v1/alerts/rules', {
      ...apiRule,
      name: 'fixie_rule',
      domains: ['rhymechain.win'],
    });
    expect(other.status).toBe(403);
    const own = await as('POST', '/api/v1/alerts/rules', { ...apiRule, name: 'fixie_rule', for: '1d' });
    expect(own.status).toBe(201);
    const owners = await owner('POST', '/api/v1/alerts/rules', {
      ...apiRule,
      name: 'rhymechain_rule',
      for: '1d',
      domains: ['rhymechain.win'],
    });
    expect(owners.status).toBe(201);

    const list = await as('GET', '/api/v1/alerts/rules');
    const names = list.json.rules.map((r: { name: string }) => r.name);
    expect(names).toContain('fixie_rule');
    expect(names).toContain('kpi_mrr_decrease_week_over_week'); // no domains: applies to all
    expect(names).not.toContain('rhymechain_rule');
    expect(names).not.toContain('file_rule');
    expect((await as('DELETE', '/api/v1/alerts/rules/rhymechain_rule')).status).toBe(404);
    expect((await as('DELETE', '/api/v1/alerts/rules/fixie_rule')).status).toBe(200);
    expect((await owner('DELETE', '/api/v1/alerts/rules/rhymechain_rule')).status).toBe(200);
  });

  it('replaces an API rule with PUT; the file’s rules answer 409', async () => {
    clock = at(6);
    // Same labels, so the same alert: it keeps firing with the new annotation. (A new severity
    // would be a new label set: a new alert, the old one resolving.)
    const changed = { ...apiRule, annotations: { summary: 'fixie.run is quiet', runbook: 'check the tag' } };
    const put = await owner('PUT', '/api/v1/alerts/rules/api_silent', changed);
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({
      rule: { annotations: changed.annotations },
      createdAt: T0.toISOString(),
    });
    expect(put.json.updatedAt).toBe(at(6).toISOString());
    const list = await owner('GET', '/api/v1/alerts/rules');
    expect(list.json.rules.find((r: { name: string }) => r.name === 'api_silent').rule.annotations).toEqual(
      changed.annotations,
    );
    const alerts = await owner('GET', '/api/v1/alerts');
    expect(
      alerts.json.alerts.map((a: { status: string; annotations: object }) => [a.status, a.annotations]),
    ).toEqual([['firing', changed.annotations]]);

    const renamed = await owner('PUT', '/api/v1/alerts/rules/api_silent', { ...apiRule, name: 'other' });
    expect(renamed.status).toBe(400);
    expect(renamed.json.error.field).toBe('name');
    const file = await owner('PUT', '/api/v1/alerts/rules/file_rule', { ...apiRule, name: 'file_rule' });
    expect(file.status).toBe(409);
    expect(file.json.error.message).toContain('edit the portfolio file');
    const missing = await owner('PUT', '/api/v1/alerts/rules/nothing_here', {
      ...apiRule,
      name: 'nothing_here',
    });
    expect(missing.status).toBe(404);
  });

  it('deletes an API rule: its alert resolves and the webhook hears it; audit rows exist', async () => {
    expect((await owner('DELETE', '/api/v1/alerts/rules/file_rule')).status).toBe(409);
    clock = at(7);
    const before = hookBodies().length;
    const del = await owner('DELETE', '/api/v1/alerts/rules/api_silent');
    expect(del.status).toBe(200);
    expect(del.json).toEqual({ name: 'api_silent', deleted: true });
    expect((await owner('DELETE', '/api/v1/alerts/rules/api_silent')).status).toBe(404);

    const list = await owner('GET', '/api/v1/alerts/rules');
    expect(list.json.rules.some((r: { source: string }) => r.source === 'api')).toBe(false);
    const alerts = await owner('GET', '/api/v1/alerts');
    expect(alerts.json.alerts.map((a: { rule: string; status: string }) => [a.rule, a.status])).toEqual([
      ['api_silent', 'resolved'],
    ]);
    await evaluate(at(8)); // the group's next flush (groupInterval 1m) sends the resolution
    await deliver(at(8));
    const sent = hookBodies().slice(before);
    expect(sent.map((b) => b.status)).toEqual(['resolved']);

    const audit = await server.db.query<{ action: string; target_id: string; actor: string }>(
      "SELECT action, target_id, actor FROM audit_log WHERE target_type = 'alert_rule' ORDER BY id",
    );
    expect(audit.rows.map((r) => [r.action, r.target_id])).toEqual([
      ['alert_rule.create', 'api_silent'],
      ['alert_rule.create', 'fixie_rule'],
      ['alert_rule.create', 'rhymechain_rule'],
      ['alert_rule.delete', 'fixie_rule'],
      ['alert_rule.delete', 'rhymechain_rule'],
      ['alert_rule.replace', 'api_silent'],
      ['alert_rule.delete', 'api_silent'],
    ]);
    expect(audit.rows[1]?.actor).toBe('operator:fixie-ops@example.com');
  });
});
