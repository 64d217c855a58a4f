// Ingestion throughput and latency of the real server, on embedded PGlite and on PostgreSQL, next
// to three baselines measured in the same run: the HTTP ceiling (bare Fastify answering 202), the
// storage ceiling (insertEvents() straight into the table) and the naive design (one awaited INSERT
// per request). Servers run as child processes; this process is only the load generator.
// Run: npm run bench:ingest   (env: BENCH_SECONDS=5, BENCH_BACKENDS=pglite,postgres,
//      BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres, BENCH_HEAVY_ROWS=1000000,
//      BENCH_QUIET_WAIT_S=2)
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type Backend, DEFAULT_ADMIN_URL, pgliteBackend, postgresBackend } from './ingest/backends.ts';
import { type Child, killAll, startChild, startServerUnderTest } from './ingest/children.ts';
import { closedLoop, openLoop, type Target } from './ingest/load.ts';
import { BATCH_EVENTS, batchBody, CHROME_UA, HEAVY_QUERY, SITE, singleEventBody } from './ingest/payloads.ts';
import {
  type BackendResult,
  backendTables,
  goalsTable,
  type HttpCeiling,
  machine,
  problems,
  type Shape,
} from './ingest/report.ts';
import { siteId, storageCeiling, topUp } from './ingest/storage.ts';
import { withUsage } from './ingest/usage.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_MS = 1000;
const CONCURRENCY = 64;
const BATCH_CONCURRENCY = 16;
// Browsers are many independent clients: enough sockets that a server stall is not hidden by a
// client-side cap on requests in flight (a queued request still counts from its scheduled time).
const OPEN_LOOP_SOCKETS = 2048;
const HEAVY_ROWS = Number(process.env.BENCH_HEAVY_ROWS ?? 1_000_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim());
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_ADMIN_URL;
const shape: Shape = { concurrency: CONCURRENCY, batchConcurrency: BATCH_CONCURRENCY };
const timing = { warmupMs: WARMUP_MS, durationMs: SECONDS * 1000 };

// Progress goes to stderr so stdout is the markdown report alone.
const progress = (line: string) =>
  process.stderr.write(`[bench:ingest ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const singleTarget = (url: string): Target => ({
  url,
  path: '/api/event',
  headers: { 'content-type': 'text/plain', 'user-agent': CHROME_UA },
  body: singleEventBody,
  eventsPerRequest: 1,
});

const batchTarget = (url: string, secretKey: string): Target => ({
  url,
  path: '/api/v1/events',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${secretKey}` },
  body: batchBody,
  eventsPerRequest: BATCH_EVENTS,
});

async function createSecretKey(url: string, ownerToken: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ownerToken}` },
    body: JSON.stringify({ domain: SITE, kind: 'secret', name: 'bench' }),
  });
  if (res.status !== 201)
    throw new Error(`creating the secret key failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { secret: string }).secret;
}

/** Pino writes JSON lines; anything at warn (40) or above during the run is worth showing. */
function warnings(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => /"level":(4|5|6)0/.test(l) || (l.trim() !== '' && !l.startsWith('{')));
}

async function httpCeiling(): Promise<HttpCeiling> {
  progress('HTTP ceiling: bare Fastify child');
  const bare = await startChild('bare Fastify', './http-ceiling-server.ts', {});
  try {
    const single = await withUsage(bare, undefined, () =>
      closedLoop(singleTarget(bare.url), { concurrency: CONCURRENCY, ...timing }),
    );
    const batch = await withUsage(bare, undefined, () =>
      closedLoop(batchTarget(bare.url, 'pos_sk_unused'), { concurrency: BATCH_CONCURRENCY, ...timing }),
    );
    return { single, batch };
  } finally {
    await bare.stop();
  }
}

async function benchBackend(backend: Backend): Promise<BackendResult> {
  const ownerToken = `pos_op_${randomBytes(32).toString('base64url')}`;
  const trouble: string[] = [];
  const collect = (child: Child) => {
    const crash = child.crashed();
    if (crash) trouble.push(`${crash}; last output:\n${child.output().slice(-2000)}`);
    const logged = warnings(child.output());
    if (logged.length > 0)
      trouble.push(
        `${child.name} logged ${logged.length} line(s) at warn or above, e.g.:\n${logged.slice(0, 3).join('\n').slice(0, 1500)}`,
      );
  };

  // 1. First start: the server creates the schema, the owner and the domains, then stops.
  progress(`${backend.kind}: first start (schema, owner, domains)`);
  const first = await startServerUnderTest(backend.serverEnv, ownerToken);
  await first.stop();
  collect(first);

  // 2. Fill the table first, so every figure below is taken on the same realistic table (the
  //    heavy query needs it anyway). Untimed. The server is stopped: PGlite allows one process.
  progress(`${backend.kind}: filling the events table to ${HEAVY_ROWS.toLocaleString('en-US')} rows`);
  const db = await backend.open();
  const rowsInTable = await topUp(db, HEAVY_ROWS);

  // 3. Storage ceiling.
  progress(`${backend.kind}: storage ceiling`);
  const storage = await withUsage(null, backend.database, () => storageCeiling(db, timing));
  const domainId = await siteId(db);
  await db.close();

  // 4. The naive handler on the same database.
  progress(`${backend.kind}: naive handler`);
  const naiveServer = await startChild('naive server', './naive-server.ts', {
    ...backend.naiveEnv,
    NAIVE_DOMAIN_ID: domainId,
  });
  const naive = await withUsage(naiveServer, backend.database, () =>
    closedLoop(singleTarget(naiveServer.url), { concurrency: CONCURRENCY, ...timing }),
  );
  await naiveServer.stop();
  collect(naiveServer);

  // 5. The server under test. A fresh process is slow for its first seconds (JIT, caches), so it
  //    gets an untimed warm-up on both paths before anything is measured.
  progress(`${backend.kind}: starting the server, warming it up`);
  const server = await startServerUnderTest(backend.serverEnv, ownerToken);
  const key = await createSecretKey(server.url, ownerToken);
  await closedLoop(singleTarget(server.url), { concurrency: CONCURRENCY, warmupMs: 0, durationMs: 3000 });
  await closedLoop(batchTarget(server.url, key), {
    concurrency: BATCH_CONCURRENCY,
    warmupMs: 0,
    durationMs: 1000,
  });

  progress(`${backend.kind}: single-event peak`);
  const single = await withUsage(server, backend.database, () =>
    closedLoop(singleTarget(server.url), { concurrency: CONCURRENCY, ...timing }),
  );
  progress(`${backend.kind}: batch peak`);
  const batch = await withUsage(server, backend.database, () =>
    closedLoop(batchTarget(server.url, key), { concurrency: BATCH_CONCURRENCY, ...timing }),
  );

  // 6. Latency at half the single-event peak, alone and next to the heavy dashboard query.
  progress(`${backend.kind}: open loop at half of the single-event peak`);
  const openLoopAt = { ratePerSec: single.eventsPerSec / 2, maxSockets: OPEN_LOOP_SOCKETS, ...timing };
  const halfPeak = await withUsage(server, backend.database, () =>
    openLoop(singleTarget(server.url), openLoopAt),
  );
  progress(`${backend.kind}: heavy query alone, then the open loop again while it loops`);
  await server.ask({ type: 'heavy', on: true }, 'heavy-started');
  const alone = await server.ask<{ durations: number[] }>({ type: 'heavy', on: false }, 'heavy-stopped');
  await server.ask({ type: 'heavy', on: true }, 'heavy-started');
  const halfPeakHeavy = await withUsage(server, backend.database, () =>
    openLoop(singleTarget(server.url), openLoopAt),
  );
  const looped = await server.ask<{ durations: number[]; error?: string }>(
    { type: 'heavy', on: false },
    'heavy-stopped',
  );
  if (looped.error) trouble.push(`the heavy query failed: ${looped.error}`);
  const serverRssMb = (await server.stats()).rssBytes / 2 ** 20;
  await server.stop();
  collect(server);

  const d = looped.durations;
  return {
    label: backend.label,
    single,
    batch,
    storage,
    naive,
    halfPeak,
    halfPeakHeavy,
    heavy: {
      rowsInTable,
      aloneMs: alone.durations[0] ?? Number.NaN,
      runs: d.length,
      meanMs: d.reduce((a, b) => a + b, 0) / Math.max(1, d.length),
    },
    serverRssMb,
    problems: trouble,
  };
}

const started = performance.now();
const print = (s: string) => console.log(s);

print('## Ingestion (bench/ingest.ts)\n');
print(machine());
print(
  `- shape: ${SECONDS} s measured after ${WARMUP_MS / 1000} s warm-up per figure; ` +
    `${CONCURRENCY} keep-alive connections for single events, ${BATCH_CONCURRENCY} for 100-event batches; ` +
    `open loop: fixed arrival rate, up to ${OPEN_LOOP_SOCKETS} connections, latency from the scheduled send ` +
    'time, requests still unanswered 10 s after the last send are counted (with their wait so far) as unanswered; ' +
    `heavy query: \`${HEAVY_QUERY}\`\n`,
);

const http = await httpCeiling();
for (const name of BACKENDS) {
  const backend = name === 'postgres' ? await postgresBackend(ADMIN_URL) : await pgliteBackend();
  if (!backend) {
    print(`### PostgreSQL\n\nskipped: nothing answers at ${new URL(ADMIN_URL).host}\n`);
    continue;
  }
  try {
    const result = await benchBackend(backend);
    print(backendTables(result, http, shape));
    print(goalsTable(result, http));
    const seen = problems(result);
    if (seen) print(seen);
  } finally {
    killAll(); // only does something when a step failed half-way
    await backend.remove();
  }
}
progress(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
