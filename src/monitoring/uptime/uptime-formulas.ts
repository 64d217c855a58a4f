// Uptime figures (docs/uptime.md "Formulas"): pure, `now` is a parameter.
// Uptime is time-weighted: 1 − (time inside incidents ÷ time monitored) over a window, where the
// monitored time runs from the domain's first check to the end of the window (or now).

/** The seed's availability target: 99.97 % (≈ 13 minutes of downtime in 30 days). */
export const UPTIME_TARGET = 0.9997;

export interface Span {
  start: Date;
  /** null: still open (an incident in progress). */
  end: Date | null;
}

export interface UptimeFigure {
  /** 0–1; null when the domain was not monitored at all during the window. */
  uptime: number | null;
  monitoredS: number;
  downtimeS: number;
}

export type UptimeVerdict = 'met' | 'missed' | 'no_data';

/** Merges overlapping spans (closed at `now` when open) into disjoint [start, end) pairs in ms. */
function disjoint(spans: readonly Span[], now: Date): [number, number][] {
  const sorted = spans
    .map((s): [number, number] => [s.start.getTime(), (s.end ?? now).getTime()])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * Uptime of one domain over `window` ([start, end)), given the start of its monitoring and its
 * incidents. The part of the window after `now` or before monitoring began counts neither way.
 */
export function uptimeOver(
  window: { start: Date; end: Date },
  monitoredSince: Date | null,
  incidents: readonly Span[],
  now: Date,
): UptimeFigure {
  if (monitoredSince === null) return { uptime: null, monitoredS: 0, downtimeS: 0 };
  const from = Math.max(window.start.getTime(), monitoredSince.getTime());
  const to = Math.min(window.end.getTime(), now.getTime());
  if (to <= from) return { uptime: null, monitoredS: 0, downtimeS: 0 };
  let down = 0;
  for (const [a, b] of disjoint(incidents, now)) down += Math.max(0, Math.min(b, to) - Math.max(a, from));
  return { uptime: 1 - down / (to - from), monitoredS: (to - from) / 1000, downtimeS: down / 1000 };
}

export function uptimeVerdict(uptime: number | null, target: number = UPTIME_TARGET): UptimeVerdict {
  if (uptime === null) return 'no_data';
  // Rounded first: 1 − down ÷ monitored is a float, and exactly 99.97 % must meet 99.97 %.
  return Math.round(uptime * 1e9) / 1e9 >= target ? 'met' : 'missed';
}

/** Downtime the target allows over a monitored time, in seconds. */
export function downtimeBudgetS(monitoredS: number, target: number = UPTIME_TARGET): number {
  return monitoredS * (1 - target);
}
