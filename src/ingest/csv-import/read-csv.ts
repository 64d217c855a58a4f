import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { AppError } from '../../shared/app-error.ts';

export const MAX_CSV_BYTES = 20 * 1024 * 1024;
export const MAX_CSV_ROWS = 100_000;
const CHUNK_BYTES = 64 * 1024;

export type CsvSource = string | Buffer | AsyncIterable<Buffer | string>;

export interface CsvColumns {
  required: readonly string[];
  optional: readonly string[];
}

export interface CsvRow {
  /** Line of the file where the record starts; the header is line 1. */
  line: number;
  values: Record<string, string>;
  /** Set when the record cannot be read as a row (wrong number of fields). */
  problem: string | null;
}

export interface CsvTable {
  rows: CsvRow[];
  /** Header names we do not use: reported, so a misspelt optional column does not go unnoticed. */
  ignoredColumns: string[];
}

/** `External ID` → `external_id`: header names are matched case- and spacing-insensitively. */
export function normaliseHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * Reads a CSV file into rows keyed by normalised header name. Tolerates a BOM, CRLF, `;` or tab
 * delimiters (detected from the header line) and blank lines. File-level problems (too big, no
 * header, a required column missing, broken quoting) throw; row-level ones are kept on the row.
 */
export async function readCsv(source: CsvSource, columns: CsvColumns): Promise<CsvTable> {
  const bytes = await collect(source);
  const parser = Readable.from(chunks(bytes)).pipe(
    parse({
      bom: true,
      delimiter: detectDelimiter(bytes),
      info: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }),
  );
  let header: string[] | null = null;
  const rows: CsvRow[] = [];
  try {
    for await (const { record, raw, info } of parser as AsyncIterable<{
      record: string[];
      raw: string;
      info: { lines: number };
    }>) {
      if (record.every((v) => v === '')) continue;
      if (!header) {
        header = checkHeader(record, columns);
        continue;
      }
      if (rows.length >= MAX_CSV_ROWS) {
        throw new AppError(
          'invalid_request',
          `the file has more than ${MAX_CSV_ROWS} rows; split it`,
          'body',
        );
      }
      rows.push(toRow(header, record, startLine(info.lines, raw)));
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('invalid_request', `not readable as CSV: ${(err as Error).message}`, 'body');
  }
  if (!header) throw new AppError('invalid_request', 'the file is empty: expected a header line', 'body');
  const known = new Set([...columns.required, ...columns.optional]);
  return { rows, ignoredColumns: header.filter((h) => h !== '' && !known.has(h)) };
}

async function collect(source: CsvSource): Promise<Buffer> {
  if (typeof source === 'string' || Buffer.isBuffer(source)) {
    const bytes = typeof source === 'string' ? Buffer.from(source) : source;
    if (bytes.length > MAX_CSV_BYTES) throw tooBig();
    return bytes;
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of source) {
    const bytes = typeof part === 'string' ? Buffer.from(part) : part;
    size += bytes.length;
    if (size > MAX_CSV_BYTES) {
      if (source instanceof Readable) source.destroy(); // release the file now, not at exit
      throw tooBig();
    }
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}

function tooBig(): AppError {
  return new AppError(
    'invalid_request',
    `the file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB; split it`,
    'body',
  );
}

function* chunks(bytes: Buffer): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) yield bytes.subarray(i, i + CHUNK_BYTES);
}

/** The delimiter used most often in the first line, outside quotes: `,`, `;` or tab. */
export function detectDelimiter(bytes: Buffer): string {
  const firstLine = bytes.subarray(0, Math.min(bytes.length, 4096)).toString('utf8').split(/\r?\n/)[0] ?? '';
  const counts = new Map([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) as number) + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > (counts.get(best) as number)) best = delimiter;
  return best;
}

function checkHeader(record: string[], columns: CsvColumns): string[] {
  const header = record.map(normaliseHeader);
  const seen = new Set<string>();
  for (const name of header) {
    if (name && seen.has(name))
      throw new AppError('invalid_request', `the header names column "${name}" twice`, 'body');
    seen.add(name);
  }
  const missing = columns.required.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new AppError(
      'invalid_request',
      `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        `(the header has: ${header.filter(Boolean).join(', ') || 'nothing'}; expected ` +
        `${columns.required.join(', ')}, optionally ${columns.optional.join(', ')})`,
      'body',
    );
  }
  return header;
}

function toRow(header: readonly string[], record: readonly string[], line: number): CsvRow {
  const values: Record<string, string> = {};
  header.forEach((name, i) => {
    if (name) values[name] = record[i] ?? '';
  });
  const problem =
    record.length === header.length
      ? null
      : `expected ${header.length} fields like the header, found ${record.length}`;
  return { line, values, problem };
}

/** csv-parse counts the line a record ends on; a quoted field may span lines, blank lines precede. */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/\r?\n$/, '');
  const newlines = body.match(/\n/g)?.length ?? 0;
  return endLine - newlines;
}
