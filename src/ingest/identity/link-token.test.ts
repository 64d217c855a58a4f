import { describe, expect, it } from 'vitest';
import { mintLinkToken, verifyLinkToken } from './link-token.ts';

describe('link tokens', () => {
  const claims = { domainId: 'd-1', visitorId: 'v-1', expiresAt: 10_000 };

  it('round-trips valid claims', () => {
    expect(verifyLinkToken('s', mintLinkToken('s', claims), 9_999)).toEqual(claims);
  });

  it('rejects expired, forged, altered and malformed tokens', () => {
    const token = mintLinkToken('s', claims);
    expect(verifyLinkToken('s', token, 10_001)).toBeNull();
    expect(verifyLinkToken('other secret', token, 0)).toBeNull();
    const [payload, sig] = token.split('.');
    const altered = Buffer.from('d-2|v-1|10000').toString('base64url');
    expect(verifyLinkToken('s', `${altered}.${sig}`, 0)).toBeNull();
    expect(verifyLinkToken('s', `${payload}.${sig}x`, 0)).toBeNull();
    for (const bad of ['', '.', 'abc', `${payload}.${sig}.more`, 'x'.repeat(600)]) {
      expect(verifyLinkToken('s', bad, 0)).toBeNull();
    }
  });
});
