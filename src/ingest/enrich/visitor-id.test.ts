import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientIp, newSalt, type VisitorHashInput, visitorHash } from './visitor-id.ts';

const BASE: VisitorHashInput = {
  salt: 'salt-2024-05-01',
  domainId: '8d0f7c1e-1111-4222-8333-444455556666',
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
};

describe('visitorHash', () => {
  it('is 32 lowercase hex characters', () => {
    expect(visitorHash(BASE)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is stable for the same inputs', () => {
    expect(visitorHash({ ...BASE })).toBe(visitorHash(BASE));
  });

  it('matches an independent computation of the documented encoding', () => {
    const field = (s: string) => {
      const bytes = Buffer.from(s, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    };
    const expected = createHmac('sha256', BASE.salt)
      .update(Buffer.concat([field(BASE.domainId), field(BASE.ip), field(BASE.userAgent)]))
      .digest('hex')
      .slice(0, 32);
    expect(visitorHash(BASE)).toBe(expected);
  });

  it.each([
    ['salt', { salt: 'salt-2024-05-02' }],
    ['domain', { domainId: '8d0f7c1e-1111-4222-8333-444455556667' }],
    ['ip', { ip: '203.0.113.8' }],
    ['user agent', { userAgent: `${BASE.userAgent} ` }],
  ] as const)('changes when the %s changes', (_field, change) => {
    expect(visitorHash({ ...BASE, ...change })).not.toBe(visitorHash(BASE));
  });

  it('length-prefixes fields, so moving characters across a boundary changes the id', () => {
    const a = visitorHash({ salt: 's', domainId: 'a', ip: 'bc', userAgent: 'd' });
    const b = visitorHash({ salt: 's', domainId: 'ab', ip: 'c', userAgent: 'd' });
    const c = visitorHash({ salt: 's', domainId: 'a', ip: 'b', userAgent: 'cd' });
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('counts the prefix in bytes, not UTF-16 units', () => {
    const a = visitorHash({ salt: 's', domainId: 'é', ip: 'x', userAgent: '' });
    const b = visitorHash({ salt: 's', domainId: 'e\u0301', ip: 'x', userAgent: '' });
    expect(a).not.toBe(b);
  });

  it('never contains the IP, in dotted, separator-free or hex form', () => {
    const ipv4Hex = (ip: string) =>
      ip
        .split('.')
        .map((octet) => Number(octet).toString(16).padStart(2, '0'))
        .join('');
    for (const ip of ['203.0.113.7', '198.51.100.23', '10.20.30.40', '2001:db8::1', 'fe80::abcd:1234']) {
      const id = visitorHash({ ...BASE, ip });
      expect(id).not.toContain(ip);
      expect(id).not.toContain(ip.replaceAll(/[.:]/g, ''));
      if (ip.includes('.')) expect(id).not.toContain(ipv4Hex(ip));
    }
  });

  it('accepts empty fields', () => {
    expect(visitorHash({ salt: '', domainId: '', ip: '', userAgent: '' })).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('newSalt', () => {
  it('is 32 random bytes in base64url', () => {
    const salt = newSalt();
    expect(salt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(32);
  });

  it('differs each time', () => {
    expect(new Set(Array.from({ length: 20 }, newSalt)).size).toBe(20);
  });
});

describe('clientIp', () => {
  type Case = [
    label: string,
    headers: Record<string, string | string[] | undefined>,
    socket: string,
    trust: boolean,
    expected: string,
  ];
  const cases: Case[] = [
    ['socket when proxy not trusted', { 'x-forwarded-for': '198.51.100.1' }, '10.0.0.1', false, '10.0.0.1'],
    [
      'first forwarded IP when trusted',
      { 'x-forwarded-for': '198.51.100.1, 10.0.0.2' },
      '10.0.0.1',
      true,
      '198.51.100.1',
    ],
    ['socket when trusted but no header', {}, '10.0.0.1', true, '10.0.0.1'],
    ['socket when header undefined', { 'x-forwarded-for': undefined }, '10.0.0.1', true, '10.0.0.1'],
    ['socket when header empty', { 'x-forwarded-for': '' }, '10.0.0.1', true, '10.0.0.1'],
    [
      'skips invalid entries',
      { 'x-forwarded-for': 'unknown, not-an-ip, 198.51.100.9' },
      '10.0.0.1',
      true,
      '198.51.100.9',
    ],
    [
      'socket when all entries invalid',
      { 'x-forwarded-for': 'unknown, 999.1.1.1' },
      '10.0.0.1',
      true,
      '10.0.0.1',
    ],
    [
      'trims whitespace',
      { 'x-forwarded-for': '   198.51.100.3   ,10.0.0.2' },
      '10.0.0.1',
      true,
      '198.51.100.3',
    ],
    [
      'repeated header lines',
      { 'x-forwarded-for': ['198.51.100.4', '10.0.0.2'] },
      '10.0.0.1',
      true,
      '198.51.100.4',
    ],
    ['header name in any case', { 'X-Forwarded-For': '198.51.100.5' }, '10.0.0.1', true, '198.51.100.5'],
    ['IPv6 in header', { 'x-forwarded-for': '2001:DB8::1' }, '10.0.0.1', true, '2001:db8::1'],
    ['bracketed IPv6 with port', { 'x-forwarded-for': '[2001:db8::2]:443' }, '10.0.0.1', true, '2001:db8::2'],
    ['IPv4 with port', { 'x-forwarded-for': '198.51.100.6:51234' }, '10.0.0.1', true, '198.51.100.6'],
    ['IPv4-mapped in header', { 'x-forwarded-for': '::ffff:198.51.100.7' }, '10.0.0.1', true, '198.51.100.7'],
    ['IPv4-mapped socket', {}, '::ffff:127.0.0.1', false, '127.0.0.1'],
    ['IPv4-mapped socket, uppercase', {}, '::FFFF:192.0.2.1', true, '192.0.2.1'],
    ['fully written IPv4-mapped', {}, '0:0:0:0:0:ffff:192.0.2.2', false, '192.0.2.2'],
    ['plain IPv6 socket kept', {}, '::1', false, '::1'],
    [
      'other headers ignored',
      { 'x-real-ip': '198.51.100.8', forwarded: 'for=198.51.100.9' },
      '10.0.0.1',
      true,
      '10.0.0.1',
    ],
    ['invalid socket passes through', {}, 'unknown', false, 'unknown'],
  ];
  it.each(cases)('%s', (_label, headers, socket, trust, expected) => {
    expect(clientIp(headers, socket, trust)).toBe(expected);
  });
});
