import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliIo, UsageError } from '../cli/cli-io.ts';
import { openDatabase } from '../db/open-database.ts';
import type { Db } from '../db/types.ts';
import { describeIntegration } from '../test-support/integration.ts';
import { createTestDb, testBackend } from '../test-support/test-db.ts';
import { runDemoCommand } from './demo-command.ts';

// `portfolio-os demo` without --url: it starts the server on the configured database itself,
// sends a short period over HTTP, folds the rollups and stops. Run twice with the same seed, the
// second run must add nothing: every id it sends is derived from the seed.

const END = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const ARGS = ['--days', '7', '--seed', '5', '--end', END, '--json'];

const TABLES = [
  'events',
  'users',
  'user_external_ids',
  'visitor_identities',
  'revenue',
  'subscriptions',
  'subscription_changes',
  'stripe_events',
  'costs',
  'activity_daily',
];

function capture(): CliIo & { out: (line: string) => void; lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line) };
}

describeIntegration('portfolio-os demo (in-process server)', () => {
  let databaseArgs: string[];
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (testBackend() === 'postgres') {
      // A database of its own, left empty for the command's server to set up; dropped afterwards.
      const db = await createTestDb({ migrated: false });
      databaseArgs = ['--database-url', db.url as string];
      cleanup = () => db.close();
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'pos-demo-'));
      databaseArgs = ['--data', dir];
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
  });
  afterAll(async () => {
    await cleanup?.();
  });

  /** Row counts of the demo's tables, read once the command has closed the database. */
  async function counts(): Promise<Record<string, number>> {
    const [flag, value] = databaseArgs as [string, string];
    const db: Db = await openDatabase(
      flag === '--data' ? { dataDir: value } : { dataDir: '', databaseUrl: value },
    );
    try {
      const out: Record<string, number> = {};
      for (const table of TABLES) {
        out[table] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
      }
      const live = await db.query<{ keys: string; operators: string }>(
        `SELECT (SELECT count(*) FROM api_keys WHERE revoked_at IS NULL) AS keys,
                (SELECT count(*) FROM operators) AS operators`,
      );
      out.liveKeys = Number(live.rows[0]?.keys);
      out.operators = Number(live.rows[0]?.operators);
      return out;
    } finally {
      await db.close();
    }
  }

  it(
    'sends a period through its own server, and a second run with the same seed adds nothing',
    async () => {
      const first = capture();
      expect(await runDemoCommand([...ARGS, ...databaseArgs], first), first.errors.join('\n')).toBe(0);
      const summary = JSON.parse(first.lines.join('\n'));
      expect(summary).toMatchObject({ days: 7, seed: 5, to: END, domains: 7 });
      expect(summary.events).toBeGreaterThan(10_000);
      expect(first.errors.some((line) => line.includes('folding the new events'))).toBe(true);
      const afterFirst = await counts();
      expect(afterFirst.events).toBe(summary.events);
      expect(afterFirst.activity_daily).toBeGreaterThan(0);
      // Nothing of the demo's access is left: its keys are revoked, its temporary admin removed.
      expect(afterFirst).toMatchObject({ liveKeys: 0, operators: 1 });

      const second = capture();
      expect(await runDemoCommand([...ARGS, ...databaseArgs], second), second.errors.join('\n')).toBe(0);
      const again = JSON.parse(second.lines.join('\n'));
      expect(again.revenue.created).toBe(0);
      expect(again.webhooks.applied).toBe(0);
      expect(again.costs.inserted).toBe(0);
      expect(await counts()).toEqual(afterFirst);
    },
    30 * 60_000,
  );

  it('refuses impossible flags as usage errors (exit code 2)', async () => {
    const io = capture();
    await expect(runDemoCommand(['--days', '3'], io)).rejects.toThrow(UsageError);
    await expect(runDemoCommand(['--token', 'x'], io)).rejects.toThrow('--token goes with --url');
    await expect(runDemoCommand(['--end', '2999-01-01'], io)).rejects.toThrow('in the future');
    await expect(runDemoCommand(['--url', 'http://127.0.0.1:1', ...databaseArgs], io)).rejects.toThrow(
      UsageError,
    );
  });
});
