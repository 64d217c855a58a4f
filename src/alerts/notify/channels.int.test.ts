import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import type { Notification } from '../notification.ts';
import { enqueueNotifications } from './enqueue.ts';
import { runOutboxOnce } from './outbox-worker.ts';
import type { ResolvedReceiver } from './receiver-schema.ts';
import { Secret } from './secret.ts';
import { verifyNotificationSignature } from './signature.ts';
import {
  type HttpPeer,
  type SmtpPeer,
  sampleNotification,
  startHttpPeer,
  startSmtpPeer,
} from './test-peers.ts';

const NOW = new Date('2025-03-01T10:05:07.000Z');
const SECRET = 'hmac-key-for-the-channel-test-0123456789';
const EXTERNAL_URL = 'https://portfolio.example.com';

describeIntegration('notification channels', () => {
  let db: Db;
  let http: HttpPeer;
  let smtp: SmtpPeer;
  let receivers: ResolvedReceiver[];
  beforeAll(async () => {
    [db, http, smtp] = await Promise.all([createTestDb(), startHttpPeer(), startSmtpPeer()]);
    receivers = [
      {
        kind: 'webhook',
        name: 'ops-webhook',
        url: `${http.url}/alertmanager?team=ops`,
        secret: new Secret(SECRET),
        headers: { 'X-Team': 'ops' },
        allowPrivateTargets: true,
      },
      {
        kind: 'slack',
        name: 'ops-slack',
        webhookUrl: new Secret(`${http.url}/services/T000/B000/XXXX`),
        allowPrivateTargets: true,
      },
      {
        kind: 'email',
        name: 'ops-mail',
        to: ['owner@example.com', 'ops@example.com'],
        from: 'alerts@portfolio.example.com',
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false },
        allowPrivateTargets: true,
      },
    ];
  });
  afterAll(async () => {
    await Promise.all([http?.close(), smtp?.close()]);
    await db?.close();
  });

  async function deliver(n: Notification): Promise<string> {
    const { enqueued } = await db.transaction((tx) => enqueueNotifications(tx, [n], receivers));
    const result = await runOutboxOnce(db, { now: NOW, receivers, externalUrl: EXTERNAL_URL });
    expect(result).toMatchObject({ claimed: 1, delivered: 1 });
    return enqueued[0] as string;
  }

  it('POSTs the Alertmanager v4 payload to a webhook, signed so the receiver can verify it', async () => {
    const n = sampleNotification({ receiver: 'ops-webhook' });
    const id = await deliver(n);
    const request = http.requests.at(-1);
    if (!request) throw new Error('the webhook peer received nothing');
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/alertmanager?team=ops');
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'x-team': 'ops',
      'x-portfolio-notification-id': id,
      'x-portfolio-timestamp': String(NOW.getTime() / 1000),
    });
    // The receiver's own check, written from the documentation rather than with our helper.
    const expected = createHmac('sha256', SECRET)
      .update(`${request.headers['x-portfolio-timestamp']}.${id}.`)
      .update(request.body)
      .digest('hex');
    expect(request.headers['x-portfolio-signature']).toBe(`sha256=${expected}`);
    expect(
      verifyNotificationSignature({ headers: request.headers, body: request.body, secret: SECRET, now: NOW }),
    ).toEqual({ ok: true, id, timestamp: NOW.getTime() / 1000 });
    expect(
      verifyNotificationSignature({
        headers: request.headers,
        body: request.body,
        secret: 'wrong',
        now: NOW,
      }),
    ).toMatchObject({ ok: false });

    const payload = JSON.parse(request.body.toString('utf8'));
    expect(payload).toEqual({
      version: '4',
      groupKey: n.groupKey,
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'ops-webhook',
      groupLabels: n.groupLabels,
      commonLabels: n.commonLabels,
      commonAnnotations: n.commonAnnotations,
      externalURL: EXTERNAL_URL,
      alerts: n.alerts,
    });
    expect(request.body.toString('utf8')).not.toContain(SECRET);
  });

  it('posts a Slack message with a fallback text and blocks, markup escaped', async () => {
    const before = http.requests.length;
    await deliver(sampleNotification({ receiver: 'ops-slack', groupKey: 'slack-group' }));
    expect(http.requests.length - before).toBe(1);
    const request = http.requests.at(-1);
    if (!request) throw new Error('the Slack peer received nothing');
    expect(request.path).toBe('/services/T000/B000/XXXX');
    expect(request.headers['x-portfolio-signature']).toBeUndefined();
    const message = JSON.parse(request.body.toString('utf8'));
    expect(message.text).toBe('[FIRING:1] MrrBelowTarget (fixie.run high)');
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '[FIRING:1] MrrBelowTarget (fixie.run high)' },
    });
    const section = message.blocks[1].text.text as string;
    expect(section).toContain('*Firing:* MRR of fixie.run is 12% below target');
    expect(section).toContain('MRR 880 &lt; 1000 &lt;b&gt;');
    expect(section).toContain('domain=fixie.run');
    expect(message.blocks.at(-1).elements[0].text).toContain(`<${EXTERNAL_URL}|Open Portfolio OS>`);
  });

  it('sends an e-mail over SMTP with a subject, a plain-text and an HTML part', async () => {
    const n = sampleNotification({
      receiver: 'ops-mail',
      groupKey: 'mail-group',
      status: 'resolved',
      reason: 'resolved',
      alerts: [
        {
          ...(sampleNotification().alerts[0] as Notification['alerts'][0]),
          status: 'resolved',
          endsAt: '2025-03-01T11:00:00.000Z',
        },
      ],
    });
    const id = await deliver(n);
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    if (!mail) throw new Error('the SMTP peer received nothing');
    expect(mail.from).toBe('alerts@portfolio.example.com');
    expect(mail.to).toEqual(['owner@example.com', 'ops@example.com']);
    const raw = mail.raw.replace(/=\r?\n/g, ''); // undo quoted-printable soft line breaks
    expect(raw).toMatch(/^Subject: \[RESOLVED\] MrrBelowTarget \(fixie\.run high\)$/m);
    expect(raw).toMatch(new RegExp(`^Message-ID: <${id}@portfolio-os>$`, 'mi'));
    expect(raw).toMatch(new RegExp(`^X-Portfolio-Notification-Id: ${id}$`, 'mi'));
    expect(raw).toContain('Content-Type: text/plain');
    expect(raw).toContain('RESOLVED: MRR of fixie.run is 12% below target');
    expect(raw).toContain('Since 2025-03-01T10:00:00.000Z, resolved 2025-03-01T11:00:00.000Z');
    expect(raw).toContain('Content-Type: text/html');
    expect(raw).toContain('MRR 880 &lt; 1000 &lt;b&gt;');
  });

  it('connects to the address the guard checked, not to a second DNS answer', async () => {
    // `hooks.internal.test` exists in no DNS: the delivery can only arrive through the checked answer.
    const port = new URL(http.url).port;
    const pinned: ResolvedReceiver = {
      kind: 'webhook',
      name: 'pinned-hook',
      url: `http://hooks.internal.test:${port}/pinned`,
      secret: new Secret(SECRET),
      headers: {},
      allowPrivateTargets: true,
    };
    const lookups: string[] = [];
    const n = sampleNotification({ receiver: 'pinned-hook', groupKey: 'pinned-group' });
    await db.transaction((tx) => enqueueNotifications(tx, [n], [pinned]));
    const result = await runOutboxOnce(db, {
      now: NOW,
      receivers: [pinned],
      lookup: async (hostname) => {
        lookups.push(hostname);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    expect(result).toMatchObject({ delivered: 1 });
    expect(lookups).toEqual(['hooks.internal.test']);
    expect(http.requests.at(-1)).toMatchObject({
      path: '/pinned',
      headers: { host: `hooks.internal.test:${port}` },
    });
  });
});
