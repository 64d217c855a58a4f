import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIntegration } from '../test-support/integration.ts';
import { createTestDb } from '../test-support/test-db.ts';
import {
  assertSchemaCurrent,
  loadMigrations,
  migrate,
  migrationStatus,
  SchemaMismatchError,
} from './migrate.ts';
import type { Db } from './types.ts';

describeIntegration('migrations', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb({ migrated: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('reports an empty database as behind, with the command to run', async () => {
    await expect(assertSchemaCurrent(db)).rejects.toThrow(/portfolio-os migrate/);
    const status = await migrationStatus(db);
    expect(status.pending.length).toBe((await loadMigrations()).length);
  });

  it('applies every migration once, then nothing on a second run', async () => {
    const first = await migrate(db);
    expect(first.map((m) => m.version)).toEqual((await loadMigrations()).map((m) => m.version));
    const second = await migrate(db);
    expect(second).toEqual([]);
    await expect(assertSchemaCurrent(db)).resolves.toBeUndefined();
    const tables = await db.query<{ t: string }>(
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    const names = tables.rows.map((r) => r.t);
    for (const t of [
      'domains',
      'users',
      'user_wallets',
      'visitor_identities',
      'revenue',
      'subscriptions',
      'costs',
      'agent_executions',
      'smart_contracts',
      'operators',
      'api_keys',
      'audit_log',
      'events_default',
    ]) {
      expect(names).toContain(t);
    }
  });

  it('refuses a database migrated by newer code', async () => {
    await db.query(
      "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'from_the_future', 'x')",
    );
    await expect(assertSchemaCurrent(db)).rejects.toThrow(SchemaMismatchError);
    await expect(assertSchemaCurrent(db)).rejects.toThrow(/9999_from_the_future.*Upgrade Portfolio OS/);
    await expect(migrate(db)).rejects.toThrow(/newer release/);
    await db.query('DELETE FROM schema_migrations WHERE version = 9999');
  });

  it('refuses an applied migration whose file was edited', async () => {
    await db.query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
    await expect(assertSchemaCurrent(db)).rejects.toThrow(/edited after they ran/);
    const [m1] = await loadMigrations();
    await db.query('UPDATE schema_migrations SET checksum = $1 WHERE version = 1', [m1?.checksum]);
  });
});
