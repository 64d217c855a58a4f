import { createHash } from 'node:crypto';
import {
  type Cell,
  cellFailure,
  parseAmountCell,
  parseCurrencyCell,
  parseDateCell,
  parseDomainCell,
  parseEnumCell,
  parseTextCell,
  type RowResult,
} from './csv-fields.ts';
import type { CsvColumns, CsvRow } from './read-csv.ts';

export const COST_COLUMNS: CsvColumns = {
  required: ['date', 'category', 'amount', 'currency'],
  optional: ['domain', 'description', 'external_id', 'channel'],
};

export const COST_CATEGORIES = [
  'infrastructure',
  'marketing',
  'tools',
  'team',
  'cogs',
  'ai',
  'other',
] as const;

export interface Cost {
  /** null: a portfolio-wide cost. */
  host: string | null;
  category: (typeof COST_CATEGORIES)[number];
  /** Signed: a credit note is negative. */
  amountCents: bigint;
  currency: string;
  day: string;
  description: string | null;
  externalId: string | null;
  /** Acquisition channel a marketing cost paid for (CAC per channel); null: not attributed. */
  channel: string | null;
}

/** One row of a costs file → a cost, or the first column at fault. */
export function parseCostRow(row: CsvRow, defaultHost: string | null, now: Date): RowResult<Cost> {
  if (row.problem) return { ok: false, field: 'row', message: row.problem };
  const v = row.values;
  const fail = (field: string, cell: Cell<unknown>) => cellFailure<Cost>(field, cell);
  const date = parseDateCell(v.date ?? '', now);
  if (!date.ok) return fail('date', date);
  const domain = parseDomainCell(v.domain ?? '', defaultHost);
  if (!domain.ok) return fail('domain', domain);
  const category = parseEnumCell(v.category ?? '', COST_CATEGORIES);
  if (!category.ok) return fail('category', category);
  const amount = parseAmountCell(v.amount ?? '');
  if (!amount.ok) return fail('amount', amount);
  const currency = parseCurrencyCell(v.currency ?? '');
  if (!currency.ok) return fail('currency', currency);
  const description = parseTextCell(v.description ?? '', { max: 500 });
  if (!description.ok) return fail('description', description);
  const externalId = parseTextCell(v.external_id ?? '', { max: 200 });
  if (!externalId.ok) return fail('external_id', externalId);
  const channel = parseTextCell(v.channel ?? '', { max: 100 });
  if (!channel.ok) return fail('channel', channel);
  return {
    ok: true,
    value: {
      host: domain.value,
      category: category.value,
      amountCents: amount.value,
      currency: currency.value,
      day: date.value.day,
      description: description.value,
      externalId: externalId.value,
      channel: channel.value,
    },
  };
}

/**
 * The id of a cost row that has no external_id: a hash of its content plus how many identical
 * rows came before it in the file. Importing the same file again finds the same ids (unchanged),
 * and two identical charges on one day stay two costs. Editing such a row makes it a new cost.
 */
export function derivedCostIds(costs: readonly Cost[]): string[] {
  const seen = new Map<string, number>();
  return costs.map((c) => {
    const digest = createHash('sha256')
      .update(
        JSON.stringify([
          c.day,
          c.host,
          c.category,
          c.amountCents.toString(),
          c.currency,
          c.description,
          // Only when set: files written before the channel column keep their ids.
          ...(c.channel === null ? [] : [c.channel]),
        ]),
      )
      .digest('hex')
      .slice(0, 32);
    const occurrence = seen.get(digest) ?? 0;
    seen.set(digest, occurrence + 1);
    return `row:${digest}:${occurrence}`;
  });
}
