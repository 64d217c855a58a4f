// Where the machine's CPU went during a measurement, from /proc (Linux only; elsewhere the
// figures are left out). On a shared machine the "everything else" share tells whether a figure
// was taken while other work competed for the cores.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every mainstream Linux

export interface CpuSample {
  at: number;
  /** Busy ticks of all CPUs (everything but idle and iowait). */
  busy: number;
  /** Ticks used by the PostgreSQL backends connected to one database (others' work excluded). */
  postgres: number;
}

function machineBusy(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return total - (fields[3] ?? 0) - (fields[4] ?? 0);
}

/** A backend's title reads "postgres: <user> <database> <client> <state>". */
function postgresTicks(database: string): number {
  let sum = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `)) continue;
      const rest = stat.slice(close + 2).split(' ');
      sum += Number(rest[11]) + Number(rest[12]); // utime, stime (fields 14 and 15)
    } catch {
      // the process ended between readdir and read
    }
  }
  return sum;
}

export function sampleCpu(database?: string): CpuSample | null {
  try {
    return { at: performance.now(), busy: machineBusy(), postgres: database ? postgresTicks(database) : 0 };
  } catch {
    return null;
  }
}

/** Cores in use between two samples: the whole machine, and the database's backends. */
export function coresBetween(a: CpuSample, b: CpuSample): { machine: number; postgres: number } {
  const seconds = (b.at - a.at) / 1000;
  return {
    machine: (b.busy - a.busy) / TICKS_PER_SECOND / seconds,
    postgres: (b.postgres - a.postgres) / TICKS_PER_SECOND / seconds,
  };
}

/**
 * Waits (up to maxWaitMs) for a second in which the machine is nearly idle, so a figure is not
 * taken while someone else's build runs. Returns the cores others used in the last second checked.
 */
export async function waitForQuiet(maxWaitMs: number, idleCores = 0.3): Promise<number> {
  const deadline = performance.now() + maxWaitMs;
  for (;;) {
    const a = sampleCpu();
    await new Promise((r) => setTimeout(r, 1000));
    const b = sampleCpu();
    if (!a || !b) return 0;
    const busy = coresBetween(a, b).machine;
    if (busy <= idleCores || performance.now() >= deadline) return busy;
  }
}
