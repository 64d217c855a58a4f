// The child side of the parent↔child protocol (Node IPC channel): every child announces its URL,
// reports its own CPU and event-loop use on request, and stops when told.
import { performance } from 'node:perf_hooks';

export type ParentMessage = { type: 'stats' } | { type: 'close' } | { type: 'heavy'; on: boolean };

export interface ChildStats {
  type: 'stats';
  /** User + system CPU of the whole process (all threads, PGlite's worker included), µs. */
  cpuMicros: number;
  /** Cumulative event-loop busy time of the main thread, ms. */
  eventLoopBusyMs: number;
  rssBytes: number;
  extra?: Record<string, unknown>;
}

export function announce(url: string): void {
  process.send?.({ type: 'ready', url });
}

export function serveParent(opts: {
  extra?: () => Record<string, unknown>;
  onMessage?: (msg: ParentMessage) => void;
  close: () => Promise<void>;
}): void {
  process.on('message', (msg: ParentMessage) => {
    if (msg.type === 'stats') {
      const cpu = process.cpuUsage();
      const stats: ChildStats = {
        type: 'stats',
        cpuMicros: cpu.user + cpu.system,
        eventLoopBusyMs: performance.eventLoopUtilization().active,
        rssBytes: process.memoryUsage().rss,
        ...(opts.extra ? { extra: opts.extra() } : {}),
      };
      process.send?.(stats);
    } else if (msg.type === 'close') {
      opts.close().then(
        () => process.exit(0),
        (err) => {
          console.error(err);
          process.exit(1);
        },
      );
    } else {
      opts.onMessage?.(msg);
    }
  });
  // The parent died: do not linger holding a port or a data directory.
  process.on('disconnect', () => void opts.close().finally(() => process.exit(0)));
}
