import { join } from 'node:path';
import { loadSettings } from '../config/settings.ts';
import { archiveEvents } from '../metrics/rollups/archive-events.ts';
import { refreshRollups } from '../metrics/rollups/refresh-rollups.ts';
import { type CliIo, DATABASE_HELP, DATABASE_OPTIONS, EXIT, parseCommandArgs, UsageError } from './cli-io.ts';
import { withDatabase } from './with-database.ts';

const HELP = [
  'Usage: portfolio-os rollup [--archive] [--retention-days N] [options]',
  '',
  'Folds events not yet counted into the rollups the dashboards read (the server does this every',
  'ROLLUP_INTERVAL_SECONDS). Safe to run at any time and more than once: every event counts once.',
  '',
  'Options:',
  '  --archive             then archive raw events older than the retention (gzip NDJSON in',
  '                        DATA_DIR/archive) once they are counted; figures do not change',
  '  --retention-days N    days of raw events to keep (default RETENTION_DAYS, 90)',
  ...DATABASE_HELP,
].join('\n');

export async function runRollup(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    archive: { type: 'boolean' },
    'retention-days': { type: 'string' },
    ...DATABASE_OPTIONS,
  });
  if (values.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const settings = loadSettings(process.env, {
    dataDir: values.data,
    databaseUrl: values['database-url'],
    retentionDays: values['retention-days'],
  });
  return withDatabase(values, async ({ db, now }) => {
    const refresh = await refreshRollups(db, { now });
    io.out(`folded ${refresh.events} event(s) into the rollups in ${Math.round(refresh.ms)} ms`);
    if (values.archive) {
      if (settings.retentionDays === 0) throw new UsageError('--archive needs a retention above 0 days');
      const archived = await archiveEvents(db, {
        retentionDays: settings.retentionDays,
        now,
        archiveDir: join(settings.dataDir, 'archive'),
      });
      io.out(`archived ${archived.events} raw event(s) older than ${settings.retentionDays} days`);
    }
    return EXIT.ok;
  });
}
