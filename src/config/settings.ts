import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  CHAIN_ENV_TO_KEY,
  CHAIN_ENVIRONMENT,
  chainSettingsShape,
  refineChainSettings,
} from '../rewards/chain/chain-settings.ts';

/**
 * Runtime settings: the one place that reads the environment. Every variable is listed in
 * ENVIRONMENT (README's table is generated from the same descriptions); `NAME_FILE` variants
 * read a secret from a file (Docker/Kubernetes secrets).
 */
export const ENVIRONMENT = {
  PORT: 'HTTP port (default 8787).',
  HOST: 'Interface to listen on (default 127.0.0.1; use 0.0.0.0 to accept remote connections).',
  DATA_DIR: 'Embedded PGlite data directory (default ./data). Ignored when DATABASE_URL is set.',
  DATABASE_URL:
    'PostgreSQL connection string; when set, PostgreSQL is used instead of PGlite. Also DATABASE_URL_FILE.',
  PORTFOLIO_FILE: 'Portfolio file loaded at start (default examples/seed-portfolio.yaml).',
  OWNER_TOKEN:
    'Login token of the owner account, for automation (at least 32 characters). Also OWNER_TOKEN_FILE.',
  OWNER_EMAIL: 'E-mail of the owner account created on first start (default owner@localhost).',
  MIGRATE_ON_START: 'true: apply pending migrations at start instead of refusing to start (default false).',
  LOG_LEVEL: 'fatal, error, warn, info, debug or trace (default info).',
  SESSION_TTL_HOURS: 'Lifetime of a dashboard session cookie in hours (default 168).',
  SECURE_COOKIES: 'true: mark the session cookie Secure (set it when served over HTTPS; default false).',
  TRUST_PROXY:
    'true: take the client IP from X-Forwarded-For (only behind your own reverse proxy; default false).',
  INGEST_RATE_LIMIT: 'Collection requests allowed per minute per client IP or API key (default 1200).',
  INGEST_QUEUE_LIMIT:
    'Events waiting to be written at most; beyond it collection answers 503 (default 50000).',
  ROLLUP_INTERVAL_SECONDS:
    'How often new events are folded into the rollups that dashboards read (default 10; 0 turns the job off).',
  RETENTION_DAYS:
    'Raw events older than this many days are archived once counted in the rollups (default 90; 0 keeps them).',
  METRICS_TOKEN:
    'Bearer token a Prometheus server scrapes /metrics with (at least 32 characters; default unset: an owner or admin operator token only).',
  UPTIME_CHECKS:
    'true: check every active domain over HTTP(S) as the uptime section says (default true; false turns the checks off).',
  KPI_BACKFILL_DAYS:
    'Days of KPI history filled in from the rollups at start and kept filled by the daily snapshot (default 90; 0: yesterday only).',
  ALERT_EVAL_SECONDS:
    'How often the alert rules are evaluated, in seconds (default 30; 0 turns the loop off: API commands still evaluate at once).',
  EXPERIMENT_DECISION_MINUTES:
    'How often running experiments are checked against their decision rules (guardrails, winners) and bandits re-weighted, in minutes (default 60; 0 turns the job off).',
  REWARDS_FOLD_SECONDS:
    'How often new events are booked into the rewards ledger (PTF rewards, tiers), in seconds (default 60; 0 turns the job off).',
  PUBLIC_URL:
    'Public URL of this server (default http://localhost:8787); its host and origin are the Sign-In with Ethereum domain and URI that wallet messages must name.',
  CHAIN_ID: 'Chain id of the rewards chain; the embedded development chain uses it too (default 31337).',
  RELAYER_INTERVAL_SECONDS:
    'How often the relayer publishes pending rewards ledger transactions on the token, in seconds (default 15; 0 turns the job off).',
  RELAYER_BATCH_SIZE:
    'Rewards per batch transaction the relayer sends (default 100, at most 150: a batch must stay under the 2^24 gas cap of a transaction).',
  RECONCILIATION_MINUTES:
    'How often the token is reconciled with the rewards ledger, in minutes (default 10; 0 turns the job off).',
  ...CHAIN_ENVIRONMENT,
} as const;

export type EnvName = keyof typeof ENVIRONMENT;

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const Settings = z
  .strictObject({
    port: z.coerce.number().int().min(0).max(65535).default(8787),
    host: z.string().min(1).default('127.0.0.1'),
    dataDir: z.string().min(1).default('./data'),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    portfolioFile: z.string().min(1).default('examples/seed-portfolio.yaml'),
    ownerToken: z.string().min(32, 'must be at least 32 characters').optional(),
    ownerEmail: z.email().default('owner@localhost'),
    migrateOnStart: booleanString.default(false),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    sessionTtlHours: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .default(168),
    secureCookies: booleanString.default(false),
    trustProxy: booleanString.default(false),
    ingestRateLimit: z.coerce.number().int().min(1).max(10_000_000).default(1200),
    ingestQueueLimit: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
    rollupIntervalSeconds: z.coerce.number().int().min(0).max(3600).default(10),
    retentionDays: z.coerce.number().int().min(0).max(36_500).default(90),
    metricsToken: z.string().min(32, 'must be at least 32 characters').optional(),
    uptimeChecks: booleanString.default(true),
    kpiBackfillDays: z.coerce.number().int().min(0).max(3660).default(90),
    alertEvalSeconds: z.coerce.number().int().min(0).max(3600).default(30),
    experimentDecisionMinutes: z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(60),
    rewardsFoldSeconds: z.coerce.number().int().min(0).max(3600).default(60),
    publicUrl: z.url().default('http://localhost:8787'),
    chainId: z.coerce
      .number()
      .int()
      .min(1)
      .max(2 ** 53 - 1)
      .default(31337),
    relayerIntervalSeconds: z.coerce.number().int().min(0).max(3600).default(15),
    relayerBatchSize: z.coerce.number().int().min(1).max(150).default(100),
    reconciliationMinutes: z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(10),
    // The rewards chain (src/rewards/chain/chain-settings.ts, docs/chain.md).
    ...chainSettingsShape,
  })
  .superRefine(refineChainSettings);
export type Settings = z.infer<typeof Settings>;

const ENV_TO_KEY: Record<EnvName, keyof Settings> = {
  PORT: 'port',
  HOST: 'host',
  DATA_DIR: 'dataDir',
  DATABASE_URL: 'databaseUrl',
  PORTFOLIO_FILE: 'portfolioFile',
  OWNER_TOKEN: 'ownerToken',
  OWNER_EMAIL: 'ownerEmail',
  MIGRATE_ON_START: 'migrateOnStart',
  LOG_LEVEL: 'logLevel',
  SESSION_TTL_HOURS: 'sessionTtlHours',
  SECURE_COOKIES: 'secureCookies',
  TRUST_PROXY: 'trustProxy',
  INGEST_RATE_LIMIT: 'ingestRateLimit',
  INGEST_QUEUE_LIMIT: 'ingestQueueLimit',
  ROLLUP_INTERVAL_SECONDS: 'rollupIntervalSeconds',
  RETENTION_DAYS: 'retentionDays',
  METRICS_TOKEN: 'metricsToken',
  UPTIME_CHECKS: 'uptimeChecks',
  KPI_BACKFILL_DAYS: 'kpiBackfillDays',
  ALERT_EVAL_SECONDS: 'alertEvalSeconds',
  EXPERIMENT_DECISION_MINUTES: 'experimentDecisionMinutes',
  REWARDS_FOLD_SECONDS: 'rewardsFoldSeconds',
  PUBLIC_URL: 'publicUrl',
  CHAIN_ID: 'chainId',
  RELAYER_INTERVAL_SECONDS: 'relayerIntervalSeconds',
  RELAYER_BATCH_SIZE: 'relayerBatchSize',
  RECONCILIATION_MINUTES: 'reconciliationMinutes',
  ...CHAIN_ENV_TO_KEY,
};
const KEY_TO_ENV = Object.fromEntries(Object.entries(ENV_TO_KEY).map(([env, key]) => [key, env]));

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n  ${problems.join('\n  ')}`);
    this.name = 'SettingsError';
  }
}

function readEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new SettingsError([`${name}_FILE: cannot read ${file}: ${(err as Error).message}`]);
    }
  }
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Builds settings from the environment, then command-line flags (flags win). */
export function loadSettings(
  env: NodeJS.ProcessEnv,
  flags: Partial<Record<keyof Settings, unknown>> = {},
): Settings {
  const raw: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_TO_KEY)) {
    const value = readEnv(env, name);
    if (value !== undefined) raw[key] = value;
  }
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) raw[key] = value;
  const parsed = Settings.safeParse(raw);
  if (!parsed.success) {
    throw new SettingsError(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? '');
        const source =
          key in flags && flags[key as keyof Settings] !== undefined ? `--${key}` : KEY_TO_ENV[key];
        return `${source ?? key}: ${i.message}`;
      }),
    );
  }
  return parsed.data;
}
