import pg from 'pg';
import { applyScope } from './scope.ts';
import { typeParsers } from './type-parsers.ts';
import { type Db, DbError, type QueryResult, type TransactionOptions, type Tx } from './types.ts';

export interface PostgresOptions {
  connectionString: string;
  maxConnections?: number;
}

const customTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const parser = typeParsers[oid];
    return parser ?? pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

function wrapError(err: unknown): never {
  const e = err as { message?: string; code?: string; detail?: string; constraint?: string };
  throw new DbError(e.message ?? String(err), e);
}

async function run<T>(client: pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[]) {
  try {
    const res = await client.query(text, params as unknown[] | undefined);
    return { rows: res.rows as T[], rowCount: res.rowCount ?? 0 } satisfies QueryResult<T>;
  } catch (err) {
    wrapError(err);
  }
}

/** Redacts the password so the URL can be logged. */
export function describeConnection(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return `PostgreSQL at ${url.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}

export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types: customTypes,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end();
    throw new DbError(
      `cannot connect to ${describeConnection(options.connectionString)}: ${(err as Error).message}`,
      { code: (err as { code?: string }).code },
    );
  }
  return {
    kind: 'postgres',
    location: describeConnection(options.connectionString),
    query: (text, params) => run(pool, text, params),
    async exec(sql) {
      await run(pool, sql);
    },
    async transaction<T>(fn: (tx: Tx) => Promise<T>, txOptions: TransactionOptions = {}): Promise<T> {
      const client = await pool.connect();
      const tx: Tx = {
        query: (text, params) => run(client, text, params),
        exec: async (sql) => void (await run(client, sql)),
      };
      try {
        await client.query('BEGIN');
        if (txOptions.scope) await applyScope(tx, txOptions.scope);
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
