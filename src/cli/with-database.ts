import { systemActor } from '../auth/actor.ts';
import type { Ctx } from '../auth/context.ts';
import { loadSettings } from '../config/settings.ts';
import { assertSchemaCurrent } from '../db/migrate.ts';
import { openDatabase } from '../db/open-database.ts';
import type { Db } from '../db/types.ts';

/**
 * Opens the database named by --data/--database-url (or the environment) for one CLI command.
 * The CLI acts as the local system: whoever can open the data directory or the database owns it.
 */
export async function withDatabase<T>(
  values: { data?: string | undefined; 'database-url'?: string | undefined },
  fn: (ctx: Ctx) => Promise<T>,
  options: { requireCurrentSchema?: boolean } = {},
): Promise<T> {
  const settings = loadSettings(process.env, { dataDir: values.data, databaseUrl: values['database-url'] });
  const db: Db = await openDatabase(settings);
  try {
    if (options.requireCurrentSchema !== false) await assertSchemaCurrent(db);
    return await fn({ db, actor: systemActor(`cli:${process.env.USER ?? 'unknown'}`), now: new Date() });
  } finally {
    await db.close();
  }
}
