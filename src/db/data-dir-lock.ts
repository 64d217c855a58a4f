import { createHash } from 'node:crypto';
import { mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface DataDirLock {
  /** Where PGlite keeps its cluster, inside the data directory. */
  readonly pgdataDir: string;
  release(): Promise<void>;
}

export class DataDirLockedError extends Error {
  constructor(dir: string, holder: string) {
    super(
      `the data directory ${dir} is already in use by another Portfolio OS process (${holder}). ` +
        'PGlite allows one process per directory: stop that process, or pass another --data directory.',
    );
    this.name = 'DataDirLockedError';
  }
}

const INFO_FILE = 'portfolio-os.lock';

/**
 * Takes an exclusive lock on a PGlite data directory, because two processes on one directory
 * silently corrupt it. The lock is a Linux abstract socket named after the directory: the kernel
 * frees it when the process dies, even on kill -9, so there is never a stale lock to clean up.
 */
export async function acquireDataDirLock(dir: string): Promise<DataDirLock> {
  await mkdir(dir, { recursive: true });
  const real = await realpath(dir);
  const name = `\0portfolio-os-${createHash('sha256').update(real).digest('hex').slice(0, 32)}`;
  const infoPath = join(real, INFO_FILE);
  const server = createServer((socket) => socket.destroy());
  try {
    await listen(server, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    throw new DataDirLockedError(dir, await describeHolder(infoPath));
  }
  server.unref();
  await writeFile(
    infoPath,
    `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`,
  );
  const pgdataDir = join(real, 'pgdata');
  await mkdir(pgdataDir, { recursive: true });
  let released = false;
  return {
    pgdataDir,
    async release() {
      if (released) return;
      released = true;
      await rm(infoPath, { force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(name, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function describeHolder(infoPath: string): Promise<string> {
  try {
    const info = JSON.parse(await readFile(infoPath, 'utf8')) as {
      pid?: number;
      host?: string;
      since?: string;
    };
    return `pid ${info.pid} on ${info.host}, since ${info.since}`;
  } catch {
    return 'pid unknown';
  }
}
