import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { BackendKind } from '../../db/types.ts';
import type { EventWriter } from '../../ingest/event-writer.ts';
import { HourlyLatency } from './hourly-latency.ts';
import { LATENCY_BUCKETS_SECONDS } from './latency-histogram.ts';

/** How one rule's evaluation ended: the state it is in afterwards, or an error. */
export type RuleEvaluationResult = 'inactive' | 'pending' | 'firing' | 'error';

/** One delivery attempt of a notification: sent, failed (will be retried), or given up on. */
export type NotificationOutcome = 'sent' | 'failed' | 'gave_up';

export type DbCallKind = 'query' | 'transaction' | 'exec';

/** What the alert engine and notifiers report; they depend on this, not on prom-client. */
export interface SelfMetricsRecorder {
  recordRuleEvaluation(result: RuleEvaluationResult, seconds: number): void;
  recordNotification(channel: string, outcome: NotificationOutcome): void;
}

/** For callers built without a server (CLI runs, unit tests). */
export const NO_SELF_METRICS: SelfMetricsRecorder = {
  recordRuleEvaluation() {},
  recordNotification() {},
};

/**
 * The server's own metrics, on a registry of its own (never prom-client's global one), so
 * several servers in one process — tests — keep separate counts. Labels are bounded: routes
 * are Fastify's URL templates, never raw URLs.
 */
export class SelfMetrics implements SelfMetricsRecorder {
  readonly registry = new Registry();
  /** Request durations per UTC hour and route since the last snapshot (the regression rule's input). */
  readonly hourlyLatency = new HourlyLatency();

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from routing a request to the end of its response, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers: [this.registry],
  });
  private queueDepthSource: () => number = () => 0;
  private readonly ingestQueueDepth: Gauge = new Gauge({
    name: 'ingest_queue_depth',
    help: 'Events accepted and waiting for the group-commit writer.',
    registers: [this.registry],
    collect: () => {
      this.ingestQueueDepth.set(this.queueDepthSource());
    },
  });
  private readonly ingestBatchSize = new Histogram({
    name: 'ingest_batch_size',
    help: 'Events per committed group-commit batch.',
    buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000],
    registers: [this.registry],
  });
  private readonly ingestEvents = new Counter({
    name: 'ingest_events_total',
    help: 'Events in committed group-commit batches.',
    registers: [this.registry],
  });
  private readonly dbDuration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Database calls by backend and kind (query, transaction, exec); includes waiting for PGlite’s one session.',
    labelNames: ['backend', 'kind'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly ruleEvaluations = new Counter({
    name: 'alert_rule_evaluations_total',
    help: 'Alert rule evaluations by result (state after evaluation, or error).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly ruleEvaluationDuration = new Histogram({
    name: 'alert_rule_evaluation_duration_seconds',
    help: 'Time to evaluate one alert rule.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly notifications = new Counter({
    name: 'notifications_total',
    help: 'Notification delivery attempts by channel kind and outcome (sent, failed, gave_up).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });
  private unsubscribeWriter: (() => void) | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** One answered request; `route` is the URL template. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  }

  /** Queue depth on every scrape, batch sizes on every commit. */
  observeIngestWriter(writer: EventWriter): void {
    this.unsubscribeWriter?.();
    this.queueDepthSource = () => writer.queued;
    this.unsubscribeWriter = writer.onCommitted((rows) => {
      this.ingestBatchSize.observe(rows.length);
      this.ingestEvents.inc(rows.length);
    });
  }

  observeDbCall(backend: BackendKind, kind: DbCallKind, seconds: number): void {
    this.dbDuration.observe({ backend, kind }, seconds);
  }

  recordRuleEvaluation(result: RuleEvaluationResult, seconds: number): void {
    this.ruleEvaluations.inc({ result });
    this.ruleEvaluationDuration.observe(seconds);
  }

  recordNotification(channel: string, outcome: NotificationOutcome): void {
    this.notifications.inc({ channel, outcome });
  }

  /** The exposition text and its content type (`text/plain; version=0.0.4`). */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Detaches from the writer; the registry itself needs no cleanup. */
  close(): void {
    this.unsubscribeWriter?.();
    this.unsubscribeWriter = null;
  }
}

export function createSelfMetrics(): SelfMetrics {
  return new SelfMetrics();
}
