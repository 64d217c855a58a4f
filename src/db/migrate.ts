import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './types.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: { version: number; name: string; checksum: string }[];
  pending: Migration[];
  /** Applied in the database but unknown to this code: the database is ahead of the code. */
  unknown: { version: number; name: string }[];
  /** Applied, but the file changed since: migrations must never be edited after they land. */
  changed: { version: number; name: string }[];
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;
// Arbitrary constant: the advisory lock that serialises migrations across server instances.
const MIGRATION_LOCK_KEY = 727_001;

let cached: Promise<Migration[]> | null = null;

/** The migrations shipped with this code (read once per process). */
export function loadMigrations(): Promise<Migration[]> {
  cached ??= readMigrations(MIGRATIONS_DIR);
  return cached;
}

async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new Error(`migration file name ${file} does not match NNNN_name.sql`);
    const sql = await readFile(`${dir}${file}`, 'utf8');
    migrations.push({
      version: Number(match[1]),
      name: match[2] as string,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migrations must be numbered 1..n without gaps; found ${m.version}`);
  });
  return migrations;
}

async function ensureLedger(db: Queryable): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
}

async function readLedger(db: Queryable) {
  const exists = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!exists.rows[0]?.t) return [];
  const res = await db.query<{ version: number; name: string; checksum: string }>(
    'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
  );
  return res.rows;
}

export async function migrationStatus(db: Queryable, migrations?: Migration[]): Promise<MigrationStatus> {
  const known = migrations ?? (await loadMigrations());
  const applied = await readLedger(db);
  const appliedVersions = new Set(applied.map((a) => a.version));
  const byVersion = new Map(known.map((m) => [m.version, m]));
  return {
    applied,
    pending: known.filter((m) => !appliedVersions.has(m.version)),
    unknown: applied.filter((a) => !byVersion.has(a.version)).map(({ version, name }) => ({ version, name })),
    changed: applied
      .filter((a) => byVersion.has(a.version) && byVersion.get(a.version)?.checksum !== a.checksum)
      .map(({ version, name }) => ({ version, name })),
  };
}

/** Applies pending migrations, each in its own transaction; safe to run again and from many instances. */
export async function migrate(
  db: Db,
  onApplied: (m: Migration) => void = () => undefined,
): Promise<Migration[]> {
  const migrations = await loadMigrations();
  await ensureLedger(db);
  const status = await migrationStatus(db, migrations);
  assertNotAhead(status);
  const applied: Migration[] = [];
  for (const migration of status.pending) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const already = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (already.rowCount > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      return true;
    });
    if (done) {
      applied.push(migration);
      onApplied(migration);
    }
  }
  return applied;
}

export class SchemaMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaMismatchError';
  }
}

function assertNotAhead(status: MigrationStatus): void {
  if (status.unknown.length > 0) {
    const list = status.unknown.map((u) => `${u.version}_${u.name}`).join(', ');
    throw new SchemaMismatchError(
      `the database has migrations this version of Portfolio OS does not know (${list}): ` +
        'it was migrated by a newer release. Upgrade Portfolio OS, or restore a backup taken before that upgrade.',
    );
  }
  if (status.changed.length > 0) {
    const list = status.changed.map((u) => `${u.version}_${u.name}`).join(', ');
    throw new SchemaMismatchError(
      `applied migrations were edited after they ran (${list}); migrations are immutable.`,
    );
  }
}

/** Throws with what to run when the database is behind or ahead of the code. */
export async function assertSchemaCurrent(db: Queryable): Promise<void> {
  const status = await migrationStatus(db);
  assertNotAhead(status);
  if (status.pending.length > 0) {
    const list = status.pending.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`).join(', ');
    throw new SchemaMismatchError(
      `the database schema is behind this version of Portfolio OS (pending: ${list}). ` +
        'Run `portfolio-os migrate` (with the same --data or DATABASE_URL), or start with --migrate.',
    );
  }
}
