import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openPglite } from '../src/db/open-pglite.ts';
import type { Db } from '../src/db/types.ts';
import { describeIntegration } from '../src/test-support/integration.ts';
import { type ServerProcess, spawnServer } from '../src/test-support/spawn-cli.ts';
import { createTestDb, testBackend } from '../src/test-support/test-db.ts';

// The server as a child process, killed with SIGKILL in the middle of concurrent writes, then
// restarted: every event acknowledged with a 2xx is stored, exactly once, also after the
// clients retry what was not acknowledged (and some of what was).
describeIntegration('durability under SIGKILL', () => {
  const ownerToken = 'durability-owner-token-0123456789abcdef';
  let pg: (Db & { url?: string }) | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await pg?.close();
  });

  it('loses nothing acknowledged and stores nothing twice', async () => {
    let args: string[] = [];
    const env: Record<string, string> = {
      OWNER_TOKEN: ownerToken,
      INGEST_RATE_LIMIT: '1000000',
      DATABASE_URL: '',
    };
    let dataDir = '';
    if (testBackend() === 'postgres') {
      pg = await createTestDb();
      env.DATABASE_URL = pg.url as string;
    } else {
      dataDir = join(await mkdtemp(join(tmpdir(), 'pos-durable-')), 'data');
      args = ['--data', dataDir];
    }
    server = await spawnServer(args, env);
    const keyRes = await fetch(`${server.url}/api/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ domain: 'fixie.run', kind: 'secret' }),
    });
    const secret = ((await keyRes.json()) as { secret: string }).secret;

    type Batch = string[];
    const sent: Batch[] = [];
    const acked: Batch[] = [];
    const unacked: Batch[] = [];
    let seq = 0;
    let stop = false;
    const send = async (url: string, batch: Batch) => {
      const res = await fetch(`${url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: batch.map((id) => ({ name: 'ride', eventId: id, props: { id } })) }),
      });
      await res.arrayBuffer();
      return res.status;
    };
    const client = async (url: string) => {
      while (!stop) {
        const batch = Array.from({ length: 20 }, () => `ev-${seq++}`);
        sent.push(batch);
        try {
          if ((await send(url, batch)) === 202) acked.push(batch);
          else unacked.push(batch);
        } catch {
          unacked.push(batch); // connection reset: the client cannot know whether it was stored
        }
      }
    };
    const first = server;
    const clients = Array.from({ length: 8 }, () => client(first.url));
    await new Promise((r) => setTimeout(r, 1500));
    first.child.kill('SIGKILL');
    // Clients keep sending until the process is gone, so some requests are always cut off.
    await first.exited;
    stop = true;
    await Promise.all(clients);
    expect(acked.length).toBeGreaterThan(0);
    expect(unacked.length).toBeGreaterThan(0);

    server = await spawnServer(args, env);
    const retries = [...unacked, ...acked.slice(0, 20)];
    for (const batch of retries) expect(await send(server.url, batch)).toBe(202);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const db: Db = pg ?? (await openPglite({ dataDir }));
    const res = await db.query<{ event_id: string; n: number }>(
      `SELECT e.event_id, count(*)::int AS n FROM events e JOIN domains d ON d.id = e.domain_id
        WHERE d.host = 'fixie.run' AND e.name = 'ride' GROUP BY e.event_id`,
    );
    if (!pg) await db.close();
    const stored = new Map(res.rows.map((r) => [r.event_id, r.n]));
    const duplicates = res.rows.filter((r) => r.n !== 1);
    expect(duplicates).toEqual([]);
    const lost = acked.flat().filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
    expect(stored.size).toBe(sent.flat().length);
    console.info(
      `[${testBackend()}] ${acked.length} batches acknowledged before SIGKILL, ${unacked.length} not; ` +
        `${stored.size} events stored once each after retries`,
    );
  });
});
