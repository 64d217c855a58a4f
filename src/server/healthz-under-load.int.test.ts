import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIntegration } from '../test-support/integration.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';

// PGlite executes queries on the thread that calls it; it runs in a worker thread so that
// a long query cannot stall the HTTP event loop. This shows it with a CPU-bound 3 s query.
describeIntegration('a multi-second query does not freeze the HTTP server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps /healthz answering within 100 ms while the query runs', async () => {
    const started = performance.now();
    let queryDone = false;
    const slow = server.db
      .query(
        `DO $$ BEGIN
           WHILE clock_timestamp() < statement_timestamp() + interval '3 seconds' LOOP
             PERFORM count(*) FROM generate_series(1, 1000);
           END LOOP;
         END $$`,
      )
      .then(() => {
        queryDone = true;
        return performance.now() - started;
      });
    const latencies: number[] = [];
    while (!queryDone) {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(200);
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 25));
    }
    const queryMs = await slow;
    console.info(
      `[${server.db.kind}] ${latencies.length} /healthz calls during a ${Math.round(queryMs)} ms query; ` +
        `slowest ${Math.max(...latencies).toFixed(1)} ms`,
    );
    expect(queryMs).toBeGreaterThanOrEqual(2900);
    expect(latencies.length).toBeGreaterThan(30);
    expect(Math.max(...latencies)).toBeLessThan(100);
  });
});
