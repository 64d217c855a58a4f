import { Worker } from 'node:worker_threads';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { applyScope } from './scope.ts';
import { SerialQueue } from './serial-queue.ts';
import { type Db, DbError, type QueryResult, type TransactionOptions, type Tx } from './types.ts';

interface WorkerReply {
  id?: number;
  type?: 'ready' | 'failed';
  ok?: boolean;
  rows?: unknown[];
  rowCount?: number;
  error?: { message: string; code?: string; detail?: string; constraint?: string };
}

export interface PgliteOptions {
  /** Directory holding the database; omit for an in-memory database (tests). */
  dataDir?: string;
}

/** Opens PGlite in a worker thread, after taking the exclusive lock on its directory. */
export async function openPglite(options: PgliteOptions = {}): Promise<Db> {
  let lock: DataDirLock | undefined;
  let pgdata: string | undefined;
  if (options.dataDir) {
    lock = await acquireDataDirLock(options.dataDir);
    pgdata = lock.pgdataDir;
  }
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
    workerData: { dataDir: pgdata },
  });
  const pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let closed = false;

  try {
    await new Promise<void>((resolve, reject) => {
      const onMessage = (msg: WorkerReply) => {
        if (msg.type === 'ready') resolve();
        else if (msg.type === 'failed')
          reject(new DbError(`cannot open PGlite: ${msg.error?.message ?? 'unknown error'}`));
        else return;
        worker.off('message', onMessage);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  } catch (err) {
    await worker.terminate();
    await lock?.release();
    throw err;
  }

  worker.on('message', (msg: WorkerReply) => {
    if (msg.id === undefined) return;
    const waiter = pending.get(msg.id);
    pending.delete(msg.id);
    waiter?.resolve(msg);
  });
  worker.on('error', (err) => {
    for (const waiter of pending.values()) waiter.reject(err);
    pending.clear();
  });

  function call(
    op: 'query' | 'exec' | 'close',
    sql = '',
    params: readonly unknown[] = [],
  ): Promise<WorkerReply> {
    if (closed && op !== 'close') return Promise.reject(new DbError('database is closed'));
    const id = nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, sql, params });
    }).then((reply) => {
      if (!reply.ok) throw new DbError(reply.error?.message ?? 'query failed', reply.error);
      return reply;
    });
  }

  async function rawQuery<T>(text: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    const reply = await call('query', text, params ?? []);
    return { rows: (reply.rows ?? []) as T[], rowCount: reply.rowCount ?? 0 };
  }

  const queue = new SerialQueue();
  const direct: Tx = { query: rawQuery, exec: async (sql) => void (await call('exec', sql)) };

  const db: Db = {
    kind: 'pglite',
    location: options.dataDir ? `PGlite in ${options.dataDir}` : 'PGlite in memory',
    query: (text, params) => queue.run(() => rawQuery(text, params)),
    exec: (sql) => queue.run(async () => void (await call('exec', sql))),
    transaction<T>(fn: (tx: Tx) => Promise<T>, txOptions: TransactionOptions = {}): Promise<T> {
      return queue.run(async () => {
        await call('exec', 'BEGIN');
        try {
          if (txOptions.scope) await applyScope(direct, txOptions.scope);
          const result = await fn(direct);
          await call('exec', 'COMMIT');
          return result;
        } catch (err) {
          await call('exec', 'ROLLBACK').catch(() => undefined);
          throw err;
        }
      }, txOptions.priority);
    },
    async close() {
      if (closed) return;
      // Wait for queued work, then shut PGlite down cleanly so its files are consistent.
      await queue.run(async () => {
        closed = true;
        await call('close').catch(() => undefined);
      });
      await worker.terminate();
      await lock?.release();
    },
  };
  return db;
}
