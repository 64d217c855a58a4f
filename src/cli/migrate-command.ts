import { migrate, migrationStatus } from '../db/migrate.ts';
import { ensureEventPartitions } from '../db/partitions.ts';
import { type CliIo, DATABASE_HELP, DATABASE_OPTIONS, EXIT, parseCommandArgs, UsageError } from './cli-io.ts';
import { withDatabase } from './with-database.ts';

const HELP = [
  'Usage: portfolio-os migrate [--status] [options]',
  '',
  'Applies pending migrations, each in its own transaction. Safe to run again: it then does nothing.',
  '',
  'Options:',
  '  --status              only show applied and pending migrations',
  ...DATABASE_HELP,
].join('\n');

export async function runMigrate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    status: { type: 'boolean' },
    ...DATABASE_OPTIONS,
  });
  if (values.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  return withDatabase(
    values,
    async ({ db }) => {
      if (values.status) {
        const status = await migrationStatus(db);
        for (const a of status.applied) io.out(`applied  ${String(a.version).padStart(4, '0')}_${a.name}`);
        for (const p of status.pending) io.out(`pending  ${String(p.version).padStart(4, '0')}_${p.name}`);
        for (const u of status.unknown)
          io.out(`unknown  ${String(u.version).padStart(4, '0')}_${u.name} (from a newer release)`);
        return status.pending.length === 0 && status.unknown.length === 0 ? EXIT.ok : EXIT.failure;
      }
      const applied = await migrate(db, (m) =>
        io.out(`applied ${String(m.version).padStart(4, '0')}_${m.name}`),
      );
      const partitions = await ensureEventPartitions(db, new Date());
      io.out(
        applied.length === 0
          ? `database is up to date (${db.location})`
          : `applied ${applied.length} migration(s) to ${db.location}`,
      );
      if (partitions > 0) io.out(`created ${partitions} event partition(s)`);
      return EXIT.ok;
    },
    { requireCurrentSchema: false },
  );
}
