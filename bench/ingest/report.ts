// Markdown output: the machine, one table per backend (throughput and latency, then where the CPU
// went), and the ratios against the baselines with PASS/MISS for each goal.
import { cpus, totalmem } from 'node:os';
import type { LoadResult } from './load.ts';
import type { StorageResult } from './storage.ts';
import type { Usage } from './usage.ts';

export type Measured = LoadResult & { usage?: Usage };

export interface HttpCeiling {
  single: Measured;
  batch: Measured;
}

export interface BackendResult {
  label: string;
  single: Measured;
  batch: Measured;
  storage: StorageResult & { usage?: Usage };
  naive: Measured;
  halfPeak: Measured;
  halfPeakHeavy: Measured;
  heavy: { rowsInTable: number; aloneMs: number; runs: number; meanMs: number };
  /** Resident memory of the server process at the end of its run. */
  serverRssMb: number;
  problems: string[];
}

export interface Shape {
  concurrency: number;
  batchConcurrency: number;
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : '–');
const cores = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(2));

export function machine(): string {
  const cpu = cpus();
  return [
    `- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- CPU: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version} (${process.platform}/${process.arch})`,
  ].join('\n');
}

function failures(r: LoadResult): string {
  const parts = Object.entries(r.failures).map(([k, v]) => `${int(v)}× ${k}`);
  if (r.unanswered) parts.push(`${int(r.unanswered)} unanswered`);
  return parts.length ? parts.join(', ') : '0';
}

interface Line {
  what: string;
  /** CPU per event is meaningless where other work shares the process (the heavy query). */
  perEvent: boolean;
  rate: number;
  p50: number;
  p99: number;
  failures: string;
  usage: Usage | undefined;
}

function lines(b: BackendResult, http: HttpCeiling, s: Shape): Line[] {
  const load = (what: string, r: Measured, perEvent = true): Line => ({
    what,
    perEvent,
    rate: r.eventsPerSec,
    p50: r.p50,
    p99: r.p99,
    failures: failures(r),
    usage: r.usage,
  });
  const heavy =
    `${int(b.heavy.runs)} runs of ${ms(b.heavy.meanMs / 1000)} s on avg; ` +
    `alone ${ms(b.heavy.aloneMs / 1000)} s over ${int(b.heavy.rowsInTable)} rows`;
  return [
    load(`**ours**: single events, \`POST /api/event\` (${s.concurrency} conns)`, b.single),
    load(`**ours**: 100-event batches, \`POST /api/v1/events\` (${s.batchConcurrency} conns)`, b.batch),
    load('baseline: HTTP ceiling, single-event body (bare Fastify → 202)', http.single),
    load('baseline: HTTP ceiling, 100-event body (bare Fastify → 202)', http.batch),
    {
      what: 'baseline: storage ceiling, `insertEvents()` 1,000-row transactions (rows/s; ms per transaction)',
      perEvent: true,
      rate: b.storage.rowsPerSec,
      p50: b.storage.p50,
      p99: b.storage.p99,
      failures: '0',
      usage: b.storage.usage,
    },
    load(`baseline: naive, one awaited INSERT per request (${s.concurrency} conns)`, b.naive),
    load(
      `**ours**: open loop at 50 % of single-event peak (${int(b.halfPeak.targetRate ?? 0)} req/s)`,
      b.halfPeak,
    ),
    load(`**ours**: same, while the heavy query loops (${heavy})`, b.halfPeakHeavy, false),
  ];
}

export function backendTables(b: BackendResult, http: HttpCeiling, s: Shape): string {
  const rows = lines(b, http, s);
  return [
    `### ${b.label}`,
    '',
    '| measure | events/s | p50 ms | p99 ms | failures |',
    '|---|---|---|---|---|',
    ...rows.map((l) => `| ${l.what} | ${int(l.rate)} | ${ms(l.p50)} | ${ms(l.p99)} | ${l.failures} |`),
    '',
    'Where the CPU went, in cores (warm-up included). "server" counts all threads of the measured',
    'process (for the storage ceiling: this process, which builds the rows and runs the inserts);',
    `"postgres" only the backends of the bench's database; CPU per event = (server + postgres) ÷`,
    `events/s. The server process ended its run with ${int(b.serverRssMb)} MB resident.`,
    '',
    '| measure | server | its event loop busy | load generator | postgres | everything else | CPU µs per event | events per commit |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((l) => {
      const u = l.usage;
      const loop = u?.eventLoop === undefined ? '–' : `${Math.round(u.eventLoop * 100)} %`;
      const perCommit = u?.eventsPerCommit === undefined ? '–' : int(u.eventsPerCommit);
      const perEvent = u && l.perEvent ? int(((u.serverCores + (u.postgresCores ?? 0)) / l.rate) * 1e6) : '–';
      return `| ${l.what.split(' (')[0]} | ${cores(u?.serverCores)} | ${loop} | ${cores(u?.benchCores)} | ${cores(u?.postgresCores)} | ${cores(u?.otherCores)} | ${perEvent} | ${perCommit} |`;
    }),
    '',
    ...(noise(rows) ? [noise(rows)] : []),
  ].join('\n');
}

/** Says so when other work on the machine took CPU during the figures. */
function noise(rows: Line[]): string {
  const worst = Math.max(0, ...rows.map((l) => l.usage?.otherCores ?? 0));
  if (worst < 0.25) return '';
  return (
    `**Noisy machine:** other processes used up to ${worst.toFixed(2)} of the ${cpus().length} cores during ` +
    'these measurements, so throughput and latency are lower than on an idle machine; CPU per event is the ' +
    'steadier figure.\n'
  );
}

interface Goal {
  name: string;
  value: string;
  target: string;
  pass: boolean;
}

export function goals(b: BackendResult, http: HttpCeiling): Goal[] {
  const vsHttp = b.single.eventsPerSec / http.single.eventsPerSec;
  const vsStorage = b.batch.eventsPerSec / b.storage.rowsPerSec;
  const vsNaive = b.single.eventsPerSec / b.naive.eventsPerSec;
  const clean = (r: LoadResult) => Object.keys(r.failures).length === 0 && !r.unanswered;
  return [
    { name: 'single events ÷ HTTP ceiling', value: vsHttp.toFixed(2), target: '≥ 0.50', pass: vsHttp >= 0.5 },
    {
      name: 'batches ÷ storage ceiling',
      value: vsStorage.toFixed(2),
      target: '≥ 0.50',
      pass: vsStorage >= 0.5,
    },
    { name: 'single events ÷ naive', value: `${vsNaive.toFixed(1)}×`, target: '≥ 5×', pass: vsNaive >= 5 },
    {
      name: 'p99 at 50 % of peak',
      value: `${ms(b.halfPeak.p99)} ms`,
      target: '< 50 ms, no failures',
      pass: b.halfPeak.p99 < 50 && clean(b.halfPeak),
    },
    {
      name: 'p99 at 50 % of peak, heavy query running',
      value: `${ms(b.halfPeakHeavy.p99)} ms`,
      target: '< 50 ms, no failures',
      pass: b.halfPeakHeavy.p99 < 50 && clean(b.halfPeakHeavy),
    },
  ];
}

export function goalsTable(b: BackendResult, http: HttpCeiling): string {
  return [
    '| goal | measured | target | result |',
    '|---|---|---|---|',
    ...goals(b, http).map((g) => `| ${g.name} | ${g.value} | ${g.target} | ${g.pass ? 'PASS' : 'MISS'} |`),
    '',
  ].join('\n');
}

export function problems(b: BackendResult): string {
  if (b.problems.length === 0) return '';
  return `Problems seen:\n\n${b.problems.map((l) => `- ${l.replace(/\n/g, '\n    ')}`).join('\n')}\n`;
}
