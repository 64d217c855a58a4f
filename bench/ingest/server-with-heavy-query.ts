// The real server (startServer, as `portfolio-os start` runs it), plus one bench-only hook: on
// the parent's word it loops a heavy dashboard query through the server's own database handle.
// PGlite lets one process open a data directory, so the query has to run here, through the same
// worker the server writes with; PostgreSQL uses the same path (one pool connection) for symmetry.
import { loadSettings } from '../../src/config/settings.ts';
import { startServer } from '../../src/server/start-server.ts';
import { announce, serveParent } from './child-ipc.ts';
import { HEAVY_QUERY } from './payloads.ts';

const server = await startServer(loadSettings(process.env, { port: 0, host: '127.0.0.1' }), {
  info: () => undefined,
});

let heavyOn = false;
let heavyLoop: Promise<number[]> | null = null;

async function loopHeavyQuery(): Promise<number[]> {
  const durations: number[] = [];
  while (heavyOn) {
    const t0 = performance.now();
    await server.db.query(HEAVY_QUERY);
    durations.push(performance.now() - t0);
  }
  return durations;
}

serveParent({
  extra: () => ({ writer: { ...server.ingest.writer.stats }, queued: server.ingest.writer.queued }),
  onMessage: (msg) => {
    if (msg.type !== 'heavy') return;
    if (msg.on && !heavyLoop) {
      heavyOn = true;
      heavyLoop = loopHeavyQuery();
      process.send?.({ type: 'heavy-started' });
    } else if (!msg.on && heavyLoop) {
      heavyOn = false;
      // Answer once the running query has finished, so the next step starts on an idle database.
      heavyLoop.then(
        (durations) => process.send?.({ type: 'heavy-stopped', durations }),
        (err: Error) => process.send?.({ type: 'heavy-stopped', durations: [], error: err.message }),
      );
      heavyLoop = null;
    }
  },
  close: () => server.close(),
});
announce(server.url);
