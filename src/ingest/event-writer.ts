import type { Db } from '../db/types.ts';
import { AppError } from '../shared/app-error.ts';
import type { EventRow } from './event-row.ts';
import { insertEvents } from './insert-events.sql.ts';

export interface EventWriterOptions {
  /** A batch closes when it holds this many events… */
  maxBatchEvents: number;
  /** …or when its first event has waited this long. */
  maxDelayMs: number;
  /** Events waiting at most; beyond that requests are refused with 503 + Retry-After. */
  maxQueuedEvents: number;
}

export const DEFAULT_WRITER_OPTIONS: EventWriterOptions = {
  maxBatchEvents: 1000,
  maxDelayMs: 10,
  maxQueuedEvents: 50_000,
};

const BACKLOG_BATCH_FACTOR = 10;

interface Pending {
  rows: readonly EventRow[];
  resolve: (stored: number) => void;
  reject: (err: unknown) => void;
}

export class QueueFullError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(
      'unavailable',
      'the ingestion queue is full; retry after the indicated delay',
      undefined,
      undefined,
      retryAfterSeconds,
    );
    this.name = 'QueueFullError';
  }
}

/**
 * Group commit: events from many requests are written in one transaction, and each request's
 * promise resolves only once its events are committed — so a 2xx always means stored. The queue
 * is bounded: when full, write() throws QueueFullError instead of dropping anything.
 */
export class EventWriter {
  private queue: Pending[] = [];
  private queuedEvents = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  readonly stats = { batches: 0, events: 0, stored: 0, rejectedFull: 0, failedBatches: 0 };
  private readonly committedListeners = new Set<(rows: readonly EventRow[]) => void>();

  constructor(
    private readonly db: Db,
    private readonly options: EventWriterOptions = DEFAULT_WRITER_OPTIONS,
  ) {}

  get queued(): number {
    return this.queuedEvents;
  }

  /** Calls `listener` with every batch right after it commits (live counters); returns an unsubscribe. */
  onCommitted(listener: (rows: readonly EventRow[]) => void): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  write(rows: readonly EventRow[]): Promise<number> {
    if (this.closed) return Promise.reject(new AppError('unavailable', 'the server is shutting down'));
    if (rows.length === 0) return Promise.resolve(0);
    if (this.queuedEvents + rows.length > this.options.maxQueuedEvents) {
      this.stats.rejectedFull++;
      return Promise.reject(new QueueFullError(1));
    }
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.queuedEvents += rows.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running) return; // the running loop picks the new work up
    if (this.queuedEvents >= this.options.maxBatchEvents) {
      this.start();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.start(), this.options.maxDelayMs);
    }
  }

  private start(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.running || this.queue.length === 0) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.queue.length > 0) this.schedule();
    });
  }

  private async drain(): Promise<void> {
    // Keep committing while work is waiting: under load batches fill while the previous commits.
    while (this.queue.length > 0) {
      // Behind schedule (the database was busy), take up to ten batches' worth in one commit:
      // one transaction of 10,000 rows is far cheaper than ten, so the backlog clears fast.
      const limit =
        this.queuedEvents > this.options.maxBatchEvents
          ? this.options.maxBatchEvents * BACKLOG_BATCH_FACTOR
          : this.options.maxBatchEvents;
      const batch: Pending[] = [];
      let size = 0;
      while (
        this.queue.length > 0 &&
        (batch.length === 0 || size + (this.queue[0]?.rows.length ?? 0) <= limit)
      ) {
        const next = this.queue.shift() as Pending;
        batch.push(next);
        size += next.rows.length;
      }
      await this.commit(batch);
      this.queuedEvents -= size;
      this.stats.events += size;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const rows = batch.flatMap((p) => p.rows);
      const stored = await this.db.transaction((tx) => insertEvents(tx, rows), { priority: 'high' });
      this.stats.batches++;
      this.stats.stored += stored;
      for (const p of batch) p.resolve(p.rows.length);
      for (const listener of this.committedListeners) {
        try {
          listener(rows);
        } catch {
          // A live view's failure must never fail ingestion.
        }
      }
    } catch (err) {
      this.stats.failedBatches++;
      if (batch.length === 1) batch[0]?.reject(err);
      // One bad request must not fail its neighbours: retry each on its own.
      else for (const p of batch) await this.commit([p]);
    }
  }

  /** Stops accepting, then waits until everything accepted is committed. */
  async close(): Promise<void> {
    this.closed = true;
    this.start();
    while (this.running) await this.running;
  }
}
