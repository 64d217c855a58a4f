import { z } from 'zod';
import { AlertingConfig, type Silence, type SuppressionWindow } from '../alert-rule-schema.ts';
import { Notification } from '../notification.ts';
import { durationMs } from './duration.ts';
import { type AlertCommand, type AlertTransition, EngineState, emptyEngineState } from './engine-state.ts';
import type { MetricSeries } from './metric-snapshot.ts';
import { type StepResult, step } from './step.ts';

// Time-stepped fixtures for the engine's tests: a config, then ticks at offsets from a start
// instant, each with the metrics seen then; the run returns what each tick produced, summarised
// as short strings a table can assert on.

export type Tick = {
  /** Offset from the start, e.g. `5m30s`, or an ISO instant. */
  at: string;
  series?: MetricSeries[];
  domains?: string[];
  silences?: Silence[];
  suppressions?: SuppressionWindow[];
  commands?: AlertCommand[];
};

export interface TickOutcome {
  at: string;
  /** `receiver reason status alertname/domain=status,…` per notification. */
  sent: string[];
  /** `alertname/domain from→to` per transition. */
  moved: string[];
  /** `alertname/domain` → display state (`firing`, `pending`, `resolved`, `silenced` …). */
  alerts: Record<string, string>;
  result: StepResult;
}

export const who = (labels: Record<string, string>) => `${labels.alertname}/${labels.domain ?? '-'}`;

export function summarize(n: Notification): string {
  const alerts = n.alerts.map((a) => `${who(a.labels)}=${a.status}`).join(',');
  return `${n.receiver} ${n.reason} ${n.status} ${alerts}`;
}

const summarizeMove = (t: AlertTransition) => `${who(t.labels)} ${t.from}→${t.to}`;

/** A metric series on one domain. */
export function metric(
  name: string,
  domain: string | undefined,
  value: number | undefined,
  extra: Partial<MetricSeries> = {},
): MetricSeries {
  return { metric: name, labels: domain ? { domain } : {}, value, ...extra };
}

export function config(input: z.input<typeof AlertingConfig>): AlertingConfig {
  const parsed = AlertingConfig.safeParse(input);
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  return parsed.data;
}

export function instant(start: Date, at: string): Date {
  return at.includes('T') ? new Date(at) : new Date(start.getTime() + durationMs(at));
}

/**
 * Runs the ticks in order, passing the state through JSON each time (as the caller persists it)
 * and checking every notification against the outbox schema.
 */
export function runTimeline(cfg: AlertingConfig, start: Date, ticks: readonly Tick[]): TickOutcome[] {
  let state = emptyEngineState();
  const out: TickOutcome[] = [];
  for (const tick of ticks) {
    const now = instant(start, tick.at);
    const result = step(
      state,
      {
        config: cfg,
        snapshot: { series: tick.series ?? [], domains: tick.domains },
        silences: tick.silences,
        suppressions: tick.suppressions,
        commands: tick.commands,
      },
      now,
    );
    for (const n of result.notifications) Notification.parse(n);
    state = EngineState.parse(JSON.parse(JSON.stringify(result.state)));
    const alerts: Record<string, string> = {};
    for (const a of Object.values(result.state.alerts)) {
      const shown =
        a.state !== 'resolved' && a.silencedBy.length > 0
          ? 'silenced'
          : a.state !== 'resolved' && a.suppressedBy.length > 0
            ? 'suppressed'
            : a.state;
      alerts[who(a.labels)] = shown;
    }
    out.push({
      at: tick.at,
      sent: result.notifications.map(summarize),
      moved: result.transitions.map(summarizeMove),
      alerts,
      result,
    });
  }
  return out;
}

/** Ticks every `every` from `from` to `to` inclusive, with the series a function gives per instant. */
export function ticksEvery(
  start: Date,
  from: string,
  to: string,
  every: string,
  seriesAt: (offsetMs: number, now: Date) => MetricSeries[],
): Tick[] {
  const ticks: Tick[] = [];
  const step = durationMs(every);
  for (let t = durationMs(from); t <= durationMs(to); t += step) {
    const now = new Date(start.getTime() + t);
    ticks.push({ at: now.toISOString(), series: seriesAt(t, now) });
  }
  return ticks;
}

/** The engine state after the tick at `index`. */
export function stateAfter(run: readonly TickOutcome[], index: number): EngineState {
  const tick = run[index];
  if (!tick) throw new Error(`no tick ${index}`);
  return tick.result.state;
}
