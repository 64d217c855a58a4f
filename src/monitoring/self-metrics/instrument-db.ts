import { performance } from 'node:perf_hooks';
import type { Db, Tx } from '../../db/types.ts';
import type { DbCallKind, SelfMetrics } from './registry.ts';

/**
 * The same database, timed: every query, transaction and script lands in
 * db_query_duration_seconds{backend,kind}. Queries inside a transaction count as `query` too;
 * `transaction` is the whole unit, including waiting for PGlite's single session.
 */
export function instrumentDb(db: Db, metrics: SelfMetrics): Db {
  async function timed<T>(kind: DbCallKind, run: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await run();
    } finally {
      metrics.observeDbCall(db.kind, kind, (performance.now() - start) / 1000);
    }
  }
  const wrapTx = (tx: Tx): Tx => ({
    query: (text, params) => timed('query', () => tx.query(text, params)),
    exec: (sql) => timed('exec', () => tx.exec(sql)),
  });
  return {
    kind: db.kind,
    location: db.location,
    query: (text, params) => timed('query', () => db.query(text, params)),
    exec: (sql) => timed('exec', () => db.exec(sql)),
    transaction: (fn, options) => timed('transaction', () => db.transaction((tx) => fn(wrapTx(tx)), options)),
    close: () => db.close(),
  };
}
