import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { DEFAULT_TEST_DATABASE_URL } from './test-db.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUnavailable: string;
  }
}

/** Checks PostgreSQL once: unreachable skips the postgres suites locally, but fails the run under CI=true. */
export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    project.provide('postgresUnavailable', '');
  } catch (err) {
    const reason = `PostgreSQL at ${url} is unreachable: ${(err as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${reason} (CI=true: failing instead of skipping)`);
    console.warn(`\n⚠ ${reason} — skipping the postgres integration suites. Set CI=true to fail instead.\n`);
    project.provide('postgresUnavailable', reason);
  } finally {
    await client.end().catch(() => undefined);
  }
}
