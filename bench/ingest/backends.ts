// The two storage backends, each created fresh for the run and removed afterwards: embedded
// PGlite in a temporary data directory, and a new PostgreSQL database (created, then dropped).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPglite } from '../../src/db/open-pglite.ts';
import { openPostgres } from '../../src/db/open-postgres.ts';
import type { BackendKind, Db } from '../../src/db/types.ts';

export interface Backend {
  kind: BackendKind;
  label: string;
  /** PostgreSQL only: the database's name, to find its backends' CPU use. */
  database?: string;
  /** Environment that points the server at this database. */
  serverEnv: Record<string, string>;
  /** Environment that points the naive server at this database. */
  naiveEnv: Record<string, string>;
  /** Opens it directly (the server must be stopped first for PGlite). */
  open(): Promise<Db>;
  remove(): Promise<void>;
}

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** `keptDir`: a data directory that outlives the run (bench:query's BENCH_KEEP); else a temporary one. */
export async function pgliteBackend(keptDir?: string): Promise<Backend> {
  const dir = keptDir ?? (await mkdtemp(join(tmpdir(), 'pos-bench-ingest-')));
  return {
    kind: 'pglite',
    label: keptDir
      ? `PGlite (embedded, worker thread, data dir ${keptDir})`
      : 'PGlite (embedded, worker thread, temp --data dir)',
    // An empty DATABASE_URL counts as unset, so an inherited one cannot redirect the server.
    serverEnv: { DATA_DIR: dir, DATABASE_URL: '' },
    naiveEnv: { NAIVE_DATA_DIR: dir },
    open: () => openPglite({ dataDir: dir }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Null when no PostgreSQL answers at the admin URL: the run then covers PGlite only.
 * `keptName`: a database that outlives the run, created only when missing (bench:query's BENCH_KEEP).
 */
export async function postgresBackend(adminUrl: string, keptName?: string): Promise<Backend | null> {
  const name = keptName ?? `pos_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]
    ?.v;
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    kind: 'postgres',
    database: name,
    label: keptName
      ? `PostgreSQL ${version} (database ${name}, kept)`
      : `PostgreSQL ${version} (fresh database ${name}, dropped afterwards)`,
    serverEnv: { DATABASE_URL: url },
    naiveEnv: { NAIVE_DATABASE_URL: url },
    open: () => openPostgres({ connectionString: url, maxConnections: 4 }),
    async remove() {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
