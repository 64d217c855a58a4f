import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, type Lookup, TargetRefusedError } from './url-guard.ts';

const answers =
  (table: Record<string, string[]>): Lookup =>
  async (hostname) => {
    const list = table[hostname];
    if (!list) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const dns = answers({
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
  'rebind.example.com': ['93.184.216.34', '127.0.0.1'],
  'metadata.example.com': ['169.254.169.254'],
  'empty.example.com': [],
});

describe('checkOutboundUrl', () => {
  it('passes a public host and returns every address it will connect to', async () => {
    const checked = await checkOutboundUrl('https://hooks.example.com/a/b?token=x', {
      allowPrivateTargets: false,
      lookup: dns,
    });
    expect(checked).toMatchObject({ hostname: 'hooks.example.com', port: 443 });
    expect(checked.addresses.map((a) => a.address)).toEqual(['93.184.216.34', '2606:2800:220:1::1']);
  });

  it.each([
    ['http://127.0.0.1:8080/hook', /127\.0\.0\.1: it is a loopback address/],
    ['http://[::1]/hook', /::1: it is a loopback address/],
    ['http://10.0.0.7/hook', /private address/],
    ['http://100.100.1.1/hook', /cgnat address/],
    ['http://[fd00::1]/hook', /unique-local address/],
    ['http://0.0.0.0/hook', /unspecified address/],
    [
      'http://metadata.example.com/latest',
      /metadata\.example\.com \(169\.254\.169\.254\): it is a link-local/,
    ],
    ['http://rebind.example.com/', /rebind\.example\.com \(127\.0\.0\.1\): it is a loopback/],
    ['http://[::ffff:127.0.0.1]/', /loopback/],
  ])('refuses %s', async (url, message) => {
    const check = checkOutboundUrl(url, { allowPrivateTargets: false, lookup: dns });
    await expect(check).rejects.toThrow(TargetRefusedError);
    await expect(check).rejects.toThrow(message);
    await expect(check).rejects.toThrow(/allowPrivateTargets: true/);
  });

  it('lets a receiver that allows private targets reach loopback', async () => {
    const checked = await checkOutboundUrl('http://127.0.0.1:8080/hook', { allowPrivateTargets: true });
    expect(checked.addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(checked.port).toBe(8080);
  });

  it('refuses localhost through the real resolver unless allowed', async () => {
    await expect(checkOutboundUrl('http://localhost:9/', { allowPrivateTargets: false })).rejects.toThrow(
      /localhost \((127\.0\.0\.1|::1)\): it is a loopback address/,
    );
    const allowed = await checkOutboundUrl('http://localhost:9/', { allowPrivateTargets: true });
    expect(allowed.addresses.length).toBeGreaterThan(0);
  });

  it.each([
    'ftp://hooks.example.com/x',
    'file:///etc/passwd',
    'gopher://hooks.example.com/',
    'javascript:alert(1)',
  ])('refuses the scheme of %s even when private targets are allowed', async (url) => {
    await expect(checkOutboundUrl(url, { allowPrivateTargets: true, lookup: dns })).rejects.toThrow(
      /scheme is refused: only http and https/,
    );
  });

  it('reports an unresolvable host as temporary and never names the path', async () => {
    const err = await checkOutboundUrl('https://nowhere.example.com/secret-token-path', {
      allowPrivateTargets: false,
      lookup: dns,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetRefusedError);
    expect((err as TargetRefusedError).temporary).toBe(true);
    expect((err as Error).message).toBe('cannot resolve nowhere.example.com: ENOTFOUND');
    const empty = await checkOutboundUrl('https://empty.example.com/', {
      allowPrivateTargets: false,
      lookup: dns,
    }).catch((e: unknown) => e);
    expect((empty as TargetRefusedError).temporary).toBe(true);
  });
});
