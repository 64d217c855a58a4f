import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/app-error.ts';
import {
  type CsvColumns,
  detectDelimiter,
  MAX_CSV_BYTES,
  MAX_CSV_ROWS,
  normaliseHeader,
  readCsv,
} from './read-csv.ts';

const COLUMNS: CsvColumns = { required: ['date', 'amount'], optional: ['external_id', 'note'] };

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('readCsv', () => {
  it('reads rows keyed by header, numbering lines from the header as line 1', async () => {
    const { rows, ignoredColumns } = await readCsv('date,amount\n2026-01-01,5\n2026-01-02,6\n', COLUMNS);
    expect(rows).toEqual([
      { line: 2, values: { date: '2026-01-01', amount: '5' }, problem: null },
      { line: 3, values: { date: '2026-01-02', amount: '6' }, problem: null },
    ]);
    expect(ignoredColumns).toEqual([]);
  });

  it('matches headers case- and spacing-insensitively, and tolerates a BOM and CRLF', async () => {
    const { rows } = await readCsv('\uFEFFDATE, Amount ,External ID\r\n2026-01-01,5,x-1\r\n', COLUMNS);
    expect(rows[0]?.values).toEqual({ date: '2026-01-01', amount: '5', external_id: 'x-1' });
    expect(normaliseHeader(' External-ID ')).toBe('external_id');
  });

  it('keeps line numbers true across blank lines and quoted fields spanning lines', async () => {
    const text = 'date,amount,note\n2026-01-01,1,"two\nlines"\n\n2026-01-02,2,x\n';
    const { rows } = await readCsv(text, COLUMNS);
    expect(rows.map((r) => r.line)).toEqual([2, 5]);
    expect(rows[0]?.values.note).toBe('two\nlines');
  });

  it('detects ; and tab delimiters from the header line', async () => {
    expect((await readCsv('date;amount\n2026-01-01;1,50\n', COLUMNS)).rows[0]?.values.amount).toBe('1,50');
    expect((await readCsv('date\tamount\n2026-01-01\t2\n', COLUMNS)).rows[0]?.values.amount).toBe('2');
    expect(detectDelimiter(Buffer.from('"a;b",c\n'))).toBe(',');
  });

  it('flags a row with the wrong number of fields on the row itself', async () => {
    const { rows } = await readCsv('date,amount\n2026-01-01\n2026-01-02,2,extra\n', COLUMNS);
    expect(rows.map((r) => r.problem)).toEqual([
      'expected 2 fields like the header, found 1',
      'expected 2 fields like the header, found 3',
    ]);
  });

  it('reports unused columns', async () => {
    const { ignoredColumns } = await readCsv('date,amount,colour\n', COLUMNS);
    expect(ignoredColumns).toEqual(['colour']);
  });

  it('names every missing required column and what the header has', async () => {
    const err = await failure(
      readCsv('Date,Note\n2026-01-01,x\n', { required: ['date', 'amount', 'currency'], optional: [] }),
    );
    expect(err.message).toMatch(/missing required columns amount, currency \(the header has: date, note/);
    expect(err.field).toBe('body');
  });

  it('refuses an empty file, a repeated column and broken quoting', async () => {
    expect((await failure(readCsv('', COLUMNS))).message).toMatch(/empty/);
    expect((await failure(readCsv('\n\n', COLUMNS))).message).toMatch(/empty/);
    expect((await failure(readCsv('date,amount,Date\n', COLUMNS))).message).toMatch(/"date" twice/);
    expect((await failure(readCsv('date,amount\n2026-01-01,"5\n', COLUMNS))).message).toMatch(
      /not readable as CSV.*Quote Not Closed/,
    );
  });

  it('refuses more than 100,000 rows and more than 20 MB', async () => {
    const many = `date,amount\n${'2026-01-01,1\n'.repeat(MAX_CSV_ROWS + 1)}`;
    expect((await failure(readCsv(many, COLUMNS))).message).toMatch(/more than 100000 rows/);
    const exactly = `date,amount\n${'2026-01-01,1\n'.repeat(MAX_CSV_ROWS)}`;
    expect((await readCsv(exactly, COLUMNS)).rows).toHaveLength(MAX_CSV_ROWS);
    const big = Buffer.alloc(MAX_CSV_BYTES + 1, 'a');
    expect((await failure(readCsv(big, COLUMNS))).message).toMatch(/larger than 20 MB/);
    const stream = Readable.from([
      Buffer.alloc(MAX_CSV_BYTES / 2, 'a'),
      Buffer.alloc(MAX_CSV_BYTES / 2 + 1, 'a'),
    ]);
    expect((await failure(readCsv(stream, COLUMNS))).message).toMatch(/larger than 20 MB/);
  });

  it('reads a stream whose chunks split a multi-byte character', async () => {
    const bytes = Buffer.from('date,amount,note\n2026-01-01,1,café ☕\n');
    const split = bytes.indexOf(Buffer.from('☕')) + 1;
    const { rows } = await readCsv(Readable.from([bytes.subarray(0, split), bytes.subarray(split)]), COLUMNS);
    expect(rows[0]?.values.note).toBe('café ☕');
  });
});
