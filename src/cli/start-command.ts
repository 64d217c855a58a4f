import { loadSettings } from '../config/settings.ts';
import { startServer } from '../server/start-server.ts';
import { type CliIo, DATABASE_HELP, DATABASE_OPTIONS, EXIT, parseCommandArgs, UsageError } from './cli-io.ts';

const HELP = [
  'Usage: portfolio-os start [options]',
  '',
  'Starts the server. On first start it creates the database schema and the owner account,',
  "and prints the owner's login token once (set OWNER_TOKEN to choose it).",
  '',
  'Options:',
  '  --port N              HTTP port (default 8787, env PORT; 0 picks a free port)',
  '  --host ADDR           interface to listen on (default 127.0.0.1, env HOST)',
  ...DATABASE_HELP,
  '  --portfolio FILE      portfolio file (default examples/seed-portfolio.yaml, env PORTFOLIO_FILE)',
  '  --migrate             apply pending migrations instead of refusing to start (env MIGRATE_ON_START)',
  '  --log-level LEVEL     fatal|error|warn|info|debug|trace (default info, env LOG_LEVEL)',
  '',
  'Signals: SIGHUP reloads the portfolio file; SIGTERM/SIGINT stop gracefully.',
].join('\n');

export async function runStart(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    portfolio: { type: 'string' },
    migrate: { type: 'boolean' },
    'log-level': { type: 'string' },
    ...DATABASE_OPTIONS,
  });
  if (values.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const settings = loadSettings(process.env, {
    port: values.port,
    host: values.host,
    dataDir: values.data,
    databaseUrl: values['database-url'],
    portfolioFile: values.portfolio,
    migrateOnStart: values.migrate ? 'true' : undefined,
    logLevel: values['log-level'],
  });
  // Installed before the server announces itself: a SIGHUP sent as soon as it listens must reload,
  // not kill the process (the default action for a signal without a handler).
  let running: Awaited<ReturnType<typeof startServer>> | null = null;
  let reloadAsked = false;
  process.on('SIGHUP', () => {
    if (running) void running.reload();
    else reloadAsked = true;
  });
  const server = await startServer(settings, { info: io.out });
  running = server;
  if (reloadAsked) void server.reload();

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      server.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
      // A stuck request must not keep the process forever; the database still closes first.
      const force = setTimeout(() => {
        io.err('shutdown took longer than 10s; exiting');
        resolve(EXIT.failure);
      }, 10_000);
      force.unref();
      server
        .close()
        .then(() => {
          clearTimeout(force);
          io.out('Portfolio OS stopped; database closed cleanly.');
          resolve(EXIT.ok);
        })
        .catch((err) => {
          io.err(`error during shutdown: ${(err as Error).message}`);
          resolve(EXIT.failure);
        });
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
