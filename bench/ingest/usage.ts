// Wraps one measurement with CPU accounting: the child server (its own process.cpuUsage, all
// threads), this process (the load generator), the PostgreSQL backends of the bench's database and
// the rest of the machine. CPU per event is the figure that noise on a shared machine moves least.
import { performance } from 'node:perf_hooks';
import type { Child } from './children.ts';
import { coresBetween, sampleCpu, waitForQuiet } from './machine-cpu.ts';

export interface Usage {
  /** Cores used by the measured server process (1.00 = one core busy all the time). */
  serverCores: number;
  /** Fraction of wall time the server's main thread (its JS event loop) was busy. */
  eventLoop?: number;
  /** Cores used by this process: the load generator (or, for the storage ceiling, the writer). */
  benchCores: number;
  /** Cores used by PostgreSQL backends connected to the bench's database. */
  postgresCores?: number;
  /** Cores used by everything else on the machine: noise from other work when high. */
  otherCores?: number;
  /** Server under test only: events per group-commit transaction. */
  eventsPerCommit?: number;
}

const QUIET_WAIT_MS = Number(process.env.BENCH_QUIET_WAIT_S ?? 2) * 1000;

type WriterStats = { batches: number; events: number };

/**
 * Runs `run` after waiting briefly for an idle machine, and reports where the CPU went. `child`
 * is the measured server (null: the work runs in this process); `database` names the PostgreSQL
 * database whose backends to count.
 */
export async function withUsage<T>(
  child: Child | null,
  database: string | undefined,
  run: () => Promise<T>,
): Promise<T & { usage: Usage }> {
  await waitForQuiet(QUIET_WAIT_MS);
  const before = child ? await child.stats() : null;
  const machineBefore = sampleCpu(database);
  const ownBefore = process.cpuUsage();
  const t0 = performance.now();
  const result = await run();
  const wallMs = performance.now() - t0;
  const own = process.cpuUsage(ownBefore);
  const machineAfter = sampleCpu(database);
  const after = child ? await child.stats() : null;

  const benchCores = (own.user + own.system) / 1000 / wallMs;
  const serverCores = before && after ? (after.cpuMicros - before.cpuMicros) / 1000 / wallMs : benchCores;
  const usage: Usage = { serverCores, benchCores: child ? benchCores : 0 };
  if (before && after) usage.eventLoop = (after.eventLoopBusyMs - before.eventLoopBusyMs) / wallMs;
  if (machineBefore && machineAfter) {
    const m = coresBetween(machineBefore, machineAfter);
    if (database) usage.postgresCores = m.postgres;
    const ours = serverCores + usage.benchCores + m.postgres;
    usage.otherCores = Math.max(0, m.machine - ours);
  }
  const w0 = before?.extra?.writer as WriterStats | undefined;
  const w1 = after?.extra?.writer as WriterStats | undefined;
  if (w0 && w1 && w1.batches > w0.batches)
    usage.eventsPerCommit = (w1.events - w0.events) / (w1.batches - w0.batches);
  return { ...result, usage };
}
