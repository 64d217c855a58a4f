// Parent side: launches the servers as child processes (own event loop, own CPU accounting, so
// the load generator in this process never shares a thread with what it measures).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildStats, ParentMessage } from './child-ipc.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUTPUT_KEPT = 64 * 1024;
const running = new Set<ChildProcess>();

/** Kills whatever is still running (after a failed step), so no port or data directory stays held. */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

export interface Child {
  name: string;
  url: string;
  stats(): Promise<ChildStats>;
  /** Sends a message and waits for the child's answer of the given type. */
  ask<T>(msg: ParentMessage, replyType: string): Promise<T>;
  /** What the child wrote to stdout/stderr (server logs at warn and above). */
  output(): string;
  /** Set when the child exited without being told to. */
  crashed(): string | null;
  stop(): Promise<void>;
}

export async function startChild(name: string, entry: string, env: Record<string, string>): Promise<Child> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL(entry, import.meta.url))],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  running.add(child);
  let output = '';
  const keep = (d: Buffer) => {
    if (output.length < OUTPUT_KEPT) output += d.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let stopping = false;
  let crash: string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      if (!stopping) crash = `${name} exited unexpectedly (code ${code}, signal ${signal})`;
      resolve();
    }),
  );

  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (msg: { type: string }) => {
        if (msg.type !== type) return;
        child.off('message', onMessage);
        resolve(msg as T);
      };
      child.on('message', onMessage);
      exited.then(() => reject(new Error(`${name} exited before answering "${type}":\n${output}`)));
    });

  const { url } = await next<{ url: string }>('ready');
  const ask = <T>(msg: ParentMessage, replyType: string) => {
    const answer = next<T>(replyType);
    child.send(msg);
    return answer;
  };
  return {
    name,
    url,
    ask,
    stats: () => ask<ChildStats>({ type: 'stats' }, 'stats'),
    output: () => output,
    crashed: () => crash,
    async stop() {
      if (crash) return;
      stopping = true;
      child.send({ type: 'close' });
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The real server, started the way `portfolio-os start` does, with the bench's settings. */
export function startServerUnderTest(dbEnv: Record<string, string>, ownerToken: string): Promise<Child> {
  return startChild('server', './server-with-heavy-query.ts', {
    ...dbEnv,
    OWNER_TOKEN: ownerToken,
    // The schema caps the limit at 10,000,000/min (166k/s): far above anything sent here.
    INGEST_RATE_LIMIT: '10000000',
    LOG_LEVEL: 'warn',
    PORTFOLIO_FILE: 'examples/seed-portfolio.yaml',
  });
}
