import { parseArgs } from 'node:util';
import { formatProblem, loadPortfolioFile } from './load-portfolio.ts';

/** Each call writes one line (the caller adds the newline). */
export interface CheckIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = [
  'Usage: portfolio-os check FILE [FILE…]',
  '',
  'Validates portfolio files without touching the database. Prints every problem as',
  '  FILE:LINE:COL field.path: message',
  '',
  'Exit codes: 0 all files valid, 1 some file invalid, 2 usage error.',
  '',
  'Options:',
  '  -h, --help   show this help',
].join('\n');

/** `portfolio-os check FILE [FILE…]`: returns 0 when every file is valid, 1 when one is not, 2 on misuse. */
export async function runCheck(args: string[], io: CheckIo): Promise<number> {
  let files: string[];
  let help: boolean | undefined;
  try {
    const parsed = parseArgs({
      args,
      options: { help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    files = parsed.positionals;
    help = parsed.values.help;
  } catch (err) {
    // Node's message for an unknown flag is long and about positionals; say only what is wrong.
    const unknown = /^Unknown option '([^']+)'/.exec((err as Error).message);
    io.err(
      `portfolio-os check: ${unknown ? `unknown option "${unknown[1]}"` : (err as Error).message}\n\n${USAGE}`,
    );
    return 2;
  }
  if (help) {
    io.out(USAGE);
    return 0;
  }
  if (files.length === 0) {
    io.err(`portfolio-os check: no file given\n\n${USAGE}`);
    return 2;
  }

  let failed = false;
  for (const file of files) {
    const result = await loadPortfolioFile(file);
    if (result.ok) {
      const p = result.portfolio;
      const kpis = p.kpis.reduce((n, c) => n + c.metrics.length + c.derivedMetrics.length, 0);
      io.out(
        `${file}: ok (${p.domains.length} domains, ${p.revenueStreams.length} revenue streams, ${kpis} KPIs, ${p.risks.length} risks)`,
      );
    } else {
      failed = true;
      for (const problem of result.problems) io.err(formatProblem(problem));
      io.err(`${file}: ${result.problems.length} problem(s)`);
    }
  }
  return failed ? 1 : 0;
}
