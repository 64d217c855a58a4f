import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { UsageError } from '../../cli/cli-io.ts';
import { runImport } from '../../cli/import-command.ts';
import { migrate } from '../../db/migrate.ts';
import { openPglite } from '../../db/open-pglite.ts';
import type { Db } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb, testBackend } from '../../test-support/test-db.ts';

const COMMISSIONS = fileURLToPath(new URL('../../../examples/commissions.csv', import.meta.url));
const COSTS = fileURLToPath(new URL('../../../examples/costs.csv', import.meta.url));

// runImport in-process against each backend: --data for PGlite, --database-url for PostgreSQL.
describeIntegration('portfolio-os import', () => {
  let target: string[];
  let dir: string;
  let pgDb: Db | undefined;
  /** The CLI's database between runs (PGlite allows one opener at a time). */
  const withTargetDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    if (pgDb) return fn(pgDb);
    const db = await openPglite({ dataDir: target[1] as string });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runImport([...args, ...target], { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    vi.stubEnv('DATABASE_URL', ''); // the flags below choose the database, not the environment
    dir = await mkdtemp(join(tmpdir(), 'pos-import-'));
    if (testBackend() === 'postgres') {
      pgDb = await createTestDb();
      target = ['--database-url', (pgDb as Db & { url: string }).url];
    } else {
      target = ['--data', join(dir, 'data')];
    }
    await withTargetDb(async (db) => {
      if (!pgDb) await migrate(db);
      await insertDomains(db, ['puffs-store.com', 'aiftw.be']);
    });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await pgDb?.close();
  });

  it('imports the example commissions, then finds them unchanged', async () => {
    const first = await run(['commissions', COMMISSIONS]);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toBe(
      `commissions from ${COMMISSIONS}: 6 rows — 6 inserted, 0 updated, 0 unchanged, 0 rejected`,
    );
    const again = await run(['commissions', COMMISSIONS, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ inserted: 0, unchanged: 6, committed: true });
    const stored = await withTargetDb((db) =>
      db.query<{ n: number }>("SELECT count(*)::int AS n FROM revenue WHERE kind = 'affiliate'"),
    );
    expect(stored.rows[0]?.n).toBe(6);
  });

  it('imports the example costs', async () => {
    const res = await run(['costs', COSTS]);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/6 rows — 6 inserted/);
    const total = await withTargetDb((db) =>
      db.query<{ eur: string }>('SELECT sum(amount_eur)::text AS eur FROM costs'),
    );
    // 41.28 + 19 + 250 + 24.94 + 32.18 + 91.20
    expect(total.rows[0]?.eur).toBe('458.60');
  });

  it('lists rejected rows as FILE:LINE field: message and exits 1', async () => {
    const file = join(dir, 'bad-costs.csv');
    await writeFile(
      file,
      'date,category,amount,currency\n2026-10-01,tools,12,EUR\n2026-10-02,rent,5,EUR\n2026-10-03,ai,x,EUR\n',
    );
    const res = await run(['costs', file, '--domain', 'aiftw.be']);
    expect(res.code).toBe(1);
    expect(res.err.split('\n')).toEqual([
      `${file}:3 category: must be one of infrastructure, marketing, tools, team, cogs, ai, other`,
      `${file}:4 amount: must be a decimal number with at most 2 decimals, like 19.99 or -5`,
    ]);
    expect(res.out).toMatch(/3 rows — 1 inserted, 0 updated, 0 unchanged, 2 rejected/);
  });

  it('imports nothing with --all-or-nothing when a row is rejected', async () => {
    const file = join(dir, 'aon.csv');
    await writeFile(
      file,
      'date,category,amount,currency,external_id\n2026-10-01,tools,7,EUR,aon-ok\n2026-10-02,tools,7,ZZZ,aon-bad\n',
    );
    const res = await run(['costs', file, '--domain', 'aiftw.be', '--all-or-nothing']);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/nothing imported \(--all-or-nothing\)/);
    expect(res.err).toBe(`${file}:3 currency: unknown currency ZZZ`);
    const found = await withTargetDb((db) => db.query("SELECT 1 FROM costs WHERE external_id = 'aon-ok'"));
    expect(found.rowCount).toBe(0);
  });

  it('explains usage mistakes (exit 2 through main) and unreadable files (exit 1)', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--help'])).out).toMatch(/portfolio-os import commissions FILE/);
    await expect(run(['invoices', COSTS])).rejects.toThrow(UsageError);
    await expect(run(['costs'])).rejects.toThrow(/needs a FILE/);
    await expect(run(['costs', COSTS, 'extra'])).rejects.toThrow(/unexpected argument/);
    await expect(run(['costs', COSTS, '--domain', 'not a host'])).rejects.toThrow(/--domain/);
    await expect(run(['costs', join(dir, 'missing.csv')])).rejects.toThrow(AppError);
    const noHeader = join(dir, 'no-amount.csv');
    await writeFile(noHeader, 'date,category,currency\n');
    await expect(run(['costs', noHeader])).rejects.toThrow(/missing required column amount/);
  });
});
