import { openPglite } from './open-pglite.ts';
import { openPostgres } from './open-postgres.ts';
import type { Db } from './types.ts';

export interface DatabaseSettings {
  /** PostgreSQL connection string; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory. */
  dataDir: string;
}

export function openDatabase(settings: DatabaseSettings): Promise<Db> {
  return settings.databaseUrl
    ? openPostgres({ connectionString: settings.databaseUrl })
    : openPglite({ dataDir: settings.dataDir });
}
