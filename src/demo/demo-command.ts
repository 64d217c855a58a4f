import { z } from 'zod';
import { systemActor } from '../auth/actor.ts';
import { addOperator } from '../auth/add-operator.ts';
import { removeOperator } from '../auth/remove-operator.ts';
import {
  type CliIo,
  DATABASE_HELP,
  DATABASE_OPTIONS,
  EXIT,
  parseCommandArgs,
  UsageError,
} from '../cli/cli-io.ts';
import { parseInput } from '../cli/parse-input.ts';
import { loadSettings } from '../config/settings.ts';
import { localDate } from '../metrics/metric-query.ts';
import { refreshRollups } from '../metrics/rollups/refresh-rollups.ts';
import { startServer } from '../server/start-server.ts';
import { DemoError } from './demo-client.ts';
import { TIME_ZONE } from './demo-plan.ts';
import { formatSummary, runDemo } from './run-demo.ts';

const HELP = [
  'Usage: portfolio-os demo [--days 90] [--seed N] [--end YYYY-MM-DD] [--url URL --token TOKEN] [--json]',
  '',
  'Generates realistic visits, sign-ups, orders, subscriptions, commissions and costs for the',
  "portfolio's domains, calibrated to the seed plan's baseline at the end of the period (about",
  '1,200 daily active users, €5.25k MRR, 15% cross-domain engagement, 25% 30-day retention,',
  '15% monthly growth), and sends them through the public HTTP APIs. The same seed gives the same',
  'data, and running it again adds nothing twice. Progress goes to stderr. See docs/demo.md.',
  '',
  'Without --url it starts the server on the database in-process (stop a running PGlite server',
  'first, or use --url); with --url it talks to a running server with an owner or admin token.',
  '',
  'Options:',
  '  --days N              length of the period in days (default 90; 7 to 365)',
  '  --seed N              random seed (default 1)',
  '  --end YYYY-MM-DD      last day of the period, UTC (default: today in Europe/Brussels)',
  '  --url URL             a running server, e.g. http://127.0.0.1:8787',
  '  --token TOKEN         owner or admin login token for --url (default: env OWNER_TOKEN)',
  '  --json                print the summary as JSON',
  ...DATABASE_HELP,
].join('\n');

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-26');

export const DemoFlags = z.object({
  days: z.coerce.number().int().min(7).max(365).default(90),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  end: IsoDate.optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
  token: z.string().min(1).optional(),
});

export async function runDemoCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    days: { type: 'string' },
    seed: { type: 'string' },
    end: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    json: { type: 'boolean' },
    ...DATABASE_OPTIONS,
  });
  if (values.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const flags = parseInput(DemoFlags, {
    days: values.days,
    seed: values.seed,
    end: values.end,
    url: values.url,
    token: values.token,
  });
  const now = new Date();
  const end = flags.end ?? localDate(now, TIME_ZONE);
  if (end > localDate(now, TIME_ZONE)) throw new UsageError(`--end ${end} is in the future`);
  const options = { days: flags.days, seed: flags.seed, end };
  const progress = (line: string) => io.err(`demo: ${line}`);

  if (flags.url && (values.data || values['database-url']))
    throw new UsageError('--url talks to a server: drop --data/--database-url');
  if (!flags.url && flags.token) throw new UsageError('--token goes with --url');
  const token = flags.url ? (flags.token ?? loadSettings(process.env).ownerToken) : undefined;
  if (flags.url && !token)
    throw new UsageError('--url needs --token (or OWNER_TOKEN): an owner or admin login token');

  let summary: Awaited<ReturnType<typeof runDemo>>;
  try {
    summary =
      flags.url && token
        ? await runDemo({ url: flags.url, token, options, now, progress })
        : await runInProcess(values, options, now, progress);
  } catch (err) {
    if (!(err instanceof DemoError)) throw err;
    io.err(`portfolio-os demo: ${err.message}`);
    return EXIT.failure;
  }
  if (values.json) io.out(JSON.stringify(summary, null, 2));
  else for (const line of formatSummary(summary)) io.out(line);
  return EXIT.ok;
}

/**
 * Starts the server on the configured database on a free loopback port, as `start` would, sends
 * the demo to it over HTTP with a temporary admin (removed afterwards), folds the rollups, stops.
 */
async function runInProcess(
  values: { data?: string | undefined; 'database-url'?: string | undefined },
  options: { days: number; seed: number; end: string },
  now: Date,
  progress: (line: string) => void,
) {
  const settings = loadSettings(process.env, {
    dataDir: values.data,
    databaseUrl: values['database-url'],
    port: 0,
    host: '127.0.0.1',
    logLevel: 'warn',
    // Only this process talks to this server: the collection rate limit would only slow it down.
    ingestRateLimit: 10_000_000,
  });
  const server = await startServer(settings, { info: progress });
  const system = { db: server.db, actor: systemActor('demo'), now };
  try {
    const email = `demo-${now.getTime().toString(36)}@localhost`;
    const { token } = await addOperator({
      ctx: system,
      input: { email, role: 'admin', name: 'portfolio-os demo' },
    });
    try {
      const summary = await runDemo({ url: server.url, token, options, now, progress });
      progress('folding the new events into the rollups');
      await refreshRollups(server.db);
      return summary;
    } finally {
      await removeOperator({ ctx: system, input: { operator: email } });
    }
  } finally {
    await server.close();
  }
}
