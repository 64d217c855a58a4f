import { describe, expect, it } from 'vitest';
import {
  centsOfNumeric,
  convertToEurCents,
  divideRounded,
  formatCents,
  MAX_AMOUNT_CENTS,
  minorUnitsToCents,
  parseAmount,
} from './money.ts';

describe('parseAmount', () => {
  it.each([
    ['19.99', 1999n],
    ['19.9', 1990n],
    ['19', 1900n],
    [' 7.50 ', 750n],
    ['-5', -500n],
    ['+3.01', 301n],
    ['0', 0n],
    [12.34, 1234n],
    [0.1, 10n],
    [-0, 0n],
    [10_000_000_000, MAX_AMOUNT_CENTS],
    ['-10000000000.00', -MAX_AMOUNT_CENTS],
  ])('reads %j as %s cents', (input, cents) => {
    expect(parseAmount(input)).toEqual({ ok: true, cents });
  });

  it.each([
    ['1.005', /at most 2 decimals/],
    [1.005, /at most 2 decimals/],
    ['1,50', /at most 2 decimals/],
    ['1e3', /at most 2 decimals/],
    [1e21, /at most 2 decimals/],
    ['', /at most 2 decimals/],
    ['.5', /at most 2 decimals/],
    ['10000000000.01', /between -1e10 and 1e10/],
    [Number.NaN, /finite/],
    [Number.POSITIVE_INFINITY, /finite/],
  ])('rejects %j', (input, message) => {
    const parsed = parseAmount(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('formatting and reading numeric text', () => {
  it.each([
    [0n, '0.00'],
    [5n, '0.05'],
    [-5n, '-0.05'],
    [123456n, '1234.56'],
    [-100n, '-1.00'],
  ])('formats %s cents as %s and reads it back', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
    expect(centsOfNumeric(text)).toBe(cents);
  });

  it('reads numeric text of any magnitude, and refuses more than 2 decimals', () => {
    expect(centsOfNumeric('999999999999.99')).toBe(99_999_999_999_999n);
    expect(() => centsOfNumeric('1.234')).toThrow();
  });
});

describe('divideRounded (half away from zero, like round(numeric))', () => {
  it.each([
    [5n, 10n, 1n],
    [4n, 10n, 0n],
    [-5n, 10n, -1n],
    [-4n, 10n, 0n],
    [15n, 10n, 2n],
    [-15n, 10n, -2n],
    [20n, 10n, 2n],
  ])('%s / %s = %s', (n, d, q) => {
    expect(divideRounded(n, d)).toBe(q);
  });
});

describe('convertToEurCents', () => {
  it('converts exactly with the stored rate text', () => {
    expect(convertToEurCents(1000n, '0.8600000000')).toBe(860n); // USD 10.00 → EUR 8.60
    expect(convertToEurCents(1999n, '1.0000000000')).toBe(1999n);
    expect(convertToEurCents(100_000n, '0.0056000000')).toBe(560n); // JPY 1000 → EUR 5.60
    expect(convertToEurCents(-1050n, '1.14')).toBe(-1197n); // GBP -10.50 → EUR -11.97
  });

  it('rounds half away from zero at the cent', () => {
    // 0.01 × 0.5 = 0.005 → 0.01; −0.01 × 0.5 → −0.01; 0.01 × 0.4999999999 → 0.00
    expect(convertToEurCents(1n, '0.5')).toBe(1n);
    expect(convertToEurCents(-1n, '0.5')).toBe(-1n);
    expect(convertToEurCents(1n, '0.4999999999')).toBe(0n);
  });

  it('stays exact where floating point misses the half cent', () => {
    // GBP 0.25 × 1.14 = EUR 0.285 exactly → 0.29; in floating point 0.25 × 1.14 = 0.28499999…
    expect(convertToEurCents(25n, '1.14')).toBe(29n);
    expect(Math.round(25 * 1.14)).toBe(28);
    expect(convertToEurCents(MAX_AMOUNT_CENTS, '0.0910000001')).toBe(91_000_000_100n);
  });

  it('refuses a malformed rate', () => {
    expect(() => convertToEurCents(1n, '-1')).toThrow(/rate/);
    expect(() => convertToEurCents(1n, '1e3')).toThrow(/rate/);
  });
});

describe('minorUnitsToCents', () => {
  it('knows zero-, two- and three-decimal currencies', () => {
    expect(minorUnitsToCents(500n, 0)).toBe(50_000n); // ¥500 → 500.00
    expect(minorUnitsToCents(1999n, 2)).toBe(1999n); // $19.99
    expect(minorUnitsToCents(5125n, 3)).toBe(513n); // 5.125 KWD → 5.13
    expect(minorUnitsToCents(5124n, 3)).toBe(512n);
  });
});
