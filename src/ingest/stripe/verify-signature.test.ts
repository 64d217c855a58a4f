import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { verifyStripeSignature } from './verify-signature.ts';

const secret = 'whsec_unit_test_secret_0123456789';
const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid', data: { object: {} } });
const now = new Date('2026-03-01T12:00:00Z');
const t = Math.floor(now.getTime() / 1000);

function header(options: { timestamp?: number; secret?: string; payload?: string } = {}): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload: options.payload ?? payload,
    secret: options.secret ?? secret,
    timestamp: options.timestamp ?? t,
  });
}

function check(h: string | undefined, body = payload, at = now) {
  return verifyStripeSignature({ header: h, payload: Buffer.from(body), secret, now: at });
}

describe('verifyStripeSignature', () => {
  it("accepts a header made by Stripe's own library", () => {
    expect(check(header())).toEqual({ ok: true, timestamp: t });
  });

  it('agrees with the stripe library on what it accepts', () => {
    const h = header();
    expect(Stripe.webhooks.signature?.verifyHeader(payload, h, secret, 300, undefined, t)).toBe(true);
    expect(check(h).ok).toBe(true);
  });

  it('refuses a body changed by one byte', () => {
    const result = check(header(), payload.replace('invoice.paid', 'invoice.pain'));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/no .* signature matches/) });
  });

  it('refuses a signature made with another secret', () => {
    expect(check(header({ secret: 'whsec_some_other_secret_abcdef' })).ok).toBe(false);
  });

  it('refuses timestamps more than 5 minutes old or ahead, and accepts them at the edge', () => {
    expect(check(header({ timestamp: t - 301 }))).toEqual({
      ok: false,
      reason: expect.stringMatching(/more than 300 seconds/),
    });
    expect(check(header({ timestamp: t + 301 })).ok).toBe(false);
    expect(check(header({ timestamp: t - 300 })).ok).toBe(true);
    expect(check(header({ timestamp: t + 300 })).ok).toBe(true);
  });

  it('refuses a valid signature whose timestamp was altered (the timestamp is signed)', () => {
    const h = header().replace(`t=${t}`, `t=${t - 1}`);
    expect(check(h).ok).toBe(false);
  });

  it('accepts when any of several v1 signatures matches, in any position', () => {
    const good = (header().match(/v1=([0-9a-f]{64})/) as RegExpMatchArray)[1];
    const bad = 'a'.repeat(64);
    expect(check(`t=${t},v1=${bad},v1=${good}`).ok).toBe(true);
    expect(check(`t=${t},v1=${good},v1=${bad}`).ok).toBe(true);
    expect(check(`t=${t},v1=${bad},v1=${'b'.repeat(64)}`).ok).toBe(false);
  });

  it('ignores other schemes: a v0 signature alone never authenticates', () => {
    const good = (header().match(/v1=([0-9a-f]{64})/) as RegExpMatchArray)[1];
    expect(check(`t=${t},v0=${good}`).ok).toBe(false);
    expect(check(` t=${t} , v0=zzz , v1=${good} `).ok).toBe(true);
  });

  it.each([
    [undefined, /missing/],
    ['', /missing/],
    ['v1=abc', /malformed/],
    [`t=${t}`, /malformed/],
    [`t=abc,v1=${'a'.repeat(64)}`, /malformed/],
    [`t=${t},t=${t},v1=${'a'.repeat(64)}`, /malformed/],
    [`t=${t},v1=${'a'.repeat(63)}`, /malformed/],
    [`t=${t},v1=${'a'.repeat(64)},${'x'.repeat(5000)}`, /malformed/],
  ])('explains a malformed header %j', (h, reason) => {
    const result = check(h);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('verifies the exact bytes: non-ASCII bodies included', () => {
    const body = JSON.stringify({ id: 'evt_2', note: 'café ☕ 日本' });
    expect(check(header({ payload: body }), body).ok).toBe(true);
  });
});
