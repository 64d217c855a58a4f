import { z } from 'zod';
import { Hostname } from '../../auth/operator-schemas.ts';

export const MAX_REPORTED_REJECTIONS = 1000;

export const RejectedRow = z.object({
  line: z.int().describe('Line of the file; the header is line 1'),
  field: z.string().describe('The column at fault, or "row"'),
  message: z.string(),
});
export type RejectedRow = z.infer<typeof RejectedRow>;

export const ImportReport = z.object({
  kind: z.enum(['commissions', 'costs']),
  rows: z.int().describe('Data rows read from the file'),
  inserted: z.int(),
  updated: z.int().describe('Rows already imported whose status (commissions) or values (costs) changed'),
  unchanged: z.int().describe('Rows already imported exactly like this'),
  rejected: z.array(RejectedRow).describe(`The first ${MAX_REPORTED_REJECTIONS} rejected rows`),
  rejectedCount: z.int(),
  committed: z.boolean().describe('false: allOrNothing and some row was rejected, so nothing was imported'),
  ignoredColumns: z.array(z.string()).describe('Header columns that are not used'),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportKind = z.enum(['commissions', 'costs']);
export type ImportKind = z.infer<typeof ImportKind>;

export const ImportQuery = z.strictObject({
  domain: Hostname.optional().describe('Domain of rows whose domain column is empty or absent'),
  allOrNothing: z.stringbool().optional().describe('true: import nothing if any row is rejected'),
});
export type ImportQuery = z.infer<typeof ImportQuery>;

/** Counts outcomes into a report; rejections beyond the cap are counted, not listed. */
export class ReportBuilder {
  private readonly report: ImportReport;
  private readonly rejections: RejectedRow[] = [];

  constructor(kind: ImportKind, rows: number, ignoredColumns: string[]) {
    this.report = {
      kind,
      rows,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      rejected: [],
      rejectedCount: 0,
      committed: true,
      ignoredColumns,
    };
  }

  count(outcome: 'inserted' | 'updated' | 'unchanged'): void {
    this.report[outcome] += 1;
  }

  /** Takes back a count when the write turned out not to happen. */
  uncount(outcome: 'inserted' | 'updated' | 'unchanged'): void {
    this.report[outcome] -= 1;
  }

  reject(row: RejectedRow): void {
    this.rejections.push(row);
  }

  get rejectedCount(): number {
    return this.rejections.length;
  }

  build(): ImportReport {
    const sorted = [...this.rejections].sort((a, b) => a.line - b.line);
    return {
      ...this.report,
      rejected: sorted.slice(0, MAX_REPORTED_REJECTIONS),
      rejectedCount: sorted.length,
    };
  }

  /** allOrNothing with rejections: the transaction rolled back, so nothing was stored. */
  buildRolledBack(): ImportReport {
    return { ...this.build(), inserted: 0, updated: 0, unchanged: 0, committed: false };
  }
}
