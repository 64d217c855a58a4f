import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPglite } from '../src/db/open-pglite.ts';
import type { Db } from '../src/db/types.ts';
import { insertDomains } from '../src/test-support/fixtures.ts';
import { describeIntegration } from '../src/test-support/integration.ts';
import { ROOT, runCli } from '../src/test-support/spawn-cli.ts';
import { createTestDb, testBackend } from '../src/test-support/test-db.ts';

// The CLI against each backend: --data for PGlite, --database-url for PostgreSQL.
describeIntegration('portfolio-os CLI', () => {
  let target: string[];
  let env: Record<string, string>;
  let pgDb: Db | undefined;
  /** Direct access to the CLI's database between CLI runs (PGlite allows one process at a time). */
  const withTargetDb = async (fn: (db: Db) => Promise<void>) => {
    if (pgDb) return fn(pgDb);
    const db = await openPglite({ dataDir: target[1] as string });
    try {
      await fn(db);
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    env = { DATABASE_URL: '' };
    if (testBackend() === 'postgres') {
      pgDb = await createTestDb({ migrated: false });
      target = ['--database-url', (pgDb as Db & { url: string }).url];
    } else {
      target = ['--data', join(await mkdtemp(join(tmpdir(), 'pos-cli-')), 'data')];
    }
  });

  afterAll(async () => {
    await pgDb?.close();
  });

  it('prints usage, versions and --help for every command', async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/Usage: portfolio-os <command>/);
    for (const cmd of ['start', 'migrate', 'check', 'keys', 'operators']) {
      const help = await runCli([cmd, '--help']);
      expect(help.code, cmd).toBe(0);
      expect(help.stdout, cmd).toMatch(/Usage/);
    }
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const badFlag = await runCli(['keys', 'list', '--colour']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--colour/);
  });

  it('runs as `npx portfolio-os` in a checkout', async () => {
    const version = await new Promise<string>((resolve, reject) => {
      execFile('npx', ['--no-install', 'portfolio-os', '--version'], { cwd: ROOT }, (err, stdout) =>
        err ? reject(err) : resolve(stdout.trim()),
      );
    });
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version).toBe(pkg.version);
  });

  it('refuses to work on a database that was never migrated', async () => {
    const res = await runCli(['operators', 'list', ...target], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/portfolio-os migrate/);
  });

  it('migrates idempotently', async () => {
    const first = await runCli(['migrate', ...target], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/applied 0001_core_schema/);
    const second = await runCli(['migrate', ...target], env);
    expect(second.stdout).toMatch(/up to date/);
    const status = await runCli(['migrate', '--status', ...target], env);
    expect(status.code).toBe(0);
    expect(status.stdout).not.toMatch(/pending/);
  });

  it('folds rollups on demand and refuses to archive with retention 0', async () => {
    const fold = await runCli(['rollup', ...target], env);
    expect(fold.code, fold.stderr).toBe(0);
    expect(fold.stdout).toMatch(/^folded 0 event\(s\) into the rollups/);
    const archive = await runCli(['rollup', '--archive', ...target], env);
    expect(archive.code, archive.stderr).toBe(0);
    expect(archive.stdout).toMatch(/archived 0 raw event\(s\) older than 90 days/);
    const keepAll = await runCli(['rollup', '--archive', '--retention-days', '0', ...target], env);
    expect(keepAll.code).toBe(2);
    expect(keepAll.stderr).toMatch(/retention above 0/);
  });

  it('manages operators and keys, printing secrets once and validating flags', async () => {
    // Domains come from the portfolio file at server start; here the CLI checks unknown ones.
    const noDomain = await runCli(
      ['keys', 'create', '--domain', 'fixie.run', '--kind', 'public', ...target],
      env,
    );
    expect(noDomain.code).toBe(1);
    expect(noDomain.stderr).toMatch(/unknown domain: fixie\.run/);
    const badKind = await runCli(
      ['keys', 'create', '--domain', 'fixie.run', '--kind', 'root', ...target],
      env,
    );
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toMatch(/--kind/);

    const add = await runCli(
      ['operators', 'add', 'cfo@example.com', '--role', 'admin', '--json', ...target],
      env,
    );
    expect(add.code, add.stderr).toBe(0);
    const added = JSON.parse(add.stdout);
    expect(added.token).toMatch(/^pos_op_/);
    const dup = await runCli(['operators', 'add', 'cfo@example.com', '--role', 'admin', ...target], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    const owner = await runCli(
      ['operators', 'add', 'boss@example.com', '--role', 'owner', '--domains', 'fixie.run', ...target],
      env,
    );
    expect(owner.code).toBe(1);
    const list = await runCli(['operators', 'list', '--json', ...target], env);
    expect(JSON.parse(list.stdout).operators.map((o: { email: string }) => o.email)).toContain(
      'cfo@example.com',
    );
    const remove = await runCli(['operators', 'remove', 'cfo@example.com', ...target], env);
    expect(remove.code).toBe(0);
    const gone = await runCli(['operators', 'remove', 'cfo@example.com', ...target], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/no operator/);

    await withTargetDb(async (db) => {
      await insertDomains(db, ['fixie.run']);
    });
    const key = await runCli(
      ['keys', 'create', '--domain', 'fixie.run', '--kind', 'public', '--name', 'site', ...target],
      env,
    );
    expect(key.code, key.stderr).toBe(0);
    const secret = /^\s+(pos_pk_\S+)$/m.exec(key.stdout)?.[1];
    expect(secret).toBeDefined();
    const keys = await runCli(['keys', 'list', '--json', ...target], env);
    const [listed] = JSON.parse(keys.stdout).keys;
    expect(listed).toMatchObject({ domain: 'fixie.run', kind: 'public', name: 'site', revokedAt: null });
    expect(keys.stdout).not.toContain(secret);
    const revoke = await runCli(['keys', 'revoke', listed.id, ...target], env);
    expect(revoke.code).toBe(0);
    const active = await runCli(['keys', 'list', '--json', ...target], env);
    expect(JSON.parse(active.stdout).keys).toEqual([]);
    await withTargetDb(async (db) => {
      const audit = await db.query<{ action: string; actor: string }>(
        'SELECT action, actor FROM audit_log ORDER BY id',
      );
      expect(audit.rows.map((r) => r.action)).toEqual([
        'operator.add',
        'operator.remove',
        'api_key.create',
        'api_key.revoke',
      ]);
      expect(audit.rows[0]?.actor).toMatch(/^system:cli:/);
    });

    const revokeBad = await runCli(['keys', 'revoke', 'not-a-uuid', ...target], env);
    expect(revokeBad.code).toBe(1);
    expect(revokeBad.stderr).toMatch(/UUID/);
  });
});
