import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPtf, multiplyWei, parseDecimal, ptfProblem, ptfToWei, WEI_PER_PTF } from './ptf-decimal.ts';

describe('ptfToWei', () => {
  it('converts decimals digit by digit, never through a float', () => {
    expect(ptfToWei('1.5')).toBe(1_500_000_000_000_000_000n);
    expect(ptfToWei(1.5)).toBe(1_500_000_000_000_000_000n);
    expect(ptfToWei('0.1')).toBe(100_000_000_000_000_000n);
    // 0.1 + 0.2 as floats is 0.30000000000000004; written as text it stays exact.
    expect(ptfToWei('0.3')).toBe(300_000_000_000_000_000n);
    expect(ptfToWei('0.000000000000000001')).toBe(1n);
    expect(ptfToWei('1000000000')).toBe(1_000_000_000n * WEI_PER_PTF);
    expect(ptfToWei('123456789.123456789123456789')).toBe(123_456_789_123_456_789_123_456_789n);
    expect(ptfToWei(0)).toBe(0n);
    expect(ptfToWei('2.50')).toBe(2_500_000_000_000_000_000n);
  });

  it('reads numbers from their shortest text, exponents included', () => {
    expect(ptfToWei(1e-7)).toBe(100_000_000_000n); // String(1e-7) is "1e-7"
    expect(ptfToWei(1e21)).toBe(10n ** 39n);
    expect(ptfToWei('2.5e3')).toBe(2500n * WEI_PER_PTF);
    expect(ptfToWei('1e-18')).toBe(1n);
  });

  it('refuses what is not an exact amount, saying why', () => {
    expect(ptfProblem('1.0000000000000000001')).toMatch(/more than 18 decimals/);
    expect(ptfProblem('1e-19')).toMatch(/more than 18 decimals/);
    expect(ptfProblem('-1')).toBe('must not be negative');
    expect(ptfProblem('abc')).toMatch(/decimal number of PTF/);
    expect(ptfProblem('1,5')).toMatch(/decimal number of PTF/);
    expect(ptfProblem(Number.NaN)).toMatch(/decimal number of PTF/);
    expect(ptfProblem(Number.POSITIVE_INFINITY)).toMatch(/decimal number of PTF/);
    expect(ptfProblem('')).toMatch(/decimal number of PTF/);
    expect(ptfProblem('-0')).toBeNull();
    expect(ptfProblem('1.10000000000000000000')).toBeNull(); // trailing zeros are exact
    expect(() => ptfToWei('1.0000000000000000001')).toThrow(RangeError);
  });

  it('round-trips with formatPtf for any wei', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (wei) => {
        expect(ptfToWei(formatPtf(wei))).toBe(wei);
      }),
    );
  });
});

describe('formatPtf', () => {
  it('writes plain decimals without trailing zeros', () => {
    expect(formatPtf(1_500_000_000_000_000_000n)).toBe('1.5');
    expect(formatPtf(1n)).toBe('0.000000000000000001');
    expect(formatPtf(0n)).toBe('0');
    expect(formatPtf(-2n * WEI_PER_PTF)).toBe('-2');
    expect(formatPtf(1000n * WEI_PER_PTF)).toBe('1000');
  });
});

describe('multiplyWei', () => {
  it('is wei × measure rounded down to a whole wei', () => {
    expect(multiplyWei(WEI_PER_PTF, '12.34')).toBe(12_340_000_000_000_000_000n);
    expect(multiplyWei(WEI_PER_PTF, 7.5)).toBe(7_500_000_000_000_000_000n);
    expect(multiplyWei(3n, '0.5')).toBe(1n);
    expect(multiplyWei(WEI_PER_PTF / 3n, '3')).toBe(999_999_999_999_999_999n);
    expect(multiplyWei(WEI_PER_PTF, '0')).toBe(0n);
    expect(multiplyWei(WEI_PER_PTF, '-4')).toBe(0n);
    expect(multiplyWei(WEI_PER_PTF, 'ten')).toBeNull();
    expect(multiplyWei(WEI_PER_PTF, true)).toBeNull();
  });

  it('agrees with exact rational arithmetic', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 6 }),
        (perUnit, units, scale) => {
          const text = (Number(units) / 10 ** scale).toFixed(scale);
          const d = parseDecimal(text);
          if (!d) throw new Error(text);
          expect(multiplyWei(perUnit, text)).toBe(
            (perUnit * BigInt(text.replace('.', ''))) / 10n ** BigInt(scale),
          );
        },
      ),
    );
  });
});
