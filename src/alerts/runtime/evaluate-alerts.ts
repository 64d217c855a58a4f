import type { Portfolio } from '../../config/portfolio-schema.ts';
import type { Db } from '../../db/types.ts';
import { checkLatencyRegression } from '../../monitoring/self-metrics/check-latency-regression.ts';
import type { LatencyRegression } from '../../monitoring/self-metrics/detect-latency-regression.ts';
import type { SelfMetrics, SelfMetricsRecorder } from '../../monitoring/self-metrics/registry.ts';
import type { AlertingConfig, AlertRule } from '../alert-rule-schema.ts';
import {
  type AlertCommand,
  type AlertTransition,
  type EngineState,
  emptyEngineState,
} from '../engine/engine-state.ts';
import { rulesFromKpiAlerts } from '../engine/kpi-alert-rules.ts';
import { step } from '../engine/step.ts';
import { enqueueNotifications } from '../notify/enqueue.ts';
import {
  insertTransitions,
  loadEngineState,
  lockEvaluation,
  saveEngineState,
  selectActiveSilences,
  selectActiveSuppressions,
  takePendingCommands,
} from './alert-state.sql.ts';
import { selectApiRules } from './api-rules.sql.ts';
import { collectSnapshot } from './collect-snapshot.ts';
import { RequestWindow, readRequestTotals } from './request-window.ts';
import { parkUnresolved, type RuntimeReceivers, type UnresolvedReceiver } from './runtime-receivers.ts';

export interface RuntimeLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface EvaluatorOptions {
  db: Db;
  /** The active portfolio (re-read at each evaluation, so a reload changes the rules). */
  portfolio: () => Pick<Portfolio, 'alerting' | 'kpis' | 'receivers'> | null;
  receivers: RuntimeReceivers;
  /** Counts rule evaluations; with a full SelfMetrics, also the source of the request-based metrics. */
  metrics?: SelfMetricsRecorder | SelfMetrics;
  /** Called after an evaluation enqueued notifications (the outbox worker's wake). */
  onEnqueued?: () => void;
  log?: RuntimeLog;
  clock?: () => Date;
}

export interface EvaluationOutcome {
  at: string;
  state: EngineState;
  notifications: number;
  transitions: AlertTransition[];
  ignoredCommands: AlertCommand[];
}

/** The alerting config the engine runs: the portfolio's rules plus its KPI alerts as rules. */
export function effectiveAlerting(p: Pick<Portfolio, 'alerting' | 'kpis'>): AlertingConfig {
  return { ...p.alerting, rules: [...p.alerting.rules, ...rulesFromKpiAlerts(p.kpis)] };
}

/**
 * Adds the API's rules (alert_rules). The file wins a name clash: the API refuses such names, but
 * a reloaded portfolio may add one since; that API rule is then inactive (listed as such).
 */
export function withApiRules(config: AlertingConfig, apiRules: readonly AlertRule[]): AlertingConfig {
  const taken = new Set(config.rules.map((r) => r.name));
  return { ...config, rules: [...config.rules, ...apiRules.filter((r) => !taken.has(r.name))] };
}

const SILENT_LOG: RuntimeLog = { info() {}, warn() {}, error() {} };

function isSelfMetrics(m: EvaluatorOptions['metrics']): m is SelfMetrics {
  return m !== undefined && 'registry' in m;
}

export interface AlertEvaluator {
  /** One evaluation at `now` (default the clock); evaluations of this process never overlap. */
  evaluate(now?: Date): Promise<EvaluationOutcome>;
  /** Evaluates every `intervalSeconds` (0: never; the API's commands still evaluate at once). */
  start(intervalSeconds: number): void;
  /** Stops the loop after the evaluation in progress. */
  stop(): Promise<void>;
  readonly receivers: RuntimeReceivers;
  /** The portfolio whose rules, KPI alerts and routes it evaluates (the rules API checks names against it). */
  portfolio(): Pick<Portfolio, 'alerting' | 'kpis' | 'receivers'> | null;
  /** The evaluator's clock: verbs date their commands and silences with it. */
  now(): Date;
}

export function createAlertEvaluator(options: EvaluatorOptions): AlertEvaluator {
  const log = options.log ?? SILENT_LOG;
  const clock = options.clock ?? (() => new Date());
  const window = new RequestWindow();
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  const evaluate = (now: Date = clock()) => {
    const run = chain.catch(() => undefined).then(() => evaluateOnce(options, now, window, log));
    chain = run;
    return run;
  };
  return {
    receivers: options.receivers,
    portfolio: options.portfolio,
    now: clock,
    evaluate,
    start(intervalSeconds) {
      if (intervalSeconds <= 0 || timer) return;
      const tick = () =>
        evaluate().catch((err) => log.error({ err }, 'alert evaluation failed; the next one retries'));
      void tick();
      timer = setInterval(tick, intervalSeconds * 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await chain.catch(() => undefined);
    },
  };
}

/** startAlertEvaluator({ ..., intervalSeconds }): created and started (ALERT_EVAL_SECONDS). */
export function startAlertEvaluator(options: EvaluatorOptions & { intervalSeconds: number }): AlertEvaluator {
  const evaluator = createAlertEvaluator(options);
  evaluator.start(options.intervalSeconds);
  return evaluator;
}

/** Receivers of the current portfolio: resolved at start, or unresolvable (missing secret, added since). */
function receiversNow(
  options: EvaluatorOptions,
  portfolio: Pick<Portfolio, 'receivers'>,
): { all: { name: string; kind: string }[]; unresolved: UnresolvedReceiver[] } {
  const resolved = new Set(options.receivers.resolved.map((r) => r.name));
  const known = new Map(options.receivers.unresolved.map((u) => [u.name, u]));
  const unresolved: UnresolvedReceiver[] = [];
  for (const r of portfolio.receivers)
    if (!resolved.has(r.name))
      unresolved.push(
        known.get(r.name) ?? {
          name: r.name,
          kind: r.kind,
          problem: `receiver ${r.name}: added after the server started; restart to read its credentials`,
        },
      );
  return { all: portfolio.receivers.map((r) => ({ name: r.name, kind: r.kind })), unresolved };
}

async function evaluateOnce(
  options: EvaluatorOptions,
  now: Date,
  window: RequestWindow,
  log: RuntimeLog,
): Promise<EvaluationOutcome> {
  const started = performance.now();
  const portfolio = options.portfolio();
  const base: AlertingConfig = portfolio
    ? effectiveAlerting(portfolio)
    : { rules: [], routes: [], escalation: {}, suppressions: [] };
  let config = base;
  const receivers = portfolio ? receiversNow(options, portfolio) : { all: [], unresolved: [] };
  try {
    // Server-wide reads outside the evaluation's transaction: they do not need its lock. The API
    // rules read here only decide which; the transaction reads them again and evaluates those.
    config = withApiRules(
      base,
      (await selectApiRules(options.db)).rows.map((r) => r.rule),
    );
    let latencyRegression: LatencyRegression | null = null;
    if (config.rules.some((r) => JSON.stringify(r.expr).includes('latency_regression_ratio')))
      latencyRegression = await checkLatencyRegression(options.db, now);
    const requests = isSelfMetrics(options.metrics)
      ? window.lastHour(now, await readRequestTotals(options.metrics))
      : null;

    const outcome = await options.db.transaction(async (tx) => {
      await lockEvaluation(tx);
      const apiRules = await selectApiRules(tx);
      for (const problem of apiRules.problems) log.error({ problem }, 'API alert rule skipped');
      config = withApiRules(
        base,
        apiRules.rows.map((r) => r.rule),
      );
      const kpiMetrics = config.rules.filter((r) => r.labels.source === 'kpi').map((r) => exprMetric(r.expr));
      const loaded = await loadEngineState(tx);
      if (loaded.problem)
        log.error({ problem: loaded.problem }, 'stored alert state is corrupt; starting empty');
      const snapshot = await collectSnapshot(tx, now, {
        latencyRegression,
        requests,
        kpiMetrics: kpiMetrics.filter((m): m is string => m !== null),
      });
      const silences = await selectActiveSilences(tx, now);
      const suppressions = await selectActiveSuppressions(tx, now);
      const commands = await takePendingCommands(tx, now);
      const result = step(
        loaded.state ?? emptyEngineState(),
        { config, snapshot, silences, suppressions, commands },
        now,
      );
      await saveEngineState(tx, result.state, now);
      const ids = await tx.query<{ id: string; host: string }>('SELECT id::text AS id, host FROM domains');
      await insertTransitions(tx, result.transitions, new Map(ids.rows.map((r) => [r.host, r.id])));
      const enqueued = await enqueueNotifications(tx, result.notifications, receivers.all as never);
      if (enqueued.enqueued.length > 0) await parkUnresolved(tx, receivers.unresolved);
      return { result, enqueued: enqueued.enqueued.length };
    });
    recordRules(options.metrics, config, outcome.result.state, (performance.now() - started) / 1000);
    if (outcome.enqueued > 0) options.onEnqueued?.();
    return {
      at: now.toISOString(),
      state: outcome.result.state,
      notifications: outcome.enqueued,
      transitions: outcome.result.transitions,
      ignoredCommands: outcome.result.ignoredCommands,
    };
  } catch (err) {
    const seconds = (performance.now() - started) / 1000;
    for (const _ of config.rules)
      options.metrics?.recordRuleEvaluation('error', seconds / config.rules.length);
    throw err;
  }
}

function exprMetric(expr: AlertingConfig['rules'][number]['expr']): string | null {
  return 'kind' in expr ? expr.metric : null;
}

/** One count per rule, by the state of its alerts after the evaluation (firing > pending > inactive). */
function recordRules(
  metrics: SelfMetricsRecorder | undefined,
  config: AlertingConfig,
  state: EngineState,
  seconds: number,
): void {
  if (!metrics || config.rules.length === 0) return;
  const per = seconds / config.rules.length;
  const alerts = Object.values(state.alerts);
  for (const rule of config.rules) {
    const states = alerts.filter((a) => a.rule === rule.name).map((a) => a.state);
    metrics.recordRuleEvaluation(
      states.includes('firing') ? 'firing' : states.includes('pending') ? 'pending' : 'inactive',
      per,
    );
  }
}
