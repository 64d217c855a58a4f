import { describe, expect, it } from 'vitest';
import { signNotification, verifyNotificationSignature } from './signature.ts';

const SECRET = 'signature-test-secret';
const NOW = new Date('2025-03-01T10:00:00.000Z');
const T = NOW.getTime() / 1000;
const ID = '5b0c6f1e-0a6c-4a8e-9f35-7f4f2e0c1d11';
const BODY = '{"version":"4","status":"firing"}';

function headers(overrides: Record<string, string> = {}) {
  return {
    'x-portfolio-timestamp': String(T),
    'x-portfolio-notification-id': ID,
    'x-portfolio-signature': signNotification({ secret: SECRET, timestamp: T, id: ID, body: BODY }),
    ...overrides,
  };
}

describe('webhook signatures', () => {
  it('verifies what it signed', () => {
    expect(verifyNotificationSignature({ headers: headers(), body: BODY, secret: SECRET, now: NOW })).toEqual(
      {
        ok: true,
        id: ID,
        timestamp: T,
      },
    );
    expect(
      verifyNotificationSignature({ headers: headers(), body: Buffer.from(BODY), secret: SECRET, now: NOW }),
    ).toMatchObject({ ok: true });
  });

  it.each<[string, Record<string, string>, string]>([
    ['a changed body', {}, `${BODY} `],
    ['another id', { 'x-portfolio-notification-id': 'another-id' }, BODY],
    ['another timestamp', { 'x-portfolio-timestamp': String(T - 1) }, BODY],
    ['a malformed signature', { 'x-portfolio-signature': 'sha1=abc' }, BODY],
  ])('refuses %s', (_, changed, body) => {
    expect(
      verifyNotificationSignature({ headers: headers(changed), body, secret: SECRET, now: NOW }).ok,
    ).toBe(false);
  });

  it('refuses a replay outside the tolerance, in either direction', () => {
    const late = new Date(NOW.getTime() + 301_000);
    const early = new Date(NOW.getTime() - 301_000);
    expect(
      verifyNotificationSignature({ headers: headers(), body: BODY, secret: SECRET, now: late }),
    ).toEqual({
      ok: false,
      reason: 'timestamp more than 300 s from now',
    });
    expect(
      verifyNotificationSignature({ headers: headers(), body: BODY, secret: SECRET, now: early }).ok,
    ).toBe(false);
  });

  it('refuses a delivery without the headers', () => {
    expect(verifyNotificationSignature({ headers: {}, body: BODY, secret: SECRET, now: NOW })).toEqual({
      ok: false,
      reason: 'missing signature headers',
    });
  });
});
