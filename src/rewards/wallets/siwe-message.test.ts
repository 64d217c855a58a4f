import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/app-error.ts';
import { checkSiweMessage } from './siwe-message.ts';
import { siweSettings } from './siwe-settings.ts';
import { requireValidSignature } from './verify-signature.ts';

const settings = siweSettings({ publicUrl: 'https://rewards.portfolio.test', chainId: 31337 });
const now = new Date('2026-05-01T12:00:00.000Z');
const account = privateKeyToAccount(generatePrivateKey());

function message(overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {}): string {
  return createSiweMessage({
    address: account.address,
    domain: settings.domain,
    uri: settings.uri,
    chainId: settings.chainId,
    nonce: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    version: '1',
    issuedAt: now,
    statement: 'Link this wallet.',
    ...overrides,
  });
}

/** The refusal's status, field and reason, or 'ok'. */
function verdict(text: string, at: Date = now) {
  try {
    checkSiweMessage(text, settings, at);
    return 'ok';
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { status: err.status, field: err.field, reason: (err.details as { reason: string }).reason };
  }
}

describe('siweSettings', () => {
  it('takes domain (with port), scheme and URI from the public URL', () => {
    expect(siweSettings({ publicUrl: 'http://localhost:8787/some/path', chainId: 1 })).toMatchObject({
      domain: 'localhost:8787',
      scheme: 'http',
      uri: 'http://localhost:8787',
      nonceTtlMs: 600_000,
    });
    expect(() => siweSettings({ publicUrl: 'ftp://x.test', chainId: 1 })).toThrow(/http/);
    expect(() => siweSettings({ publicUrl: 'https://x.test', chainId: 0 })).toThrow(/chain id/);
  });
});

describe('checkSiweMessage', () => {
  it('accepts the messages viem writes, with or without statement, scheme and time bounds', () => {
    expect(checkSiweMessage(message(), settings, now)).toMatchObject({
      address: account.address,
      nonce: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      chainId: 31337,
    });
    expect(verdict(message({ statement: undefined }))).toBe('ok');
    expect(verdict(message({ scheme: 'https' }))).toBe('ok');
    const bounded = message({
      notBefore: new Date(now.getTime() - 1000),
      expirationTime: new Date(now.getTime() + 1000),
      requestId: 'r-1',
      resources: ['https://rewards.portfolio.test/terms'],
    });
    expect(verdict(bounded)).toBe('ok');
  });

  it('accepts any RFC 3339 form of a timestamp, not other date forms', () => {
    const text = message().replace(
      'Issued At: 2026-05-01T12:00:00.000Z',
      'Issued At: 2026-05-01T14:00:00+02:00',
    );
    expect(verdict(text)).toBe('ok');
    const loose = message().replace('Issued At: 2026-05-01T12:00:00.000Z', 'Issued At: May 1, 2026');
    expect(verdict(loose)).toEqual({ status: 400, field: 'message', reason: 'malformed' });
  });

  it('refuses text that is not exactly an EIP-4361 message', () => {
    const malformed = { status: 400, field: 'message', reason: 'malformed' };
    expect(verdict('hello')).toEqual(malformed);
    expect(verdict(message().replace(account.address, account.address.toLowerCase()))).toEqual(malformed);
    // Lines the parser would skip are refused: what was signed must be what was checked.
    expect(verdict(message().replace('URI: ', 'Send 1 ETH to me\nURI: '))).toEqual(malformed);
    expect(verdict(`${message()}\nextra`)).toEqual(malformed);
    expect(verdict(message().replace('Version: 1', 'Version: 2'))).toEqual(malformed);
    expect(verdict(message().replaceAll('\n', '\r\n'))).toEqual(malformed);
  });

  it('refuses another domain, scheme, URI or chain with the field to fix', () => {
    expect(verdict(message({ domain: 'evil.test' }))).toEqual({
      status: 400,
      field: 'domain',
      reason: 'wrong_domain',
    });
    expect(verdict(message({ scheme: 'http' }))).toEqual({
      status: 400,
      field: 'domain',
      reason: 'wrong_domain',
    });
    expect(verdict(message({ uri: 'https://evil.test' }))).toEqual({
      status: 400,
      field: 'uri',
      reason: 'wrong_uri',
    });
    expect(verdict(message({ chainId: 1 }))).toEqual({
      status: 400,
      field: 'chainId',
      reason: 'wrong_chain',
    });
  });

  it('refuses an expired or not yet valid message (400, field message)', () => {
    const exp = new Date(now.getTime() + 60_000);
    expect(verdict(message({ expirationTime: exp }), new Date(exp.getTime() - 1))).toBe('ok');
    expect(verdict(message({ expirationTime: exp }), exp)).toEqual({
      status: 400,
      field: 'message',
      reason: 'expired',
    });
    const nbf = new Date(now.getTime() + 60_000);
    expect(verdict(message({ notBefore: nbf }))).toEqual({
      status: 400,
      field: 'message',
      reason: 'not_yet_valid',
    });
    expect(verdict(message({ notBefore: nbf }), nbf)).toBe('ok');
  });
});

describe('requireValidSignature without a chain client', () => {
  const text = message();
  const status = async (signature: `0x${string}`, address = account.address) => {
    try {
      await requireValidSignature({ message: text, address, signature });
      return 'ok';
    } catch (err) {
      return `${(err as AppError).status} ${(err as AppError).field}`;
    }
  };

  it("accepts the key's own signature offline and refuses any other", async () => {
    expect(await status(await account.signMessage({ message: text }))).toBe('ok');
    const other = privateKeyToAccount(generatePrivateKey());
    expect(await status(await other.signMessage({ message: text }))).toBe('401 signature');
    expect(await status(await account.signMessage({ message: `${text} ` }))).toBe('401 signature');
    expect(await status('0x1234')).toBe('401 signature');
    expect(await status(`0x${'00'.repeat(65)}`)).toBe('401 signature');
  });
});
