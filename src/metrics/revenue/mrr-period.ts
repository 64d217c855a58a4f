import { type DateRange, startOfLocalDay } from '../metric-query.ts';
import {
  type CustomerStart,
  customerKey,
  MOVEMENT_KINDS,
  type Movement,
  type MovementKind,
} from './mrr-movements.ts';

// What a range's movements add up to, and the monthly MRR bridge. Pure; amounts in euro cents.

export type MovementTotals = Record<MovementKind, number>;

export interface MrrPeriod {
  startMrrCents: number;
  startCustomers: number;
  endMrrCents: number;
  endCustomers: number;
  /** Sum of each kind's amounts; start + new + expansion + reactivation − contraction − churn = end. */
  movements: MovementTotals;
  /** Distinct customers with at least one movement of the kind. */
  customers: Record<MovementKind, number>;
  /** MRR at the end of the customers who were paying at the start (net revenue retention). */
  startCohortEndMrrCents: number;
  /** New customers by acquisition channel (null: not attributed). */
  newByChannel: Map<string | null, number>;
}

export function zeroTotals(): MovementTotals {
  return { new: 0, expansion: 0, reactivation: 0, contraction: 0, churn: 0 };
}

/** Signed effect of a movement on MRR. */
export function signedAmount(m: Pick<Movement, 'kind' | 'amountCents'>): number {
  return m.kind === 'contraction' || m.kind === 'churn' ? -m.amountCents : m.amountCents;
}

export function summariseMrrPeriod(
  start: readonly CustomerStart[],
  movements: readonly Movement[],
): MrrPeriod {
  const mrr = new Map<string, number>();
  const cohort = new Set<string>();
  for (const c of start) {
    if (c.mrrCents === 0) continue;
    mrr.set(customerKey(c), c.mrrCents);
    if (c.mrrCents > 0) cohort.add(customerKey(c));
  }
  const startMrrCents = sum(mrr.values());
  const startCustomers = cohort.size;
  const totals = zeroTotals();
  const byKind = new Map<MovementKind, Set<string>>(MOVEMENT_KINDS.map((k) => [k, new Set<string>()]));
  const newByChannel = new Map<string | null, number>();
  for (const m of movements) {
    const key = customerKey(m);
    totals[m.kind] += m.amountCents;
    byKind.get(m.kind)?.add(key);
    mrr.set(key, m.afterCents);
    if (m.kind === 'new') newByChannel.set(m.channel, (newByChannel.get(m.channel) ?? 0) + 1);
  }
  let endMrrCents = 0;
  let endCustomers = 0;
  let startCohortEndMrrCents = 0;
  for (const [key, value] of mrr) {
    endMrrCents += value;
    if (value > 0) endCustomers += 1;
    if (cohort.has(key)) startCohortEndMrrCents += value;
  }
  const customers = Object.fromEntries(MOVEMENT_KINDS.map((k) => [k, byKind.get(k)?.size ?? 0])) as Record<
    MovementKind,
    number
  >;
  return {
    startMrrCents,
    startCustomers,
    endMrrCents,
    endCustomers,
    movements: totals,
    customers,
    startCohortEndMrrCents,
    newByChannel,
  };
}

export interface MonthWindow {
  /** Calendar month in the range's time zone, YYYY-MM. */
  month: string;
  start: Date;
  end: Date;
}

/** The calendar months a range touches, each clipped to the range ([start, end) instants). */
export function monthWindows(range: Pick<DateRange, 'from' | 'to' | 'tz' | 'start' | 'end'>): MonthWindow[] {
  const windows: MonthWindow[] = [];
  let month = range.from.slice(0, 7);
  const last = range.to.slice(0, 7);
  while (month <= last) {
    const next = nextMonth(month);
    const start = startOfLocalDay(`${month}-01`, range.tz);
    const end = startOfLocalDay(`${next}-01`, range.tz);
    windows.push({
      month,
      start: new Date(Math.max(start.getTime(), range.start.getTime())),
      end: new Date(Math.min(end.getTime(), range.end.getTime())),
    });
    month = next;
  }
  return windows;
}

function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export interface BridgeMonth extends MovementTotals {
  month: string;
  start: number;
  end: number;
}

/**
 * The MRR bridge per month: each month starts where the previous ended, so the first start is the
 * range's start MRR and the last end its end MRR. Movements must fall inside the windows.
 */
export function mrrBridge(
  startMrrCents: number,
  movements: readonly Movement[],
  windows: readonly MonthWindow[],
): BridgeMonth[] {
  let running = startMrrCents;
  return windows.map((w) => {
    const totals = zeroTotals();
    for (const m of movements) if (m.at >= w.start && m.at < w.end) totals[m.kind] += m.amountCents;
    const start = running;
    running = start + totals.new + totals.expansion + totals.reactivation - totals.contraction - totals.churn;
    return { month: w.month, start, ...totals, end: running };
  });
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
