// PGlite runs queries on the thread that calls it, so it lives here, in its own worker thread:
// a multi-second dashboard query then cannot stall the HTTP server's event loop.
// Plain JS on purpose: worker threads do not inherit the TypeScript loader in every runner.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const INT8_OID = 20;
const DATE_OID = 1082;
const parsers = {
  [INT8_OID]: (text) => {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  },
  [DATE_OID]: (text) => text,
};

function serializeError(err) {
  const e = err ?? {};
  return {
    message: String(e.message ?? e),
    code: e.code,
    detail: e.detail,
    constraint: e.constraint,
  };
}

let db;
try {
  db = await PGlite.create(workerData.dataDir ?? 'memory://', { parsers });
  parentPort.postMessage({ type: 'ready' });
} catch (err) {
  parentPort.postMessage({ type: 'failed', error: serializeError(err) });
}

parentPort.on('message', async (msg) => {
  try {
    if (msg.op === 'query') {
      const res = await db.query(msg.sql, msg.params ?? []);
      parentPort.postMessage({
        id: msg.id,
        ok: true,
        rows: res.rows,
        rowCount: res.rows.length || (res.affectedRows ?? 0),
      });
    } else if (msg.op === 'exec') {
      await db.exec(msg.sql);
      parentPort.postMessage({ id: msg.id, ok: true, rows: [], rowCount: 0 });
    } else if (msg.op === 'close') {
      await db.close();
      parentPort.postMessage({ id: msg.id, ok: true, rows: [], rowCount: 0 });
      parentPort.close();
    }
  } catch (err) {
    parentPort.postMessage({ id: msg.id, ok: false, error: serializeError(err) });
  }
});
