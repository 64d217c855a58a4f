import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { Hostname } from '../auth/operator-schemas.ts';
import { importCommissions } from '../ingest/csv-import/import-commissions.ts';
import { importCosts } from '../ingest/csv-import/import-costs.ts';
import { ImportKind, type ImportReport } from '../ingest/csv-import/import-report.ts';
import { MAX_CSV_BYTES } from '../ingest/csv-import/read-csv.ts';
import { AppError } from '../shared/app-error.ts';
import { type CliIo, DATABASE_HELP, DATABASE_OPTIONS, EXIT, parseCommandArgs, UsageError } from './cli-io.ts';
import { parseInput } from './parse-input.ts';
import { withDatabase } from './with-database.ts';

const HELP = [
  'Usage:',
  '  portfolio-os import commissions FILE [--domain HOST] [--all-or-nothing] [--json]',
  '  portfolio-os import costs FILE [--domain HOST] [--all-or-nothing] [--json]',
  '',
  'Imports a CSV file (at most 100,000 rows and 20 MB; header names are case-insensitive; , ; or tab).',
  '  commissions: date, network, external_id, amount, currency, status (pending|approved|paid|reversed)',
  '               optional: domain, program, note. Importing again updates statuses, never amounts.',
  '  costs:       date, category (infrastructure|marketing|tools|team|cogs|ai|other), amount, currency',
  '               optional: domain (empty: portfolio-wide), description, external_id.',
  'Every row is checked; rejected rows are listed as FILE:LINE field: message (the header is line 1).',
  'Exit code 1 when any row was rejected. Examples: examples/commissions.csv, examples/costs.csv',
  '',
  'Options:',
  '  --domain HOST         domain of rows whose domain column is empty (or absent)',
  '  --all-or-nothing      import nothing if any row is rejected',
  '  --json                print the report as JSON',
  ...DATABASE_HELP,
].join('\n');

const ImportFlags = z.object({ domain: Hostname.optional() });

export async function runImport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    domain: { type: 'string' },
    'all-or-nothing': { type: 'boolean' },
    json: { type: 'boolean' },
    ...DATABASE_OPTIONS,
  });
  const [kindArg, file, ...rest] = positionals;
  if (values.help || !kindArg) {
    io.out(HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const kind = ImportKind.safeParse(kindArg);
  if (!kind.success) throw new UsageError(`unknown import "${kindArg}" (commissions or costs)`);
  if (!file) throw new UsageError(`import ${kind.data} needs a FILE`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const { domain } = parseInput(ImportFlags, { domain: values.domain });
  await checkFile(file);

  const report = await withDatabase(values, (ctx) => {
    const input = { csv: createReadStream(file), domain, allOrNothing: values['all-or-nothing'] ?? false };
    return kind.data === 'commissions' ? importCommissions({ ctx, input }) : importCosts({ ctx, input });
  });
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else printReport(report, file, io);
  return report.rejectedCount === 0 ? EXIT.ok : EXIT.failure;
}

async function checkFile(file: string): Promise<void> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch (err) {
    throw new AppError('invalid_request', `cannot read ${file}: ${(err as Error).message}`);
  }
  if (size > MAX_CSV_BYTES) {
    throw new AppError(
      'invalid_request',
      `${file} is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB; split it`,
    );
  }
}

function printReport(report: ImportReport, file: string, io: CliIo): void {
  for (const r of report.rejected) io.err(`${file}:${r.line} ${r.field}: ${r.message}`);
  if (report.rejectedCount > report.rejected.length) {
    io.err(`… and ${report.rejectedCount - report.rejected.length} more rejected rows`);
  }
  if (report.ignoredColumns.length > 0) io.err(`ignored columns: ${report.ignoredColumns.join(', ')}`);
  const counts = `${report.inserted} inserted, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejectedCount} rejected`;
  if (report.committed) io.out(`${report.kind} from ${file}: ${report.rows} rows — ${counts}`);
  else
    io.out(
      `${report.kind} from ${file}: ${report.rows} rows, ${report.rejectedCount} rejected — nothing imported (--all-or-nothing)`,
    );
}
