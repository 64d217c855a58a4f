interface Job {
  job: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export type QueuePriority = 'high' | 'normal';

/**
 * Runs async jobs strictly one after another (PGlite is one session: transactions must not
 * interleave). High-priority jobs — the ingestion writer's commits — go before waiting normal
 * ones, so a stream of slow dashboard queries delays writes by at most the one running query.
 */
export class SerialQueue {
  private readonly lanes: Record<QueuePriority, Job[]> = { high: [], normal: [] };
  private running = false;

  run<T>(job: () => Promise<T>, priority: QueuePriority = 'normal'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.lanes[priority].push({ job, resolve: resolve as (value: unknown) => void, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.take(); next; next = this.take()) {
        try {
          next.resolve(await next.job());
        } catch (err) {
          next.reject(err);
        }
        // Let the finished job's caller queue its follow-up (the writer's next commit) before
        // choosing, or a waiting slow query would slip in between every two commits.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }

  private take(): Job | undefined {
    return this.lanes.high.shift() ?? this.lanes.normal.shift();
  }
}
