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

export const COMMISSION_COLUMNS: CsvColumns = {
  required: ['date', 'network', 'external_id', 'amount', 'currency', 'status'],
  optional: ['domain', 'program', 'note'],
};

export const COMMISSION_STATUSES = ['pending', 'approved', 'paid', 'reversed'] as const;

export interface Commission {
  host: string;
  /** The network, lower-cased: the revenue row's source, part of its idempotency key. */
  network: string;
  externalId: string;
  amountCents: bigint;
  currency: string;
  status: (typeof COMMISSION_STATUSES)[number];
  occurredAt: Date;
  program: string | null;
  note: string | null;
}

const NETWORK = /^[a-z0-9][a-z0-9 ._:-]{0,49}$/;

/** One row of a commissions file → a commission, or the first column at fault. */
export function parseCommissionRow(
  row: CsvRow,
  defaultHost: string | null,
  now: Date,
): RowResult<Commission> {
  if (row.problem) return { ok: false, field: 'row', message: row.problem };
  const v = row.values;
  const fail = (field: string, cell: Cell<unknown>) => cellFailure<Commission>(field, cell);

  const date = parseDateCell(v.date ?? '', now);
  if (!date.ok) return fail('date', date);
  const domain = parseDomainCell(v.domain ?? '', defaultHost);
  if (!domain.ok) return fail('domain', domain);
  if (!domain.value) {
    return { ok: false, field: 'domain', message: 'no domain: fill the domain column or pass --domain' };
  }
  const network = (v.network ?? '').toLowerCase();
  if (!NETWORK.test(network)) {
    return { ok: false, field: 'network', message: 'must be 1-50 letters, digits, spaces or . _ : -' };
  }
  const externalId = parseTextCell(v.external_id ?? '', { max: 200, required: true });
  if (!externalId.ok) return fail('external_id', externalId);
  const amount = parseAmountCell(v.amount ?? '');
  if (!amount.ok) return fail('amount', amount);
  if (amount.value < 0n) {
    return {
      ok: false,
      field: 'amount',
      message: 'must not be negative: a cancelled commission keeps its amount with status reversed',
    };
  }
  const currency = parseCurrencyCell(v.currency ?? '');
  if (!currency.ok) return fail('currency', currency);
  const status = parseEnumCell(v.status ?? '', COMMISSION_STATUSES);
  if (!status.ok) return fail('status', status);
  const program = parseTextCell(v.program ?? '', { max: 200 });
  if (!program.ok) return fail('program', program);
  const note = parseTextCell(v.note ?? '', { max: 1000 });
  if (!note.ok) return fail('note', note);

  return {
    ok: true,
    value: {
      host: domain.value,
      network,
      externalId: externalId.value as string,
      amountCents: amount.value,
      currency: currency.value,
      status: status.value,
      occurredAt: date.value.at,
      program: program.value,
      note: note.value,
    },
  };
}
