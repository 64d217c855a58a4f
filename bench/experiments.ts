// Experiments benchmark: the statistics core alone (analyses per second, against reducing per-user
// rows on every call), then end to end — sufficient statistics of 1,000 experiments × 3 variations ×
// 4 metrics from SQL over ~10 million events, plus their analysis — on both backends, against
// per-experiment queries in the same run.
// Run: npm run bench:experiments   (env: BENCH_EVENTS=10000000, BENCH_BACKENDS=pglite,postgres,
//      BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres, BENCH_ITERATIONS=3,
//      BENCH_NAIVE_SECONDS=60 (time spent on each per-experiment baseline, then extrapolated),
//      BENCH_CORE_SECONDS=2, BENCH_CORE_UNITS=5000 (users per arm), BENCH_PARTS=core,e2e,
//      BENCH_KEEP=dir: keep the loaded databases (PGlite data in dir, PostgreSQL database
//      pos_bench_experiments_kept) and, on the next run, measure them again without reloading)
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate } from '../src/db/migrate.ts';
import type { Db } from '../src/db/types.ts';
import { DecisionRules } from '../src/experiments/experiment-schema.ts';
import { analyzeMetric, sampleRatioMismatch } from '../src/experiments/results/metric-analysis.ts';
import { type SufficientStats, sufficientStats } from '../src/experiments/sufficient-stats.sql.ts';
import { insertDomains } from '../src/test-support/fixtures.ts';
import { benchCore, type CoreResult } from './experiments/core.ts';
import { type BenchExperiment, benchExperiments, METRICS, WEIGHTS } from './experiments/definitions.ts';
import { fillExposures } from './experiments/fill-exposures.ts';
import { groupedSufficientStats } from './experiments/grouped-stats.sql.ts';
import { type Backend, DEFAULT_ADMIN_URL, pgliteBackend, postgresBackend } from './ingest/backends.ts';
import { machine } from './ingest/report.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim());
const PARTS = (process.env.BENCH_PARTS ?? 'core,e2e').split(',').map((s) => s.trim());
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_ADMIN_URL;
const KEEP = process.env.BENCH_KEEP || null;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 3);
const NAIVE_SECONDS = Number(process.env.BENCH_NAIVE_SECONDS ?? 60);
const CORE_SECONDS = Number(process.env.BENCH_CORE_SECONDS ?? 2);
const CORE_UNITS = Number(process.env.BENCH_CORE_UNITS ?? 5000);
const KEPT_DATABASE = 'pos_bench_experiments_kept';
const EXPERIMENTS = 1000;
const DOMAINS = 20;
const DAYS = 28;
const DAY_MS = 86_400_000;
const RULES = DecisionRules.parse({});
/** A production query slower than this ends the production baseline (PostgreSQL's statement_timeout). */
const PRODUCTION_TIMEOUT_MS = 60_000;

const progress = (line: string) =>
  process.stderr.write(`[bench:experiments ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const f1 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const f2 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const int = (x: number) => Math.round(x).toLocaleString('en-US');

// ---- core ----

function coreReport(results: CoreResult[]): string {
  const slowest = Math.min(...results.map((r) => r.rate));
  return [
    '### Statistics core alone',
    '',
    `\`analyzeExperiment\` (3 variations: 2 comparisons, SRM check) on precomputed sufficient statistics, cycling through 16 experiments of ${int(CORE_UNITS)} users per arm, ${CORE_SECONDS} s per case after a warm-up. Baseline in the same run: the same analyses when each call first reduces the per-user values to those statistics (what an engine over raw per-user rows pays).`,
    '',
    '| case | analyses/s | baseline: from per-user rows, analyses/s | ours ÷ baseline | ≥ 100,000/s |',
    '|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${int(r.rate)} | ${int(r.rawRate)} | ${f1(r.rate / r.rawRate)}× | ${r.rate >= 100_000 ? 'PASS' : 'MISS'} |`,
    ),
    `| **slowest case** | **${int(slowest)}** | | | **${slowest >= 100_000 ? 'PASS' : 'MISS'}** |`,
    '',
  ].join('\n');
}

// ---- end to end ----

/** What loading produced; written next to a kept database so a later run can measure it again. */
interface Loaded {
  end: string;
  domainIds: string[];
  events: number;
  exposures: number;
  loadSeconds: number;
}

async function load(backend: Backend, db: Db): Promise<Loaded> {
  const file = KEEP ? join(KEEP, `experiments-${backend.kind}.json`) : null;
  if (file && existsSync(file)) {
    progress(`${backend.kind}: reusing the database loaded earlier (${file})`);
    return JSON.parse(await readFile(file, 'utf8')) as Loaded;
  }
  await migrate(db);
  const existing = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM domains');
  if ((existing.rows[0]?.n ?? 0) > 0)
    throw new Error(`${backend.label} holds data but ${file} is missing: remove the kept database first`);
  const hosts = Array.from({ length: DOMAINS }, (_, i) => `site-${String(i + 1).padStart(2, '0')}.example`);
  const ids = await insertDomains(db, hosts);
  const domainIds = hosts.map((h) => ids[h] as string);
  const end = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  progress(`${backend.kind}: loading ${int(EVENTS)} events over ${DAYS} days`);
  const fill = await fillExposures(db, {
    domainIds,
    experiments: EXPERIMENTS,
    targetEvents: EVENTS,
    days: DAYS,
    end,
    onDay: (i) => {
      if ((i + 1) % 7 === 0) progress(`${backend.kind}: day ${i + 1}/${DAYS}`);
    },
  });
  const loaded: Loaded = { end: end.toISOString(), domainIds, ...fill, loadSeconds: fill.seconds };
  if (file) {
    await mkdir(KEEP as string, { recursive: true });
    await writeFile(file, JSON.stringify(loaded, null, 2));
  }
  return loaded;
}

/** The production analysis of one experiment's statistics (the results API's adapter to L's engine). */
function analyse(stats: SufficientStats[][]): number {
  let effects = 0;
  stats.forEach((s, i) => {
    if (s.some((v) => v.n > 0))
      effects += analyzeMetric(METRICS[i] as (typeof METRICS)[number], s, RULES).length;
  });
  sampleRatioMismatch(stats[0] ?? [], WEIGHTS);
  return effects;
}

interface Run {
  queryMs: number;
  analysisMs: number;
}

async function grouped(
  db: Db,
  experiments: BenchExperiment[],
): Promise<{ run: Run; stats: Map<string, SufficientStats[][]> }> {
  const t0 = performance.now();
  const stats = await groupedSufficientStats(db, experiments, METRICS);
  const t1 = performance.now();
  let effects = 0;
  for (const e of experiments) effects += analyse(stats.get(e.key) ?? []);
  const t2 = performance.now();
  if (effects === 0) throw new Error('no effect was estimated: the load produced no exposures?');
  return { run: { queryMs: t1 - t0, analysisMs: t2 - t1 }, stats };
}

interface Sampled {
  experiments: number;
  msPerExperiment: number;
  /** A query reached the timeout: the figure is a lower bound. */
  timedOut: boolean;
  mismatches: string[];
}

/** Spread over all domains (997 is prime), so the sample is not only the busiest domain's experiments. */
const sampleOrder = (n: number) => Array.from({ length: n }, (_, j) => (j * 997) % n);

async function perExperiment(
  label: string,
  experiments: BenchExperiment[],
  reference: Map<string, SufficientStats[][]>,
  one: (e: BenchExperiment) => Promise<SufficientStats[][] | null>,
): Promise<Sampled> {
  const out: Sampled = { experiments: 0, msPerExperiment: 0, timedOut: false, mismatches: [] };
  const t0 = performance.now();
  for (const j of sampleOrder(experiments.length)) {
    if (performance.now() - t0 > NAIVE_SECONDS * 1000) break;
    const e = experiments[j] as BenchExperiment;
    const stats = await one(e);
    if (!stats) {
      out.timedOut = true;
      break;
    }
    analyse(stats);
    out.experiments++;
    out.mismatches.push(...compare(e.key, stats, reference.get(e.key) ?? []));
  }
  const elapsed = performance.now() - t0;
  out.msPerExperiment =
    out.timedOut && out.experiments === 0 ? PRODUCTION_TIMEOUT_MS : elapsed / Math.max(out.experiments, 1);
  progress(
    `${label}: ${out.experiments} experiments, ${f1(out.msPerExperiment)} ms each${out.timedOut ? ' (timed out)' : ''}`,
  );
  return out;
}

/** The grouped statement must give exactly what the per-experiment queries give. */
function compare(key: string, a: SufficientStats[][], b: SufficientStats[][]): string[] {
  const bad: string[] = [];
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  a.forEach((metric, i) => {
    for (const [k, v] of metric.entries()) {
      const w = b[i]?.[k];
      if (!w || v.n !== w.n || !close(v.sum, w.sum) || !close(v.sumSquares, w.sumSquares))
        bad.push(`${key} ${METRICS[i]?.key} ${v.variation}: ${JSON.stringify(v)} vs ${JSON.stringify(w)}`);
    }
  });
  return bad;
}

interface E2eResult {
  label: string;
  loaded: Loaded;
  runs: Run[];
  subjects: number;
  perQuery: Sampled;
  production: Sampled | null;
  productionSkipped: string | null;
}

async function benchBackend(backend: Backend): Promise<E2eResult> {
  let db = await backend.open();
  const loaded = await load(backend, db);
  // PGlite: reopen so the measured session starts like the server's (fresh worker, data on disk).
  await db.close();
  db = await backend.open();
  try {
    const end = new Date(loaded.end);
    const experiments = benchExperiments(
      loaded.domainIds,
      EXPERIMENTS,
      new Date(end.getTime() - DAYS * DAY_MS),
      end,
    );
    const runs: Run[] = [];
    let reference = new Map<string, SufficientStats[][]>();
    for (let i = 0; i < ITERATIONS; i++) {
      const g = await grouped(db, experiments);
      runs.push(g.run);
      reference = g.stats;
      progress(
        `${backend.kind}: grouped run ${i + 1}: query ${int(g.run.queryMs)} ms, analysis ${int(g.run.analysisMs)} ms`,
      );
    }
    const subjects = [...reference.values()].reduce(
      (s, m) => s + (m[0] ?? []).reduce((t, v) => t + v.n, 0),
      0,
    );
    const perQuery = await perExperiment(
      `${backend.kind}: one grouped statement per experiment`,
      experiments,
      reference,
      async (e) => (await groupedSufficientStats(db, [e], METRICS)).get(e.key) ?? [],
    );
    // M's production SQL: one statement per experiment and metric, a correlated subquery per subject.
    // PGlite cannot cancel a statement, so there it runs only while the table is small.
    let production: Sampled | null = null;
    let productionSkipped: string | null = null;
    if (backend.kind === 'pglite' && loaded.events > 1_000_000) {
      productionSkipped = 'not run on PGlite above 1 million events (no statement timeout there)';
    } else {
      production = await perExperiment(
        `${backend.kind}: production SQL per experiment × metric`,
        experiments,
        reference,
        (e) => productionStats(db, e),
      );
    }
    for (const s of [perQuery, production]) {
      if (s?.mismatches.length)
        throw new Error(`grouped statistics differ:\n${s.mismatches.slice(0, 10).join('\n')}`);
    }
    return { label: backend.label, loaded, runs, subjects, perQuery, production, productionSkipped };
  } finally {
    await db.close();
  }
}

async function productionStats(db: Db, e: BenchExperiment): Promise<SufficientStats[][] | null> {
  try {
    return await db.transaction(async (tx) => {
      if (db.kind === 'postgres') await tx.query(`SET LOCAL statement_timeout = ${PRODUCTION_TIMEOUT_MS}`);
      const out: SufficientStats[][] = [];
      for (const metric of METRICS) {
        out.push(
          await sufficientStats(tx, {
            experimentKey: e.key,
            domainIds: e.domainIds,
            variations: e.variations,
            metric,
            from: e.from,
            until: e.until,
          }),
        );
      }
      return out;
    });
  } catch (err) {
    if (/statement timeout/i.test((err as Error).message)) return null;
    throw err;
  }
}

function e2eReport(r: E2eResult): string {
  const totals = r.runs.map((x) => (x.queryMs + x.analysisMs) / 1000);
  const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
  const analysisMs = r.runs.reduce((a, x) => a + x.analysisMs, 0) / r.runs.length;
  const line = (name: string, s: Sampled) => {
    const total = (s.msPerExperiment * EXPERIMENTS) / 1000;
    const bound = s.timedOut ? '≥ ' : '';
    return `| ${name} | ${s.experiments} of ${int(EXPERIMENTS)}${s.timedOut ? ` (then a query hit the ${PRODUCTION_TIMEOUT_MS / 1000} s timeout)` : ''} | ${bound}${f1(s.msPerExperiment)} | ${bound}${f1(total)} | ${bound}${f1(total / mean)}× |`;
  };
  return [
    `### ${r.label}`,
    '',
    `Loaded ${int(r.loaded.events)} events (${int(r.loaded.exposures)} exposures) over ${DAYS} days on ${DOMAINS} domains in ${f1(r.loaded.loadSeconds)} s (bulk SQL, setup); ${int(r.subjects)} exposed subjects in all. Each experiment: 3 variations × 4 metrics (2 conversions, revenue, page views; 14-day windows).`,
    '',
    '| end to end: 1,000 experiments × 3 variations × 4 metrics | query s | analysis ms | total s | < 2 s |',
    '|---|---|---|---|---|',
    ...r.runs.map(
      (x, i) =>
        `| one grouped statement + analysis, run ${i + 1} | ${f2(x.queryMs / 1000)} | ${f1(x.analysisMs)} | ${f2((x.queryMs + x.analysisMs) / 1000)} | ${(x.queryMs + x.analysisMs) / 1000 < 2 ? 'PASS' : 'MISS'} |`,
    ),
    `| **mean of ${r.runs.length}** | | ${f1(analysisMs)} | **${f2(mean)}** | **${mean < 2 ? 'PASS' : 'MISS'}** |`,
    '',
    `Baselines in the same run, timed for ${NAIVE_SECONDS} s each over experiments spread across all domains and extrapolated to all 1,000 (their statistics equal the grouped statement's, checked):`,
    '',
    '| baseline | experiments timed | ms per experiment | extrapolated total s | baseline ÷ grouped |',
    '|---|---|---|---|---|',
    line('per-experiment statements (the grouped SQL, one experiment each)', r.perQuery),
    r.production
      ? line("production SQL, one statement per experiment × metric (M's `sufficientStats`)", r.production)
      : `| production SQL per experiment × metric | ${r.productionSkipped} | | | |`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const out: string[] = ['## Experiments (bench/experiments.ts)', '', machine(), ''];
  if (PARTS.includes('core')) {
    progress('statistics core');
    out.push(
      coreReport(
        benchCore({
          seconds: CORE_SECONDS,
          rawSeconds: Math.max(0.3, CORE_SECONDS / 4),
          units: CORE_UNITS,
          datasets: 16,
          onCase: (r) => progress(`core: ${r.name}: ${int(r.rate)}/s (from rows ${int(r.rawRate)}/s)`),
        }),
      ),
    );
  }
  if (PARTS.includes('e2e')) {
    for (const kind of BACKENDS) {
      const backend =
        kind === 'pglite'
          ? await pgliteBackend(KEEP ? join(KEEP, 'experiments-pglite-data') : undefined)
          : await postgresBackend(ADMIN_URL, KEEP ? KEPT_DATABASE : undefined);
      if (!backend) {
        out.push(`(PostgreSQL not reachable at ${ADMIN_URL}: skipped)`, '');
        continue;
      }
      try {
        out.push(e2eReport(await benchBackend(backend)));
      } finally {
        if (!KEEP) await backend.remove();
      }
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
