import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startOutboxWorker } from '../alerts/notify/outbox-worker.ts';
import {
  type AlertEvaluator,
  createAlertEvaluator,
  type RuntimeLog,
} from '../alerts/runtime/evaluate-alerts.ts';
import { prepareOutbox, resolveReceiversLeniently } from '../alerts/runtime/runtime-receivers.ts';
import { systemActor } from '../auth/actor.ts';
import { bootstrapOwner } from '../auth/bootstrap-owner.ts';
import type { Settings } from '../config/settings.ts';
import { migrate, migrationStatus } from '../db/migrate.ts';
import { openDatabase } from '../db/open-database.ts';
import { ensureEventPartitions } from '../db/partitions.ts';
import type { Db } from '../db/types.ts';
import { startExperimentDecisions } from '../experiments/decisions/decision-scheduler.ts';
import { startExperimentFold } from '../experiments/folding/fold-scheduler.ts';
import { DEFAULT_WRITER_OPTIONS } from '../ingest/event-writer.ts';
import { IngestService } from '../ingest/ingest-service.ts';
import { startKpiSnapshots } from '../kpis/kpi-snapshot-scheduler.ts';
import { startRollupScheduler } from '../metrics/rollups/rollup-scheduler.ts';
import { instrumentDb } from '../monitoring/self-metrics/instrument-db.ts';
import { startLatencySnapshots } from '../monitoring/self-metrics/latency-snapshots.ts';
import { createSelfMetrics } from '../monitoring/self-metrics/registry.ts';
import { startUptimeScheduler } from '../monitoring/uptime/scheduler.ts';
import { PortfolioStore } from '../portfolio/portfolio-store.ts';
import { type ChainRuntime, startChainRuntime } from '../rewards/chain/chain-runtime.ts';
import { startRewardsFold } from '../rewards/ledger/rewards-fold-job.ts';
import { startReconciliation, startRelayer } from '../rewards/relayer/relayer-jobs.ts';
import { AppError } from '../shared/app-error.ts';
import type { PeriodicJob } from '../shared/periodic-job.ts';
import { buildServer } from './build-server.ts';
import { VERSION } from './version.ts';

export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  portfolio: PortfolioStore;
  ingest: IngestService;
  /** The alert evaluator (its loop runs every ALERT_EVAL_SECONDS; `evaluate(now)` runs one now). */
  alerts: AlertEvaluator;
  url: string;
  /** Reloads the portfolio file as SIGHUP does; resolves to an error message or null. */
  reload(): Promise<string | null>;
  /** Graceful stop: in-flight requests finish, then the database closes cleanly. */
  close(): Promise<void>;
}

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

const PARTITION_CHECK_MS = 6 * 3_600_000;

/** Prepares the database (first start migrates an empty one), the owner and the portfolio, then listens. */
export async function startServer(
  settings: Settings,
  out: { info: (line: string) => void } = { info: (line) => process.stdout.write(`${line}\n`) },
): Promise<RunningServer> {
  const metrics = createSelfMetrics();
  const db = instrumentDb(await openDatabase(settings), metrics);
  try {
    const status = await migrationStatus(db);
    const fresh = status.applied.length === 0;
    if (status.pending.length > 0 && !fresh && !settings.migrateOnStart) {
      const list = status.pending.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`).join(', ');
      throw new StartupError(
        `the database schema is behind this version of Portfolio OS (pending: ${list}). ` +
          `Back it up, then run \`portfolio-os migrate${settings.databaseUrl ? '' : ` --data ${settings.dataDir}`}\`, ` +
          'or start with --migrate (MIGRATE_ON_START=true).',
      );
    }
    const applied = await migrate(db);
    if (applied.length > 0)
      out.info(`${fresh ? 'initialised' : 'migrated'} the database: ${applied.length} migration(s)`);
    await ensureEventPartitions(db, new Date());

    const boot = await bootstrapOwner(db, {
      ownerEmail: settings.ownerEmail,
      ownerToken: settings.ownerToken,
    });
    if (boot.createdToken) {
      out.info(
        [
          '',
          '  Owner account created. Its login token is shown this once; keep it safe:',
          `    ${boot.createdToken}`,
          '  Use it as "Authorization: Bearer <token>", or log in to the dashboard with it.',
          '',
        ].join('\n'),
      );
    }

    const portfolio = new PortfolioStore(db, settings.portfolioFile);
    try {
      await portfolio.load(systemActor('start'));
    } catch (err) {
      const problems =
        err instanceof AppError ? ((err.details as { problems?: string[] })?.problems ?? []) : [];
      throw new StartupError([(err as Error).message, ...problems].join('\n'));
    }

    const ingest = new IngestService(db, {
      ...DEFAULT_WRITER_OPTIONS,
      maxQueuedEvents: settings.ingestQueueLimit,
    });
    metrics.observeIngestWriter(ingest.writer);

    // Receivers' secrets are read once, here (the portfolio names environment variables). One that
    // cannot be read is only a warning: its notifications wait in the outbox until a restart can.
    const receivers = resolveReceiversLeniently(portfolio.current()?.portfolio.receivers ?? [], {
      env: process.env,
    });
    let worker: ReturnType<typeof startOutboxWorker> | null = null;
    let log: RuntimeLog | null = null;
    const alerts = createAlertEvaluator({
      db,
      portfolio: () => portfolio.current()?.portfolio ?? null,
      receivers,
      metrics,
      onEnqueued: () => worker?.wake(),
      log: {
        info: (o, m) => log?.info(o, m),
        warn: (o, m) => log?.warn(o, m),
        error: (o, m) => log?.error(o, m),
      },
    });
    let chainRuntime: ChainRuntime | null = null;
    const chainJobs: PeriodicJob<unknown>[] = [];
    const app = await buildServer({
      db,
      settings,
      portfolio,
      ingest,
      version: VERSION,
      metrics,
      alerts,
      chain: () => chainRuntime?.current()?.chain,
    });
    log = app.log;
    await app.listen({ port: settings.port, host: settings.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    const url = `http://${settings.host === '0.0.0.0' ? 'localhost' : settings.host}:${port}`;
    app.log.info(
      { url, database: db.location, portfolio: settings.portfolioFile },
      'Portfolio OS is listening',
    );
    out.info(
      `Portfolio OS ${VERSION} listening on ${url} (${db.location}; portfolio ${settings.portfolioFile})`,
    );

    const partitionTimer = setInterval(() => {
      ensureEventPartitions(db, new Date()).catch((err) =>
        app.log.error({ err }, 'event partition maintenance failed'),
      );
    }, PARTITION_CHECK_MS);
    partitionTimer.unref();

    // Dashboards read rollups: fold new events every interval, archive raw events past retention.
    const rollups = startRollupScheduler({
      db,
      intervalSeconds: settings.rollupIntervalSeconds,
      retentionDays: settings.retentionDays,
      archiveDir: join(settings.dataDir, 'archive'),
      log: app.log,
    });
    const latency = startLatencySnapshots({ db, metrics, log: app.log });
    const uptime = settings.uptimeChecks
      ? startUptimeScheduler({ db, log: app.log, config: () => portfolio.current()?.portfolio.uptime })
      : null;
    for (const u of receivers.unresolved)
      app.log.warn({ receiver: u.name }, `${u.problem}; its notifications stay pending in the outbox`);
    await prepareOutbox(db, receivers, new Date());
    worker = startOutboxWorker(db, {
      receivers: receivers.resolved,
      externalUrl: url,
      onOutcome: (o) =>
        metrics.recordNotification(
          o.channel,
          o.outcome === 'delivered' ? 'sent' : o.outcome === 'failed' ? 'failed' : 'gave_up',
        ),
      onError: (err) => app.log.error({ err }, 'notification outbox pass failed'),
    });
    alerts.start(settings.alertEvalSeconds);
    // Experiments: statistics folded from new events on the rollups' interval; the file's
    // experiments synced as drafts, decision rules and bandit re-weights.
    const experimentFold = startExperimentFold({
      db,
      intervalSeconds: settings.rollupIntervalSeconds,
      log: app.log,
    });
    const experimentDecisions = startExperimentDecisions({
      db,
      experiments: () => portfolio.current()?.portfolio.experiments ?? null,
      log: app.log,
      minutes: settings.experimentDecisionMinutes,
    });
    // Rewards: new events booked into the PTF ledger, tiers kept current (docs/rewards.md).
    const rewardsFold = startRewardsFold({
      db,
      rewards: () => portfolio.current()?.portfolio.rewards ?? null,
      log: app.log,
      seconds: settings.rewardsFoldSeconds,
    });
    // The rewards chain opens in the background (the token deployed on first run, domains
    // registered); once ready, the relayer mirrors the ledger on it and reconciliation checks it.
    chainRuntime = startChainRuntime({
      settings,
      db,
      log: app.log,
      onReady: ({ chain, tokenAddress }) => {
        const relayerChain = {
          chainId: chain.chainId,
          publicClient: chain.publicClient,
          walletClient: chain.walletClient,
          account: chain.account,
          confirmations: chain.confirmations,
          tokenAddress,
        };
        chainJobs.push(
          startRelayer({
            db,
            chain: relayerChain,
            log: app.log,
            intervalSeconds: settings.relayerIntervalSeconds,
            batchSize: settings.relayerBatchSize,
          }),
          startReconciliation({
            db,
            chain: relayerChain,
            log: app.log,
            minutes: settings.reconciliationMinutes,
          }),
        );
      },
    });
    // KPI history: filled in at start, then one snapshot a day, so trends survive restarts.
    const kpiSnapshots = startKpiSnapshots({
      db,
      portfolio: () => portfolio.current()?.portfolio ?? null,
      log: app.log,
      backfillDays: settings.kpiBackfillDays,
    });

    let closing: Promise<void> | null = null;
    return {
      app,
      db,
      portfolio,
      ingest,
      alerts,
      url,
      async reload() {
        try {
          const outcome = await portfolio.load(systemActor('reload'));
          ingest.sites.invalidate();
          void chainRuntime
            ?.syncDomains()
            .catch((err) =>
              app.log.error(
                { error: (err as Error).message },
                'registering new domains on the rewards token failed',
              ),
            );
          app.log.info({ changed: outcome.changed, summary: outcome.summary }, 'portfolio reloaded');
          return null;
        } catch (err) {
          const problems =
            err instanceof AppError ? (err.details as { problems?: string[] })?.problems : undefined;
          app.log.error({ problems }, (err as Error).message);
          return (err as Error).message;
        }
      },
      close() {
        closing ??= (async () => {
          clearInterval(partitionTimer);
          await app.close();
          await alerts.stop();
          await worker?.stop();
          await latency.stop();
          await uptime?.stop();
          await experimentDecisions.stop();
          await experimentFold.stop();
          await rewardsFold.stop();
          for (const job of chainJobs) await job.stop();
          await chainRuntime?.stop();
          await rollups.stop();
          await kpiSnapshots.stop();
          // Everything acknowledged is already committed; this flushes what is still in flight.
          await ingest.close();
          metrics.close();
          await db.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
