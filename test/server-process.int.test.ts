import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPglite } from '../src/db/open-pglite.ts';
import { describeIntegration } from '../src/test-support/integration.ts';
import { runCli, type ServerProcess, spawnServer } from '../src/test-support/spawn-cli.ts';
import { testBackend } from '../src/test-support/test-db.ts';
import { EXAMPLE_PORTFOLIO } from '../src/test-support/test-server.ts';

// The real process: signals, the data-directory lock and start-up checks. PGlite mode only:
// these are properties of the embedded database (PostgreSQL has its own locking and shutdown).
// biome-ignore lint/suspicious/noExplicitAny: JSON responses are inspected field by field
type Json = any;

const onPglite = testBackend() === 'pglite' ? describeIntegration : describe.skip;

onPglite('the server process on an embedded database', () => {
  let dir: string;
  let dataDir: string;
  let portfolioFile: string;
  let server: ServerProcess | undefined;
  const ownerToken = 'process-test-owner-token-0123456789abcdef';
  const env = { OWNER_TOKEN: ownerToken, DATABASE_URL: '' };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pos-proc-'));
    dataDir = join(dir, 'data');
    portfolioFile = join(dir, 'portfolio.yaml');
    await copyFile(EXAMPLE_PORTFOLIO, portfolioFile);
  });
  afterEach(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    server = undefined;
  });

  const start = async () => {
    server = await spawnServer(['--data', dataDir, '--portfolio', portfolioFile], env);
    return server;
  };
  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${server?.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json', ...init.headers },
    });
    return { status: res.status, json: (await res.json()) as Record<string, Json> };
  };

  it('refuses a second process on the same data directory, with a clear message', async () => {
    await start();
    const second = await runCli(['migrate', '--data', dataDir], { DATABASE_URL: '' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already in use by another Portfolio OS process \(pid \d+/);
    expect((await api('/api/v1/domains')).status).toBe(200);
  });

  it('finishes an in-flight request on SIGTERM, closes cleanly, and the data is intact afterwards', async () => {
    const s = await start();
    // A request whose body is still arriving when SIGTERM lands.
    const body = JSON.stringify({ domain: 'fixie.run', kind: 'secret', name: 'in flight' });
    const { status, json: created } = await new Promise<{ status: number; json: { key: { id: string } } }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${s.url}/api/v1/keys`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${ownerToken}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = '';
            res.on('data', (d) => {
              text += d;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => s.child.kill('SIGTERM'), 300);
        setTimeout(() => req.end(body.slice(10)), 800);
      },
    );
    expect(status).toBe(201);
    expect(await s.exited).toBe(0);
    expect(s.output()).toMatch(/database closed cleanly/);

    const list = await runCli(['keys', 'list', '--json', '--data', dataDir], { DATABASE_URL: '' });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).keys.map((k: { id: string }) => k.id)).toContain(created.key.id);
    const check = await openPglite({ dataDir });
    const amcheck = await check.query<{ n: number }>('SELECT count(*)::int AS n FROM domains');
    expect(amcheck.rows[0]?.n).toBe(7);
    await check.close();
  });

  it('reloads the portfolio on SIGHUP, and keeps the old one when the file is bad', async () => {
    const s = await start();
    const original = await readFile(portfolioFile, 'utf8');
    await writeFile(portfolioFile, original.replace(/^name:/m, 'oops: true\nname:'));
    s.child.kill('SIGHUP');
    let status: Record<string, Json> = {};
    // Up to 30 s: at start the server also opens the embedded chain and deploys the token, and
    // PGlite's one session serves those writes and the reload in turn.
    for (let i = 0; i < 600 && !status.lastError; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await api('/api/v1/portfolio/status')).json;
    }
    expect(status.lastError.problems.join('\n')).toMatch(/oops/);
    expect((await api('/api/v1/domains')).json.domains).toHaveLength(7);

    // A valid edit: drop aiftw.be from the file; it is archived (its data kept), not deleted.
    // Its reward rule goes too: a rule naming a host the file no longer has is an error.
    const withoutAiftw = original
      .replace(/\n {2}- host: aiftw\.be[\s\S]*?(?=\n {2}- host:|\n\S)/, '')
      .replace(/\n {4}- id: demo-booked\n(?: {6}.*\n?)*/, '\n');
    expect(withoutAiftw).not.toBe(original);
    await writeFile(portfolioFile, withoutAiftw);
    s.child.kill('SIGHUP');
    let hosts: string[] = [];
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 50));
      hosts = (await api('/api/v1/domains')).json.domains.map((d: { host: string }) => d.host);
      if (hosts.length === 6) break;
    }
    expect(hosts).not.toContain('aiftw.be');
    expect(hosts).toHaveLength(6);
  });

  it('refuses to start when the database is behind or ahead of the code, saying what to run', async () => {
    const migrated = await runCli(['migrate', '--data', dataDir], { DATABASE_URL: '' });
    expect(migrated.code).toBe(0);
    const again = await runCli(['migrate', '--data', dataDir], { DATABASE_URL: '' });
    expect(again.stdout).toMatch(/up to date/);

    let db = await openPglite({ dataDir });
    const removed = await db.query(
      'DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations) RETURNING *',
    );
    await db.close();
    const behind = await runCli(
      ['start', '--port', '0', '--data', dataDir, '--portfolio', portfolioFile],
      env,
    );
    expect(behind.code).toBe(1);
    expect(behind.stderr).toMatch(/behind.*portfolio-os migrate/s);

    db = await openPglite({ dataDir });
    const [row] = removed.rows as { version: number; name: string; checksum: string }[];
    await db.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
      row?.version,
      row?.name,
      row?.checksum,
    ]);
    await db.query("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'future', 'x')");
    await db.close();
    const ahead = await runCli(
      ['start', '--port', '0', '--data', dataDir, '--portfolio', portfolioFile],
      env,
    );
    expect(ahead.code).toBe(1);
    expect(ahead.stderr).toMatch(/9999_future.*newer release/s);
  });
});
