import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type PeriodicRun, startPeriodicJob } from './periodic-job.ts';

/** A run that stays in progress until the test releases (or fails) it. */
function gatedRuns() {
  const gates: { resolve: (n: number) => void; reject: (e: Error) => void }[] = [];
  let active = 0;
  let maxActive = 0;
  const run = () =>
    new Promise<number>((resolve, reject) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      const done = () => {
        active -= 1;
      };
      gates.push({
        resolve: (n) => {
          done();
          resolve(n);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
    });
  return { run, gates, started: () => gates.length, maxActive: () => maxActive };
}

function errors() {
  const seen: [string, PeriodicRun][] = [];
  return { seen, onError: (err: unknown, run: PeriodicRun) => seen.push([(err as Error).message, run]) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('startPeriodicJob', () => {
  it('runs delayMs after the previous run ends, never two at once', async () => {
    const g = gatedRuns();
    const job = startPeriodicJob({ run: g.run, delayMs: 1000, onError: errors().onError });
    expect(g.started()).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(g.started()).toBe(1);
    // The run is slow: no second one starts while it is in progress, however long it takes.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(g.started()).toBe(1);
    g.gates[0]?.resolve(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(g.started()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(g.started()).toBe(2);
    expect(g.maxActive()).toBe(1);
    g.gates[1]?.resolve(2);
    await job.stop();
  });

  it('logs a failed run and still runs the next one', async () => {
    const e = errors();
    let calls = 0;
    const job = startPeriodicJob({
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return calls;
      },
      delayMs: 500,
      onError: e.onError,
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(e.seen).toEqual([['boom', 'timer']]);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toBe(2);
    expect(e.seen).toHaveLength(1);
    await job.stop();
  });

  it('stop waits for the run in progress, and no timed run follows', async () => {
    const g = gatedRuns();
    const job = startPeriodicJob({ run: g.run, delayMs: 100, onError: errors().onError });
    await vi.advanceTimersByTimeAsync(100);
    expect(g.started()).toBe(1);
    let stopped = false;
    const stopping = job.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    g.gates[0]?.resolve(1);
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(g.started()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runNow queues behind the run in progress and resolves with its own result', async () => {
    const g = gatedRuns();
    const job = startPeriodicJob({ run: g.run, delayMs: 0, onError: errors().onError });
    const first = job.runNow();
    const second = job.runNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(g.started()).toBe(1);
    g.gates[0]?.resolve(1);
    await expect(first).resolves.toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(g.started()).toBe(2);
    g.gates[1]?.reject(new Error('second failed'));
    await expect(second).rejects.toThrow('second failed');
    // A rejected runNow does not poison the chain, and runNow still works after stop().
    await job.stop();
    const third = job.runNow();
    await vi.advanceTimersByTimeAsync(0);
    g.gates[2]?.resolve(3);
    await expect(third).resolves.toBe(3);
    expect(g.maxActive()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('delayMs ≤ 0 arms no timer; a delay function is read at each arming', async () => {
    const job0 = startPeriodicJob({ run: async () => 0, delayMs: 0, onError: errors().onError });
    expect(vi.getTimerCount()).toBe(0);
    await job0.stop();

    const delays = [300, 700];
    let calls = 0;
    const job = startPeriodicJob({
      run: async () => ++calls,
      delayMs: () => delays.shift() ?? 0,
      onError: errors().onError,
    });
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(699);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    expect(vi.getTimerCount()).toBe(0); // the function said 0: no further timer
    await job.stop();
  });

  it('runAtStart runs at once and arms the timer at start; a failure is reported as start', async () => {
    const e = errors();
    let calls = 0;
    const job = startPeriodicJob({
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('cold');
        return calls;
      },
      delayMs: 1000,
      onError: e.onError,
      runAtStart: true,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    expect(e.seen).toEqual([['cold', 'start']]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    await job.stop();
  });

  it('runAtStop runs once more after the run in progress; its failure is logged, stop resolves', async () => {
    const g = gatedRuns();
    const e = errors();
    const job = startPeriodicJob({ run: g.run, delayMs: 100, onError: e.onError, runAtStop: true });
    await vi.advanceTimersByTimeAsync(100);
    expect(g.started()).toBe(1);
    const stopping = job.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(g.started()).toBe(1); // the final run waits for the one in progress
    g.gates[0]?.resolve(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(g.started()).toBe(2);
    g.gates[1]?.reject(new Error('flush failed'));
    await expect(stopping).resolves.toBeUndefined();
    expect(e.seen).toEqual([['flush failed', 'stop']]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(g.started()).toBe(2);
    expect(g.maxActive()).toBe(1);
  });
});
