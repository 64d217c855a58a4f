import { runCheck } from '../config/check-command.ts';
import { SettingsError } from '../config/settings.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { SchemaMismatchError } from '../db/migrate.ts';
import { DbError } from '../db/types.ts';
import { runDemoCommand } from '../demo/demo-command.ts';
import { StartupError } from '../server/start-server.ts';
import { VERSION } from '../server/version.ts';
import { AppError } from '../shared/app-error.ts';
import { type CliIo, EXIT, processIo, UsageError } from './cli-io.ts';
import { runImport } from './import-command.ts';
import { runKeys } from './keys-command.ts';
import { runMigrate } from './migrate-command.ts';
import { runOperators } from './operators-command.ts';
import { runRollup } from './rollup-command.ts';
import { runStart } from './start-command.ts';
import { runToken } from './token-command.ts';

const COMMANDS: Record<string, { summary: string; run: (args: string[], io: CliIo) => Promise<number> }> = {
  start: { summary: 'start the server (HTTP API, ingestion, jobs)', run: runStart },
  migrate: { summary: 'apply pending database migrations (idempotent)', run: runMigrate },
  check: { summary: 'validate portfolio files; prints FILE:LINE:COL field.path: message', run: runCheck },
  keys: { summary: 'create, list and revoke domain API keys', run: runKeys },
  operators: { summary: 'add, list and remove operator accounts', run: runOperators },
  import: { summary: 'import affiliate commissions or costs from a CSV file', run: runImport },
  rollup: {
    summary: 'fold new events into the rollups; --archive removes counted raw events',
    run: runRollup,
  },
  token: {
    summary: 'deploy the rewards token, show its status, reconcile it with the ledger',
    run: runToken,
  },
  demo: { summary: 'send realistic demo activity and revenue through the public APIs', run: runDemoCommand },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'Usage: portfolio-os <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `portfolio-os <command> --help` for the options of a command.',
    'Environment variables are listed in README.md (PORT, DATA_DIR, DATABASE_URL, PORTFOLIO_FILE, OWNER_TOKEN, …).',
  ].join('\n');
}

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 failure, 2 usage error. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`portfolio-os: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`portfolio-os ${name}: ${err.message}\nRun \`portfolio-os ${name} --help\` for usage.`);
      return EXIT.usage;
    }
    if (
      err instanceof SettingsError ||
      err instanceof DataDirLockedError ||
      err instanceof SchemaMismatchError ||
      err instanceof StartupError
    ) {
      io.err(`portfolio-os ${name}: ${err.message}`);
      return EXIT.failure;
    }
    if (err instanceof AppError) {
      io.err(`portfolio-os ${name}: ${err.message}${err.field ? ` (${err.field})` : ''}`);
      return EXIT.failure;
    }
    if (err instanceof DbError) {
      io.err(`portfolio-os ${name}: database error: ${err.message}${err.detail ? ` (${err.detail})` : ''}`);
      return EXIT.failure;
    }
    io.err(`portfolio-os ${name}: ${(err as Error).stack ?? String(err)}`);
    return EXIT.failure;
  }
}
