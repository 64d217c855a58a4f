import { requireServerWriter } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import {
  type RejectedField,
  type RevenueEntry,
  writeRevenueEntries,
} from '../revenue/write-revenue-entries.ts';
import { COMMISSION_COLUMNS, type Commission, parseCommissionRow } from './commission-rows.ts';
import { type ImportReport, ReportBuilder } from './import-report.ts';
import { importScope, inImportTransaction } from './import-scope.ts';
import { type CsvSource, readCsv } from './read-csv.ts';

export interface ImportInput {
  csv: CsvSource;
  /** Domain of rows with an empty (or no) domain column. */
  domain?: string | undefined;
  allOrNothing: boolean;
}

// The revenue writer names API fields; the report names the file's columns.
const COLUMN_OF: Record<RejectedField, string> = {
  kind: 'external_id',
  amount: 'amount',
  currency: 'currency',
  status: 'status',
  userId: 'row',
  externalId: 'external_id',
};

/**
 * Imports affiliate commissions as revenue rows (kind affiliate, source = network), idempotent
 * on (domain, network, external_id): importing the file again changes nothing, and a later export
 * moves statuses forward (pending → approved → paid, or reversed).
 */
export async function importCommissions({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ImportInput;
}): Promise<ImportReport> {
  requireServerWriter(ctx.actor);
  const table = await readCsv(input.csv, COMMISSION_COLUMNS);
  const report = new ReportBuilder('commissions', table.rows.length, table.ignoredColumns);
  return inImportTransaction(ctx, { allOrNothing: input.allOrNothing, report }, async (tx) => {
    const scope = await importScope(tx, ctx, input.domain);
    const parsed: { line: number; commission: Commission }[] = [];
    for (const row of table.rows) {
      const result = parseCommissionRow(row, scope.defaultHost, ctx.now);
      if (result.ok) parsed.push({ line: row.line, commission: result.value });
      else report.reject({ line: row.line, field: result.field, message: result.message });
    }
    const resolve = await scope.resolver([...new Set(parsed.map((p) => p.commission.host))]);
    const lines: number[] = [];
    const entries: RevenueEntry[] = [];
    for (const { line, commission: c } of parsed) {
      const domain = resolve(c.host);
      if ('problem' in domain) {
        report.reject({ line, field: 'domain', message: domain.problem });
        continue;
      }
      lines.push(line);
      entries.push({
        domainId: domain.id,
        source: c.network,
        externalId: c.externalId,
        kind: 'affiliate',
        amountCents: c.amountCents,
        currency: c.currency,
        occurredAt: c.occurredAt,
        status: c.status,
        userId: null,
        email: null,
        stream: null,
        chain: null,
        transactionHash: null,
        metadata: {
          importedFrom: 'csv',
          ...(c.program ? { program: c.program } : {}),
          ...(c.note ? { note: c.note } : {}),
        },
      });
    }
    const outcomes = await writeRevenueEntries(tx, entries);
    outcomes.forEach((outcome, i) => {
      const line = lines[i] as number;
      if (outcome.result === 'created') report.count('inserted');
      else if (outcome.result === 'updated') report.count('updated');
      else if (outcome.result === 'duplicate') report.count('unchanged');
      else report.reject({ line, field: COLUMN_OF[outcome.field], message: outcome.message });
    });
  });
}
