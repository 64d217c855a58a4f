import { describe, expect, it } from 'vitest';
import { type TlsWarningLevel, tlsExpiryLevel, tlsWarningDue } from './tls-expiry.ts';

const DAY_MS = 86_400_000;
const validTo = new Date('2026-12-31T12:00:00Z');
const daysBefore = (d: number) => new Date(validTo.getTime() - d * DAY_MS);

describe('tlsExpiryLevel', () => {
  it.each([
    [60, 'ok'],
    [21.01, 'ok'],
    [21, '21d'],
    [14.5, '21d'],
    [14, '14d'],
    [10, '14d'],
    [7, '7d'],
    [0.01, '7d'],
    [0, 'expired'],
    [-3, 'expired'],
  ] as const)('%s days before expiry: %s', (days, level) => {
    expect(tlsExpiryLevel(validTo, daysBefore(days))).toBe(level);
  });
});

describe('tlsWarningDue, stepped day by day', () => {
  it('warns once at 21, 14 and 7 days and at expiry', () => {
    const warned: TlsWarningLevel[] = [];
    const sent: [number, TlsWarningLevel][] = [];
    // Checked every 6 hours from 30 days before expiry to 2 days after.
    for (let h = 30 * 24; h >= -48; h -= 6) {
      const level = tlsWarningDue(validTo, daysBefore(h / 24), warned);
      if (level) {
        warned.push(level);
        sent.push([h / 24, level]);
      }
    }
    expect(sent).toEqual([
      [21, '21d'],
      [14, '14d'],
      [7, '7d'],
      [0, 'expired'],
    ]);
  });

  it('sends only the most severe level when first seen late, and not the milder ones after', () => {
    const first = tlsWarningDue(validTo, daysBefore(10), []);
    expect(first).toBe('14d');
    expect(tlsWarningDue(validTo, daysBefore(9), ['14d'])).toBeNull();
    expect(tlsWarningDue(validTo, daysBefore(6), ['14d'])).toBe('7d');
  });

  it('says nothing for a certificate far from expiry', () => {
    expect(tlsWarningDue(validTo, daysBefore(40), [])).toBeNull();
  });

  it('treats a renewed certificate (another notAfter) as new', () => {
    const renewed = new Date(validTo.getTime() + 90 * DAY_MS);
    expect(tlsWarningDue(renewed, daysBefore(3), [])).toBeNull();
    expect(tlsWarningDue(renewed, new Date(renewed.getTime() - 20 * DAY_MS), [])).toBe('21d');
  });
});
