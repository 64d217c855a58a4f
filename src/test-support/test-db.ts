import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../db/migrate.ts';
import { openPglite } from '../db/open-pglite.ts';
import { openPostgres } from '../db/open-postgres.ts';
import type { BackendKind, Db } from '../db/types.ts';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The backend this test run targets (vitest projects `pglite` and `postgres` set it). */
export function testBackend(): BackendKind {
  return process.env.TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';
}

export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh database of its own for one test suite: in-memory PGlite, or a new PostgreSQL database. */
export async function createTestDb(options: { migrated?: boolean } = {}): Promise<Db & { url?: string }> {
  let db: Db & { url?: string };
  if (testBackend() === 'pglite') {
    db = await openPglite();
  } else {
    const adminUrl = testDatabaseUrl();
    const name = `pos_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = withDatabase(adminUrl, name);
    const inner = await openPostgres({ connectionString: url, maxConnections: 4 });
    db = {
      ...inner,
      url,
      async close() {
        await inner.close();
        const cleanup = new pg.Client({ connectionString: adminUrl });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await cleanup.end();
      },
    };
  }
  if (options.migrated !== false) await migrate(db);
  return db;
}
