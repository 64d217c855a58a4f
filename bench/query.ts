// Dashboard queries on a year of traffic: the overview and domain-page APIs of the real server
// (reading rollups) for a 30-day and a 365-day range, next to the same traffic figures computed
// from raw events in the same run. Both backends; about 10 million events each.
// Run: npm run bench:query   (env: BENCH_EVENTS=10000000, BENCH_BACKENDS=pglite,postgres,
//      BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres, BENCH_ITERATIONS=30, BENCH_RAW_ITERATIONS=3,
//      BENCH_KEEP=dir: keep the loaded databases (PGlite data in dir, PostgreSQL database
//      pos_bench_query_kept) and, on the next run, measure them again without reloading)
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Db } from '../src/db/types.ts';
import { refreshRollups } from '../src/metrics/rollups/refresh-rollups.ts';
import { type Backend, DEFAULT_ADMIN_URL, pgliteBackend, postgresBackend } from './ingest/backends.ts';
import { killAll, startServerUnderTest } from './ingest/children.ts';
import { machine } from './ingest/report.ts';
import { fillEvents } from './query/fill-events.ts';
import { fillMoney } from './query/fill-money.ts';
import { type RawRange, rawDomainPage, rawOverview } from './query/raw-figures.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const RAW_ITERATIONS = Number(process.env.BENCH_RAW_ITERATIONS ?? 3);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim());
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_ADMIN_URL;
const KEEP = process.env.BENCH_KEEP || null;
const KEPT_DATABASE = 'pos_bench_query_kept';
const DAYS = 365;
const FOLD_EVERY_DAYS = 7;
const DAY_MS = 86_400_000;
const SETTLE_MS = 10_000;
const BREAKDOWNS = [
  'page',
  'entry_page',
  'exit_page',
  'source',
  'channel',
  'utm_campaign',
  'browser',
  'os',
  'device',
];

const progress = (line: string) =>
  process.stderr.write(`[bench:query ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

interface Timing {
  p50: number;
  p95: number;
  mean: number;
  n: number;
}

function timing(ms: number[]): Timing {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { p50: at(0.5), p95: at(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length, n: s.length };
}

async function timeRepeated(n: number, fn: () => Promise<unknown>): Promise<Timing> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return timing(ms);
}

interface RangeResult {
  label: string;
  overview: Timing;
  domainPage: Timing;
  rawOverview: Timing;
  rawDomainPage: Timing;
}

interface BackendResult {
  label: string;
  events: number;
  loadSeconds: number;
  foldSeconds: number;
  folds: number;
  ranges: RangeResult[];
  error: string | null;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function ranges(now: Date) {
  const today = isoDay(now);
  const mk = (days: number) => {
    const from = isoDay(new Date(Date.parse(today) - (days - 1) * DAY_MS));
    const range: RawRange = { start: new Date(from), end: new Date(Date.parse(today) + DAY_MS) };
    const previous: RawRange = { start: new Date(range.start.getTime() - days * DAY_MS), end: range.start };
    return { label: `${days} days`, from, to: today, range, previous };
  };
  return [mk(30), mk(365)];
}

/** What loading produced; written next to a kept database so a later run can measure it again. */
interface Loaded {
  now: string;
  ownerToken: string;
  events: number;
  loadSeconds: number;
  foldSeconds: number;
  folds: number;
  error: string | null;
}

const keptFile = (backend: Backend) => (KEEP ? join(KEEP, `${backend.kind}.json`) : null);

async function load(backend: Backend, env: Record<string, string>): Promise<Loaded> {
  const file = keptFile(backend);
  if (file && existsSync(file)) {
    progress(`${backend.kind}: reusing the database loaded earlier (${file})`);
    return JSON.parse(await readFile(file, 'utf8')) as Loaded;
  }
  const ownerToken = `pos_op_${randomBytes(32).toString('base64url')}`;
  const loaded: Loaded = {
    now: new Date().toISOString(),
    ownerToken,
    events: 0,
    loadSeconds: 0,
    foldSeconds: 0,
    folds: 0,
    error: null,
  };
  progress(`${backend.kind}: first start (schema, owner, domains)`);
  const first = await startServerUnderTest(env, ownerToken);
  await first.stop();

  const now = new Date(loaded.now);
  let db: Db = await backend.open();
  const domains = await listDomains(db);
  progress(
    `${backend.kind}: loading ${EVENTS.toLocaleString('en-US')} events over ${DAYS} days, folding every ${FOLD_EVERY_DAYS} days`,
  );
  const t0 = performance.now();
  try {
    const fill = await fillEvents(db, {
      domains,
      targetEvents: EVENTS,
      days: DAYS,
      end: now,
      onDay: async (i) => {
        if ((i + 1) % FOLD_EVERY_DAYS !== 0 && i !== DAYS - 1) return;
        const fold = await refreshRollups(db);
        loaded.foldSeconds += fold.ms / 1000;
        loaded.folds++;
        if ((i + 1) % 28 === 0)
          progress(`${backend.kind}: day ${i + 1}/${DAYS}, last fold ${fold.events} events in ${fold.ms} ms`);
      },
    });
    loaded.events = fill.events;
  } catch (err) {
    // PGlite's 2 GiB WASM heap is the known ceiling: report the largest volume it held.
    loaded.error = (err as Error).message;
    progress(`${backend.kind}: loading stopped: ${loaded.error}`);
    await db.close().catch(() => undefined);
    db = await backend.open();
    loaded.events = Number(
      (await db.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]?.n ?? 0,
    );
    await refreshRollups(db);
  }
  loaded.loadSeconds = (performance.now() - t0) / 1000 - loaded.foldSeconds;
  await fillMoney(db, { domains, days: DAYS, end: now });
  await db.close();
  if (file) {
    await mkdir(KEEP as string, { recursive: true });
    await writeFile(file, JSON.stringify(loaded, null, 2));
  }
  return loaded;
}

async function listDomains(db: Db): Promise<Array<{ id: string; host: string }>> {
  const res = await db.query<{ id: string; host: string }>(
    'SELECT id, host FROM domains WHERE archived_at IS NULL ORDER BY created_at, host',
  );
  return res.rows;
}

async function benchBackend(backend: Backend): Promise<BackendResult> {
  // The bench folds itself; a database kept by an earlier version is migrated. The KPI history's
  // one-time backfill at first start is not what is measured; alert evaluation (every 30 s) and
  // uptime checks run as they do in production.
  const env = {
    ...backend.serverEnv,
    ROLLUP_INTERVAL_SECONDS: '0',
    RETENTION_DAYS: '0',
    MIGRATE_ON_START: 'true',
    KPI_BACKFILL_DAYS: '0',
  };
  const loaded = await load(backend, env);
  const { ownerToken } = loaded;
  const now = new Date(loaded.now);
  const result: BackendResult = { label: backend.label, ...loaded, ranges: [] };
  const db = await backend.open();
  const domains = await listDomains(db);

  progress(`${backend.kind}: raw-event baseline`);
  const rawTimings = new Map<string, { overview: Timing; domainPage: Timing }>();
  const ids = domains.map((d) => d.id);
  const page = domains[0] as { id: string; host: string };
  for (const r of ranges(now)) {
    rawTimings.set(r.label, {
      overview: await timeRepeated(RAW_ITERATIONS, () => rawOverview(db, ids, r.range, r.previous)),
      domainPage: await timeRepeated(RAW_ITERATIONS, () => rawDomainPage(db, page.id, r.range, r.previous)),
    });
  }
  await db.close();

  progress(`${backend.kind}: the server's APIs`);
  const server = await startServerUnderTest(env, ownerToken);
  // Start-up work (the day's KPI snapshot, the first alert evaluation) settles before timing.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  try {
    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${ownerToken}` } });
      if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    for (const r of ranges(now)) {
      const q = `from=${r.from}&to=${r.to}&tz=Europe/Brussels`;
      const d = `${q}&domains=${page.host}`;
      const overview = () => get(`/api/v1/metrics/overview?${q}`);
      // The domain page's requests, sent together as the web app does.
      const domainPage = () =>
        Promise.all([
          get(`/api/v1/metrics/traffic?${d}`),
          get(`/api/v1/metrics/traffic/goals?${d}`),
          ...BREAKDOWNS.map((b) => get(`/api/v1/metrics/traffic/breakdown?${d}&dimension=${b}&limit=10`)),
        ]);
      await overview();
      await domainPage();
      const raw = rawTimings.get(r.label) as { overview: Timing; domainPage: Timing };
      result.ranges.push({
        label: r.label,
        overview: await timeRepeated(ITERATIONS, overview),
        domainPage: await timeRepeated(ITERATIONS, domainPage),
        rawOverview: raw.overview,
        rawDomainPage: raw.domainPage,
      });
    }
  } finally {
    await server.stop();
  }
  return result;
}

const f1 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });

function report(r: BackendResult): string {
  const lines = [
    `### ${r.label}`,
    '',
    `Loaded ${r.events.toLocaleString('en-US')} events in ${f1(r.loadSeconds)} s (bulk SQL, setup), folded into the rollups in ${r.folds} incremental runs taking ${f1(r.foldSeconds)} s in all (${Math.round(r.events / Math.max(r.foldSeconds, 0.001)).toLocaleString('en-US')} events/s)${r.error ? `; loading stopped early: ${r.error}` : ''}.`,
    '',
    '| range | request | API p50 ms | API p95 ms | raw events, mean ms | raw ÷ API (mean) | p95 < 120 ms | ≥ 20× |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const x of r.ranges) {
    for (const [name, api, raw] of [
      ['overview', x.overview, x.rawOverview],
      ['domain page (11 requests at once)', x.domainPage, x.rawDomainPage],
    ] as const) {
      const ratio = raw.mean / api.mean;
      lines.push(
        `| ${x.label} | ${name} | ${f1(api.p50)} | ${f1(api.p95)} | ${f1(raw.mean)} | ${f1(ratio)}× | ${api.p95 < 120 ? 'PASS' : 'MISS'} | ${ratio >= 20 ? 'PASS' : 'MISS'} |`,
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const out: string[] = ['## Dashboard queries (bench/query.ts)', '', machine(), ''];
  out.push(
    `shape: ${ITERATIONS} sequential API calls per figure after one warm-up (raw: ${RAW_ITERATIONS}); time zone Europe/Brussels; domain page for the busiest domain`,
    '',
  );
  for (const kind of BACKENDS) {
    const backend =
      kind === 'pglite'
        ? await pgliteBackend(KEEP ? join(KEEP, 'pglite-data') : undefined)
        : await postgresBackend(ADMIN_URL, KEEP ? KEPT_DATABASE : undefined);
    if (!backend) {
      out.push(`(PostgreSQL not reachable at ${ADMIN_URL}: skipped)`);
      continue;
    }
    try {
      out.push(report(await benchBackend(backend)), '');
    } finally {
      killAll();
      if (!KEEP) await backend.remove();
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err) => {
  killAll();
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
