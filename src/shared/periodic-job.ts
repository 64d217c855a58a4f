export type PeriodicRun = 'start' | 'timer' | 'stop';

export interface PeriodicJobOptions<T> {
  run: () => Promise<T>;
  /** Milliseconds from the end of one timed run to the next (a function: read at each arming); ≤ 0: no timer. */
  delayMs: number | (() => number);
  /** A failed start, timer or stop run; runNow() rejects to its caller instead. */
  onError: (err: unknown, run: PeriodicRun) => void;
  /** Also runs once at start (the first timer is armed at start either way). */
  runAtStart?: boolean;
  /** stop() runs once more after the run in progress (e.g. to flush what is in memory). */
  runAtStop?: boolean;
}

export interface PeriodicJob<T> {
  /** Runs now, after the run in progress (never alongside it); rejects if it fails. Works after stop(). */
  runNow(): Promise<T>;
  /** Clears the timer, waits for the run in progress (and the stop run), never rejects; no timed run follows. */
  stop(): Promise<void>;
}

/** Runs `run` on a self-re-arming timer; runs never overlap and a failed run is logged, not fatal. */
export function startPeriodicJob<T>(options: PeriodicJobOptions<T>): PeriodicJob<T> {
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  function runNow(): Promise<T> {
    const run = chain.then(options.run);
    chain = run.catch(() => undefined);
    return run;
  }

  function runLogged(kind: PeriodicRun): Promise<unknown> {
    return runNow().catch((err) => options.onError(err, kind));
  }

  function schedule(): void {
    if (stopped) return;
    const delay = typeof options.delayMs === 'function' ? options.delayMs() : options.delayMs;
    if (delay <= 0) return;
    timer = setTimeout(() => {
      timer = null;
      void runLogged('timer').finally(schedule);
    }, delay);
    timer.unref();
  }

  if (options.runAtStart) void runLogged('start');
  schedule();
  return {
    runNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (options.runAtStop) await runLogged('stop');
      else await chain;
    },
  };
}
