import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Receivers, resolveReceivers } from './receiver-schema.ts';

const config = [
  {
    kind: 'webhook',
    name: 'ops-webhook',
    url: 'https://hooks.example.com/alerts',
    secret: { env: 'OPS_HOOK_SECRET' },
  },
  { kind: 'slack', name: 'ops-slack', webhookUrl: { file: '/run/secrets/slack-url' } },
  {
    kind: 'email',
    name: 'owner-mail',
    to: ['owner@example.com'],
    from: 'alerts@example.com',
    smtp: { host: 'smtp.example.com', user: 'alerts', pass: { env: 'SMTP_PASS' } },
  },
];

const sources = {
  env: { OPS_HOOK_SECRET: 'hook-secret-value', SMTP_PASS: 'smtp-pass-value' },
  readFile: (path: string) => {
    if (path !== '/run/secrets/slack-url') throw new Error('ENOENT');
    return 'https://hooks.slack.com/services/T0/B0/slack-token-value\n';
  },
};

describe('receiver configuration', () => {
  it('parses with safe defaults: private targets refused, STARTTLS required on port 587', () => {
    const receivers = Receivers.parse(config);
    expect(receivers.every((r) => r.allowPrivateTargets === false)).toBe(true);
    expect(receivers[2]).toMatchObject({ smtp: { port: 587, secure: false, requireTls: true } });
    expect(receivers[0]).toMatchObject({ headers: {} });
  });

  it.each<[string, unknown[], RegExp]>([
    ['a duplicate name', [config[0], config[0]], /listed twice/],
    ['an ftp URL', [{ ...config[0], url: 'ftp://hooks.example.com/' }], /http:\/\/ or https:\/\//],
    ['an inline secret', [{ ...config[0], secret: 'plain-text' }], /secret/],
    [
      'a reserved header',
      [{ ...config[0], headers: { 'X-Portfolio-Signature': 'x' } }],
      /set by the notifier/,
    ],
    ['an unknown kind', [{ ...config[0], kind: 'pager' }], /kind/],
  ])('refuses %s', (_, input, message) => {
    const result = Receivers.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(message);
  });

  it('resolves secrets from env and files, and never prints them', () => {
    const resolved = resolveReceivers(Receivers.parse(config), sources);
    const [hook, slack, mail] = resolved;
    if (hook?.kind !== 'webhook' || slack?.kind !== 'slack' || mail?.kind !== 'email')
      throw new Error('order');
    expect(hook.secret.reveal()).toBe('hook-secret-value');
    expect(slack.webhookUrl.reveal()).toBe('https://hooks.slack.com/services/T0/B0/slack-token-value');
    expect(mail.smtp.pass?.reveal()).toBe('smtp-pass-value');
    const printed = [JSON.stringify(resolved), inspect(resolved, { depth: 10 }), String(hook.secret)].join(
      '\n',
    );
    for (const secret of ['hook-secret-value', 'slack-token-value', 'smtp-pass-value'])
      expect(printed).not.toContain(secret);
    expect(printed).toContain('[secret]');
  });

  it('stops at startup on a missing secret, naming the field', () => {
    expect(() => resolveReceivers(Receivers.parse(config), { ...sources, env: {} })).toThrow(
      'receivers[0].secret: environment variable OPS_HOOK_SECRET is not set',
    );
    expect(() =>
      resolveReceivers(Receivers.parse(config), { ...sources, readFile: () => 'not a url' }),
    ).toThrow(/receivers\[1\]\.webhookUrl: the secret is not an http\(s\) URL/);
  });
});
