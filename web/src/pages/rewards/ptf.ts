// PTF amounts as the rewards API sends them ({ ptf: "1.5", wei: "1500000000000000000" }): sums
// are exact in wei (bigint), text is grouped, and a figure is a float only to draw it.

import type { RewardsSummaryOut } from '../../../../src/rewards/ledger/api-schemas.ts';
import type { RelayerOverviewOut, TokenOverviewOut } from '../../../../src/rewards/token-api-schemas.ts';

export type { RelayerOverviewOut, RewardsSummaryOut, TokenOverviewOut };
export type Amount = RewardsSummaryOut['totals']['issued'];

const WEI_PER_PTF = 10n ** 18n;

/** Exact PTF text of a wei amount: "1.5", "-2", "0.000001". */
export function ptfOfWei(wei: bigint): string {
  const negative = wei < 0n;
  const abs = negative ? -wei : wei;
  const fraction = (abs % WEI_PER_PTF).toString().padStart(18, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${abs / WEI_PER_PTF}${fraction ? `.${fraction}` : ''}`;
}

export function sumWei(amounts: Amount[]): bigint {
  return amounts.reduce((s, a) => s + BigInt(a.wei), 0n);
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 2 });

/**
 * "1234567.891" → "1,234,567.89": digits grouped, the fraction cut (never rounded up) to `decimals`;
 * with `compact`, amounts of a million and more as "200M".
 */
export function formatPtf(ptf: string, options: { decimals?: number; compact?: boolean } = {}): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(ptf);
  if (!m) return ptf;
  const [, sign, whole = '0', fraction = ''] = m;
  if (options.compact && whole.length > 6) return `${sign}${compact.format(Number(`${whole}.${fraction}`))}`;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cut = fraction.slice(0, options.decimals ?? 2).replace(/0+$/, '');
  return `${sign}${grouped}${cut ? `.${cut}` : ''}`;
}

/** For charts and proportions only. */
export function ptfNumber(a: Amount | string): number {
  return Number(typeof a === 'string' ? a : a.ptf);
}

/** A 0x… hash or address shortened for a table cell: 0x1234…abcd. */
export function shortHex(hex: string | null): string {
  if (!hex) return '—';
  return hex.length > 14 ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : hex;
}

export const when = (iso: string) =>
  new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
