// Experiments benchmark: the statistics core alone (analyses per second, against reducing per-user
// rows on every call), then end to end — sufficient statistics of 1,000 experiments × 3 variations ×
// 4 metrics folded by SQL from ~10 million events, plus their analysis — on both backends, against
// the same statistics computed from the raw events in one grouped statement in the same run.
// Run: npm run bench:experiments   (env: BENCH_EVENTS=10000000, BENCH_BACKENDS=pglite,postgres,
//      BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres, BENCH_ITERATIONS=3,
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
import { foldExperimentStats } from '../src/experiments/folding/fold-experiment-stats.ts';
import { analyzeMetric, sampleRatioMismatch } from '../src/experiments/results/metric-analysis.ts';
import type { SufficientStats } from '../src/experiments/sufficient-stats.sql.ts';
import { insertDomains } from '../src/test-support/fixtures.ts';
import { benchCore, type CoreResult } from './experiments/core.ts';
import { type BenchExperiment, benchExperiments, METRICS, WEIGHTS } from './experiments/definitions.ts';
import { fillDay, fillExposures, trafficFor } from './experiments/fill-exposures.ts';
import { insertBenchExperiments, readAllFoldedStats } from './experiments/folded.ts';
import { groupedSufficientStats } from './experiments/grouped-stats.sql.ts';
import { type Backend, DEFAULT_ADMIN_URL, pgliteBackend, postgresBackend } from './ingest/backends.ts';
import { machine } from './ingest/report.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim());
const PARTS = (process.env.BENCH_PARTS ?? 'core,e2e').split(',').map((s) => s.trim());
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_ADMIN_URL;
const KEEP = process.env.BENCH_KEEP || null;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 3);
const CORE_SECONDS = Number(process.env.BENCH_CORE_SECONDS ?? 2);
const CORE_UNITS = Number(process.env.BENCH_CORE_UNITS ?? 5000);
const KEPT_DATABASE = 'pos_bench_experiments_kept';
const EXPERIMENTS = 1000;
const DOMAINS = 20;
const DAYS = 28;
const DAY_MS = 86_400_000;
const RULES = DecisionRules.parse({});
const FAR_FUTURE = new Date('2100-01-01T00:00:00Z');

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
  foldMs: number;
  readMs: number;
  analysisMs: number;
  /** Events the fold took in (0 when nothing new had arrived). */
  events: number;
  /** How much new traffic arrived before the run. */
  label?: 'minute' | 'hour';
}

const totalMs = (r: Run) => r.foldMs + r.readMs + r.analysisMs;

/** End to end as the results API and the decision job do it: fold what is new, read, analyse. */
async function endToEnd(
  db: Db,
  experiments: BenchExperiment[],
): Promise<{ run: Run; stats: Map<string, SufficientStats[][]> }> {
  const t0 = performance.now();
  const fold = await foldExperimentStats(db);
  const t1 = performance.now();
  const stats = await readAllFoldedStats(db, experiments);
  const t2 = performance.now();
  let effects = 0;
  for (const e of experiments) effects += analyse(stats.get(e.key) ?? []);
  const t3 = performance.now();
  if (effects === 0) throw new Error('no effect was estimated: the load produced no exposures?');
  return { run: { foldMs: t1 - t0, readMs: t2 - t1, analysisMs: t3 - t2, events: fold.events }, stats };
}

/** The folded statistics must be exactly what the raw statement computes. */
function compare(a: Map<string, SufficientStats[][]>, b: Map<string, SufficientStats[][]>): string[] {
  const bad: string[] = [];
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  for (const [key, metrics] of a) {
    metrics.forEach((metric, i) => {
      for (const [k, v] of metric.entries()) {
        const w = b.get(key)?.[i]?.[k];
        if (!w || v.n !== w.n || !close(v.sum, w.sum) || !close(v.sumSquares, w.sumSquares))
          bad.push(`${key} ${METRICS[i]?.key} ${v.variation}: ${JSON.stringify(v)} vs ${JSON.stringify(w)}`);
      }
    });
  }
  return bad;
}

interface E2eResult {
  label: string;
  loaded: Loaded;
  rebuild: { ms: number; subjects: number } | null;
  runs: Run[];
  withNew: Run[];
  subjects: number;
  raw: { queryMs: number; analysisMs: number };
}

async function benchBackend(backend: Backend): Promise<E2eResult> {
  let db = await backend.open();
  const loaded = await load(backend, db);
  // PGlite: reopen so the measured session starts like the server's (fresh worker, data on disk).
  await db.close();
  db = await backend.open();
  try {
    const end = new Date(loaded.end);
    const from = new Date(end.getTime() - DAYS * DAY_MS);
    // Running experiments have no end: the raw statement counts every event from the start too.
    const experiments = benchExperiments(loaded.domainIds, EXPERIMENTS, from, FAR_FUTURE);
    await insertBenchExperiments(db, experiments, from);
    // Setup, like the rollups' first fold: every experiment's subjects from all its raw events.
    progress(`${backend.kind}: folding the experiments' subjects from the raw events`);
    const t0 = performance.now();
    const first = await foldExperimentStats(db);
    const rebuild = first.rebuilt > 0 ? { ms: performance.now() - t0, subjects: 0 } : null;
    const counted = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM experiment_subjects');
    const subjects = counted.rows[0]?.n ?? 0;
    if (rebuild) rebuild.subjects = subjects;
    progress(
      `${backend.kind}: ${first.rebuilt} experiments, ${int(subjects)} subjects in ${int(performance.now() - t0)} ms`,
    );

    const runs: Run[] = [];
    let folded = new Map<string, SufficientStats[][]>();
    for (let i = 0; i < ITERATIONS; i++) {
      const r = await endToEnd(db, experiments);
      runs.push(r.run);
      folded = r.stats;
      progress(
        `${backend.kind}: end to end ${i + 1}: ${int(totalMs(r.run))} ms (fold ${int(r.run.foldMs)}, read ${int(r.run.readMs)}, analysis ${int(r.run.analysisMs)})`,
      );
    }
    // Baseline in the same run: the sufficient statistics from the raw events in one grouped statement.
    const t1 = performance.now();
    const raw = await groupedSufficientStats(db, experiments, METRICS);
    const t2 = performance.now();
    for (const e of experiments) analyse(raw.get(e.key) ?? []);
    const rawRun = { queryMs: t2 - t1, analysisMs: performance.now() - t2 };
    progress(`${backend.kind}: raw grouped statement ${int(rawRun.queryMs)} ms`);
    const mismatches = compare(folded, raw);
    if (mismatches.length)
      throw new Error(
        `folded statistics differ from the raw statement:\n${mismatches.slice(0, 10).join('\n')}`,
      );

    // New traffic arrives, then end to end again: a minute's worth (the server folds every
    // ROLLUP_INTERVAL_SECONDS, 10 s by default, so a request finds less than that), then an
    // hour's worth at once (a fold that fell behind catching up).
    const withNew: Run[] = [];
    const traffic = trafficFor(loaded.events, DAYS, loaded.domainIds.length);
    for (const [label, share] of [
      ['minute', 1 / 1440],
      ['hour', 1 / 24],
    ] as const) {
      for (let i = 0; i < ITERATIONS; i++) {
        await fillDay(db, {
          domainIds: loaded.domainIds,
          experiments: EXPERIMENTS,
          dayStart: new Date(end.getTime() + withNew.length * 3_600_000),
          dayIndex: 1000 + Math.floor(Math.random() * 1e6),
          sessions: Math.max(1, Math.round(traffic.sessions * share)),
          visitors: traffic.visitors,
        });
        const r = await endToEnd(db, experiments);
        withNew.push({ ...r.run, label });
        progress(
          `${backend.kind}: +${int(r.run.events)} new events (a ${label}), end to end ${int(totalMs(r.run))} ms (fold ${int(r.run.foldMs)})`,
        );
      }
    }
    return { label: backend.label, loaded, rebuild, runs, withNew, subjects, raw: rawRun };
  } finally {
    await db.close();
  }
}

function e2eReport(r: E2eResult): string {
  const rawTotal = (r.raw.queryMs + r.raw.analysisMs) / 1000;
  const row = (name: string, x: Run) =>
    `| ${name} | ${int(x.events)} | ${f2(x.foldMs / 1000)} | ${f1(x.readMs)} | ${f1(x.analysisMs)} | ${f2(totalMs(x) / 1000)} | ${f1(rawTotal / (totalMs(x) / 1000))}× | ${totalMs(x) / 1000 < 2 ? 'PASS' : 'MISS'} |`;
  return [
    `### ${r.label}`,
    '',
    `Loaded ${int(r.loaded.events)} events (${int(r.loaded.exposures)} exposures) over ${DAYS} days on ${DOMAINS} domains in ${f1(r.loaded.loadSeconds)} s (bulk SQL, setup). ${int(r.subjects)} exposed subjects. Each experiment: 3 variations × 4 metrics (2 conversions, revenue, page views; 14-day windows).`,
    r.rebuild
      ? `Setup, like the rollups' first fold: the first fold built all 1,000 experiments' subjects from the raw events in ${f1(r.rebuild.ms / 1000)} s.`
      : 'The subjects were folded by an earlier run (kept database).',
    '',
    '| end to end: 1,000 experiments × 3 variations × 4 metrics | new events folded | fold s | read ms | analysis ms | total s | raw statement ÷ this | < 2 s |',
    '|---|---|---|---|---|---|---|---|',
    ...r.runs.map((x, i) => row(`fold (nothing new) + read + analysis, run ${i + 1}`, x)),
    ...r.withNew.map((x, i) =>
      row(
        `${x.label === 'hour' ? 'an' : 'a'} ${x.label} of new traffic arrives, run ${(i % ITERATIONS) + 1}`,
        x,
      ),
    ),
    '',
    `Baseline in the same run: the same statistics from the raw events, all 1,000 experiments in one grouped statement (hash joins), then the same analysis: ${f2(r.raw.queryMs / 1000)} s + ${f1(r.raw.analysisMs)} ms = ${f2(rawTotal)} s. The folded statistics equal it (checked for every experiment, metric and variation).`,
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
