import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIntegration } from '../../test-support/integration.ts';
import { startTestServer, type TestServer } from '../../test-support/test-server.ts';
import { healthScore } from '../engine/health-score.ts';
import { runOutboxOnce } from '../notify/outbox-worker.ts';
import { type HttpPeer, startHttpPeer } from '../notify/test-peers.ts';

// The runtime end to end over HTTP: a small alerting section (absence of events for 30 minutes,
// held 5 minutes, critical, escalating after 10 minutes), a real local webhook peer, time stepped
// by the evaluator's clock. fixie.run and rhymechain.win never send events; seobiz.be sent one
// 20 minutes before T0; aiftw.be sends one a minute before T0 and stays quiet.

const T0 = new Date('2031-03-03T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const SILENT = ['fixie.run', 'rhymechain.win', 'seobiz.be', 'aiftw.be'];

function portfolioWith(peerUrl: string) {
  return (yaml: string) => {
    const start = yaml.indexOf('\nreceivers:\n');
    const end = yaml.indexOf('\n# Uptime checks');
    const alerting = yaml.indexOf('\nalerting:\n');
    const receivers = `
receivers:
  - { name: hook, kind: webhook, url: '${peerUrl}/hook', secret: { env: HOOK_SECRET }, allowPrivateTargets: true }
  - { name: oncall, kind: webhook, url: '${peerUrl}/oncall', secret: { env: HOOK_SECRET }, allowPrivateTargets: true }
  - { name: slack, kind: slack, webhookUrl: { env: SLACK_WEBHOOK_URL_FOR_ALERT_TEST } }
`;
    const rules = `
alerting:
  rules:
    - name: domain_silent
      expr: { kind: absence, metric: events, forMinutes: 30 }
      for: 5m
      severity: critical
      labels: { area: test }
      annotations: { summary: 'no events from {{ $labels.domain }}' }
      domains: [${SILENT.join(', ')}]
  routes:
    - id: all
      receivers: [hook, slack]
      groupBy: [alertname, domain]
      groupWait: 0s
      groupInterval: 1m
      repeatInterval: 1d
  escalation:
    critical: [{ after: 10m, receivers: [oncall] }]
`;
    return yaml.slice(0, start) + receivers + yaml.slice(end, alerting) + rules;
  };
}

describeIntegration('alert runtime', () => {
  let peer: HttpPeer;
  let server: TestServer;
  let clock = T0;
  const fp: Record<string, string> = {};
  let limitedToken = '';

  const owner = (method: string, path: string, body?: unknown) =>
    server.request(method, path, { token: server.ownerToken, ...(body === undefined ? {} : { body }) });
  const deliver = (now: Date) =>
    runOutboxOnce(server.db, { now, receivers: server.alerts.receivers.resolved, random: () => 0 });
  const requestsTo = (path: string) => peer.requests.filter((r) => r.path === path);
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
    const ids = await server.db.query<{ id: string; host: string }>('SELECT id, host FROM domains');
    const id = (h: string) => ids.rows.find((r) => r.host === h)?.id;
    await server.db.query(
      `INSERT INTO events (domain_id, occurred_at, name) VALUES ($1, $2, 'pageview'), ($3, $4, 'pageview')`,
      [
        id('seobiz.be'),
        new Date(T0.getTime() - 20 * 60_000),
        id('aiftw.be'),
        new Date(T0.getTime() - 60_000),
      ],
    );
    const added = await owner('POST', '/api/v1/operators', {
      email: 'fixie-ops@example.com',
      role: 'admin',
      domains: ['fixie.run'],
    });
    expect(added.status).toBe(201);
    limitedToken = added.json.token;
  });

  afterAll(async () => {
    await server?.close();
    await peer?.close();
  });

  it('an absence rule goes pending, then fires after `for`, notifying the webhook once in Alertmanager v4 shape', async () => {
    const first = await evaluate(T0);
    expect(first.notifications).toBe(0);
    let list = await owner('GET', '/api/v1/alerts');
    expect(list.status).toBe(200);
    const pending = list.json.alerts.map((a: { labels: { domain: string }; status: string }) => [
      a.labels.domain,
      a.status,
    ]);
    expect(pending.sort()).toEqual([
      ['fixie.run', 'pending'],
      ['rhymechain.win', 'pending'],
    ]);
    expect(list.json.health.overall.score).toBe(100);

    await evaluate(at(4));
    expect((await deliver(at(4))).claimed).toBe(0);

    const fired = await evaluate(at(5));
    expect(fired.notifications).toBe(4); // two groups, to hook and to slack
    for (const a of Object.values(fired.state.alerts)) fp[a.labels.domain as string] = a.fingerprint;
    const pass = await deliver(at(5));
    expect(pass.delivered).toBe(2);
    expect(requestsTo('/hook')).toHaveLength(2);
    const body = JSON.parse(requestsTo('/hook')[0]?.body.toString() ?? '{}');
    expect(body.version).toBe('4');
    expect(body.status).toBe('firing');
    expect(body.receiver).toBe('hook');
    expect(body.alerts[0].labels.alertname).toBe('domain_silent');
    expect(body.alerts[0].status).toBe('firing');
    expect(body.groupLabels.alertname).toBe('domain_silent');

    // Exactly once: another pass and a retried evaluation at the same time send nothing more.
    await evaluate(at(5));
    expect((await deliver(at(5))).delivered).toBe(0);
    expect(requestsTo('/hook')).toHaveLength(2);

    list = await owner('GET', '/api/v1/alerts');
    expect(list.json.alerts.map((a: { status: string }) => a.status)).toEqual(['firing', 'firing']);
  });

  it('leaves notifications to a receiver without its secret pending with a clear last_error', async () => {
    expect(server.alerts.receivers.unresolved.map((u) => u.name)).toEqual(['slack']);
    const rows = await server.db.query<{ status: string; last_error: string; attempts: number }>(
      "SELECT status, last_error, attempts FROM notification_outbox WHERE receiver = 'slack'",
    );
    expect(rows.rows).toHaveLength(2);
    for (const r of rows.rows) {
      expect(r.status).toBe('pending');
      expect(r.attempts).toBe(0);
      expect(r.last_error).toBe(
        'receiver slack: webhookUrl: environment variable SLACK_WEBHOOK_URL_FOR_ALERT_TEST is not set',
      );
    }
  });

  it('scores health with the seed formula from the firing alerts', async () => {
    const res = await owner('GET', '/api/v1/alerts/health');
    expect(res.status).toBe(200);
    expect(res.json.overall.score).toBe(100 - 2 * 30);
    expect(res.json.overall).toEqual(
      healthScore([
        { state: 'firing', severity: 'critical', silencedBy: [], suppressedBy: [] },
        { state: 'firing', severity: 'critical', silencedBy: [], suppressedBy: [] },
      ]),
    );
    expect(res.json.byDomain['fixie.run'].score).toBe(70);
    expect(res.json.byDomain['aiftw.be'].score).toBe(100);
  });

  it('keeps a limited operator to its domains: another domain’s alert is a 404 with its field', async () => {
    const list = await server.request('GET', '/api/v1/alerts', { token: limitedToken });
    expect(list.status).toBe(200);
    expect(list.json.alerts.map((a: { labels: { domain: string } }) => a.labels.domain)).toEqual([
      'fixie.run',
    ]);
    const ack = await server.request('POST', `/api/v1/alerts/${fp['rhymechain.win']}/acknowledge`, {
      token: limitedToken,
    });
    expect(ack.status).toBe(404);
    expect(ack.json.error.field).toBe('fingerprint');
    const silence = await server.request('POST', '/api/v1/silences', {
      token: limitedToken,
      body: { matchers: ['domain="rhymechain.win"'], endsAt: at(120).toISOString(), comment: 'not mine' },
    });
    expect(silence.status).toBe(404);
    expect(silence.json.error.field).toBe('matchers');
  });

  it('acknowledging stops escalation; a silence mutes a firing alert without notifying', async () => {
    clock = at(6);
    const ack = await server.request('POST', `/api/v1/alerts/${fp['fixie.run']}/acknowledge`, {
      token: limitedToken,
    });
    expect(ack.status).toBe(200);
    expect(ack.json.status).toBe('acknowledged');
    expect(ack.json.acknowledgedBy).toBe('operator:fixie-ops@example.com');

    await evaluate(at(10)); // seobiz.be silent for 30 minutes now: pending
    clock = at(11);
    const silence = await owner('POST', '/api/v1/silences', {
      matchers: ['domain="seobiz.be"'],
      endsAt: at(120).toISOString(),
      comment: 'migration of seobiz.be',
    });
    expect(silence.json).toMatchObject({ status: 'active', createdBy: 'operator:owner@example.com' });
    expect(silence.status).toBe(201);

    const before = peer.requests.length;
    await evaluate(at(16));
    await deliver(at(16));
    const sent = peer.requests.slice(before);
    // Only rhymechain.win escalates (unacknowledged); seobiz.be fires silenced, telling no one.
    expect(sent.map((r) => r.path)).toEqual(['/oncall']);
    const escalation = JSON.parse(sent[0]?.body.toString() ?? '{}');
    expect(escalation.alerts.map((a: { labels: { domain: string } }) => a.labels.domain)).toEqual([
      'rhymechain.win',
    ]);

    const list = await owner('GET', '/api/v1/alerts');
    const status = Object.fromEntries(
      list.json.alerts.map((a: { labels: { domain: string }; status: string }) => [
        a.labels.domain,
        a.status,
      ]),
    );
    expect(status).toEqual({
      'fixie.run': 'acknowledged',
      'rhymechain.win': 'firing',
      'seobiz.be': 'silenced',
    });
    // Silenced alerts do not lower the score; acknowledged ones do.
    expect(list.json.health.overall.score).toBe(40);

    const silences = await owner('GET', '/api/v1/silences');
    expect(silences.json.silences).toHaveLength(1);
    const audit = await server.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE action LIKE 'alert.%' OR action LIKE 'silence.%' ORDER BY id",
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['alert.acknowledge', 'silence.create']);
  });

  it('resolves by hand, and the history shows who did', async () => {
    clock = at(17);
    const res = await owner('POST', `/api/v1/alerts/${fp['rhymechain.win']}/resolve`);
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('resolved');
    const again = await owner('POST', `/api/v1/alerts/${fp['rhymechain.win']}/resolve`);
    expect(again.status).toBe(409);

    const history = await owner(
      'GET',
      `/api/v1/alerts/history?from=${T0.toISOString()}&to=${at(60).toISOString()}`,
    );
    expect(history.status).toBe(200);
    const resolved = history.json.transitions.find(
      (t: { fingerprint: string; to: string }) =>
        t.fingerprint === fp['rhymechain.win'] && t.to === 'resolved',
    );
    expect(resolved.by).toBe('operator:owner@example.com');
    const limited = await server.request(
      'GET',
      `/api/v1/alerts/history?from=${T0.toISOString()}&to=${at(60).toISOString()}`,
      {
        token: limitedToken,
      },
    );
    expect(
      new Set(limited.json.transitions.map((t: { labels: { domain: string } }) => t.labels.domain)),
    ).toEqual(new Set(['fixie.run']));
  });

  it('refuses a silence whose end is not after its start, naming the field', async () => {
    const res = await owner('POST', '/api/v1/silences', {
      matchers: ['domain="fixie.run"'],
      startsAt: at(30).toISOString(),
      endsAt: at(20).toISOString(),
      comment: 'backwards',
    });
    expect(res.status).toBe(400);
    expect(res.json.error.field).toBe('endsAt');
  });
});
