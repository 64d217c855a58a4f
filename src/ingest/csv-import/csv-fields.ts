import { Hostname } from '../../auth/operator-schemas.ts';
import { parseAmount } from '../revenue/money.ts';

// Cell parsers shared by the importers: each returns a value or the message for the rejected row.

export type Cell<T> = { ok: true; value: T } | { ok: false; message: string };

/** A parsed row, or the first column at fault. */
export type RowResult<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** The row-level failure for a cell that did not parse. */
export function cellFailure<T>(field: string, cell: Cell<unknown>): RowResult<T> {
  return { ok: false, field, message: cell.ok ? 'invalid' : cell.message };
}

const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const EARLIEST = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/**
 * `2026-01-31`, `2026-01-31T14:05:00Z`, `2026-01-31 14:05` (no offset: UTC). Not before 2000 and
 * not after tomorrow (time zones). `day` is the UTC calendar day.
 */
export function parseDateCell(text: string, now: Date): Cell<{ at: Date; day: string }> {
  const match = DATE.exec(text);
  const invalid = { ok: false as const, message: 'must be a date like 2026-01-31 or 2026-01-31T14:05:00Z' };
  if (!match) return invalid;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', offset] = match;
  const ms = fraction.slice(0, 4); // '.123456' → '.123'
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset ? normaliseOffset(offset) : 'Z'}`);
  // Some engines roll 2026-02-30 over to March; a real date reads back as the same day.
  const midnight = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  if (Number.isNaN(at.getTime()) || Number.isNaN(midnight.getTime())) return invalid;
  if (!midnight.toISOString().startsWith(`${y}-${mo}-${d}`)) return invalid;
  if (at.getTime() < EARLIEST || at.getTime() > now.getTime() + DAY_MS) {
    return { ok: false, message: 'must be between 2000-01-01 and tomorrow' };
  }
  return { ok: true, value: { at, day: at.toISOString().slice(0, 10) } };
}

function normaliseOffset(offset: string): string {
  if (offset === 'Z') return 'Z';
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}

export function parseAmountCell(text: string): Cell<bigint> {
  if (text === '') return { ok: false, message: 'is required' };
  const parsed = parseAmount(text);
  return parsed.ok ? { ok: true, value: parsed.cents } : { ok: false, message: parsed.message };
}

export function parseCurrencyCell(text: string): Cell<string> {
  return /^[A-Za-z]{3}$/.test(text)
    ? { ok: true, value: text.toUpperCase() }
    : { ok: false, message: 'must be an ISO 4217 code like EUR' };
}

/** An empty cell falls back to the import's --domain; null means none was given. */
export function parseDomainCell(text: string, fallback: string | null): Cell<string | null> {
  if (text === '') return { ok: true, value: fallback };
  const parsed = Hostname.safeParse(text);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: 'must be a hostname like example.com' };
}

export function parseTextCell(
  text: string,
  options: { max: number; required?: boolean },
): Cell<string | null> {
  if (text === '')
    return options.required ? { ok: false, message: 'is required' } : { ok: true, value: null };
  if (text.length > options.max) return { ok: false, message: `must be at most ${options.max} characters` };
  return { ok: true, value: text };
}

export function parseEnumCell<T extends string>(text: string, allowed: readonly T[]): Cell<T> {
  const value = text.toLowerCase() as T;
  return allowed.includes(value)
    ? { ok: true, value }
    : { ok: false, message: `must be one of ${allowed.join(', ')}` };
}
