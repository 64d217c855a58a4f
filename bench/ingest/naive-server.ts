// The naive design: Fastify whose handler awaits ONE single-row INSERT per request. PGlite runs
// in-process on the main thread (no worker, no group commit); PostgreSQL through a pg Pool.
// It skips what the real path does besides storing (validation, user-agent parsing, visitor
// hashing, rate limiting), so it is if anything flattered by the comparison.
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';
import pg from 'pg';
import { acquireDataDirLock } from '../../src/db/data-dir-lock.ts';
import { announce, serveParent } from './child-ipc.ts';

const INSERT =
  'INSERT INTO events (domain_id, occurred_at, name, url, referrer, hostname, pathname) ' +
  'VALUES ($1, now(), $2, $3, $4, $5, $6)';

const domainId = process.env.NAIVE_DOMAIN_ID as string;
let insert: (params: unknown[]) => Promise<unknown>;
let closeDb: () => Promise<void>;

if (process.env.NAIVE_DATABASE_URL) {
  const pool = new pg.Pool({ connectionString: process.env.NAIVE_DATABASE_URL, max: 10 });
  insert = (params) => pool.query(INSERT, params);
  closeDb = () => pool.end();
} else {
  // The same data directory the server used (it is stopped now); take the same lock it takes.
  const lock = await acquireDataDirLock(process.env.NAIVE_DATA_DIR as string);
  const db = await PGlite.create(lock.pgdataDir);
  insert = (params) => db.query(INSERT, params);
  closeDb = async () => {
    await db.close();
    await lock.release();
  };
}

const app = Fastify({ logger: false });
app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => {
  try {
    done(null, JSON.parse(body as string));
  } catch (err) {
    done(err as Error);
  }
});
app.post('/api/event', async (request, reply) => {
  const body = request.body as { n: string; u: string; r?: string };
  const url = new URL(body.u);
  await insert([domainId, body.n, body.u, body.r ?? null, url.hostname, url.pathname]);
  return reply.code(202).type('text/plain').send('ok');
});

await app.listen({ port: 0, host: '127.0.0.1' });
serveParent({
  close: async () => {
    await app.close();
    await closeDb();
  },
});
const address = app.server.address();
announce(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
