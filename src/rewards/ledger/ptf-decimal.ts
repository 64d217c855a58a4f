/**
 * Exact decimal arithmetic for PTF amounts: every amount is an integer number of wei (18
 * decimals, ADR 0013), so decimals written in the portfolio file or sent to the API are converted
 * digit by digit, never through a float.
 */

import { ONE_PTF } from '../rules/token-constants.ts';

export const PTF_DECIMALS = 18;
export const WEI_PER_PTF = ONE_PTF;

/** value = sign × digits × 10^exponent, exactly. */
export interface ExactDecimal {
  negative: boolean;
  digits: bigint;
  exponent: number;
}

const DECIMAL_RE = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,4}))?$/;

/**
 * Reads a decimal written as text ("1.5", "12", "2.5e3") or a JSON/YAML number. A number is read
 * from its shortest round-trip text (String(n)), which is what was written for up to 15
 * significant digits; longer amounts must be written as strings.
 */
export function parseDecimal(value: unknown): ExactDecimal | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = String(value);
  } else if (typeof value === 'string') text = value.trim();
  else return null;
  const m = DECIMAL_RE.exec(text);
  if (!m) return null;
  const fraction = m[3] ?? '';
  return {
    negative: m[1] === '-' && /[1-9]/.test(`${m[2]}${fraction}`),
    digits: BigInt(`${m[2]}${fraction}`),
    exponent: Number(m[4] ?? 0) - fraction.length,
  };
}

/** floor(d × factor) for d ≥ 0; exact. */
function scaleFloor(d: ExactDecimal, factor: bigint): bigint {
  if (d.exponent >= 0) return d.digits * factor * 10n ** BigInt(d.exponent);
  return (d.digits * factor) / 10n ** BigInt(-d.exponent);
}

/** Why a value is not an amount of PTF, or null: a decimal ≥ 0 with at most 18 decimals. */
export function ptfProblem(value: unknown): string | null {
  const d = parseDecimal(value);
  if (!d) return 'must be a decimal number of PTF, like 1.5 or "0.25"';
  if (d.negative) return 'must not be negative';
  if (d.exponent < -PTF_DECIMALS && d.digits % 10n ** BigInt(-PTF_DECIMALS - d.exponent) !== 0n)
    return 'has more than 18 decimals (the smallest amount is 0.000000000000000001 PTF, one wei)';
  return null;
}

/** An amount of PTF ("1.5" or 1.5) as wei (1500000000000000000n); throws on anything inexact. */
export function ptfToWei(value: string | number): bigint {
  const problem = ptfProblem(value);
  if (problem) throw new RangeError(`${JSON.stringify(value)} ${problem}`);
  return scaleFloor(parseDecimal(value) as ExactDecimal, WEI_PER_PTF);
}

/**
 * wei × measure, rounded down to a whole wei: a reward of `perUnitWei` per unit of a measure such
 * as 12.34 (€) or 7.5 (km). Null when the measure is not a number; 0n when it is ≤ 0.
 */
export function multiplyWei(perUnitWei: bigint, measure: unknown): bigint | null {
  const d = parseDecimal(measure);
  if (!d) return null;
  if (d.negative) return 0n;
  return scaleFloor(d, perUnitWei);
}

/** wei as a plain decimal of PTF without trailing zeros: 1500000000000000000n → "1.5". */
export function formatPtf(wei: bigint): string {
  const negative = wei < 0n;
  const abs = negative ? -wei : wei;
  const whole = abs / WEI_PER_PTF;
  const fraction = (abs % WEI_PER_PTF).toString().padStart(PTF_DECIMALS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
