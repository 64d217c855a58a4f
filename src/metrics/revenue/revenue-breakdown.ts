import type { RevenueStream } from '../../config/portfolio/revenue-streams.ts';
import { centsOfNumeric } from '../../ingest/revenue/money.ts';
import { change, type MetricDomain } from '../metric-query.ts';
import type { RevenueTotalRow } from './revenue-totals.sql.ts';

// Revenue by domain, stream and kind from the grouped rows of revenue-totals.sql.ts. Pure.
// Sums are exact in cents; responses give euros (cents ÷ 100).

export interface RevenueAmounts {
  /** Earned revenue net of refunds: gross − refunds. */
  net: number;
  /** Earned revenue of every kind but refunds. */
  gross: number;
  /** Refunded, as a positive amount. */
  refunds: number;
  /** Not earned yet (e.g. affiliate commissions awaiting approval); not in net. */
  pending: number;
  /** Earned rows (refunds included). */
  count: number;
}

export interface StreamTarget {
  /** targetRevenue from the portfolio file: annual revenue to reach. */
  annual: number;
  /** currentRevenue from the portfolio file: the annual revenue the plan started from. */
  planned: number;
  /** The annual target prorated to the range: annual × days ÷ 365. */
  forRange: number;
  /** Net revenue annualised: net × 365 ÷ days. */
  runRate: number;
  /** net ÷ forRange (= runRate ÷ annual); null when the target is 0. */
  progress: number | null;
}

interface Cents {
  net: number;
  gross: number;
  refunds: number;
  pending: number;
  count: number;
}

const zero = (): Cents => ({ net: 0, gross: 0, refunds: 0, pending: 0, count: 0 });

function addRow(c: Cents, row: RevenueTotalRow): void {
  const cents = Number(centsOfNumeric(row.amountEur));
  if (row.pending) {
    c.pending += cents;
    return;
  }
  c.net += cents;
  c.count += row.count;
  if (row.kind === 'refund') c.refunds -= cents;
  else c.gross += cents;
}

export const eur = (cents: number): number => Math.round(cents) / 100;
const euros = (c: Cents): RevenueAmounts => ({
  net: eur(c.net),
  gross: eur(c.gross),
  refunds: eur(c.refunds),
  pending: eur(c.pending),
  count: c.count,
});

/** Groups rows of one period by a key, keeping first-seen order. */
function groupBy(rows: readonly RevenueTotalRow[], key: (r: RevenueTotalRow) => string): Map<string, Cents> {
  const out = new Map<string, Cents>();
  for (const r of rows) {
    const k = key(r);
    const c = out.get(k) ?? zero();
    addRow(c, r);
    out.set(k, c);
  }
  return out;
}

export interface RevenueBreakdownInput {
  rows: readonly RevenueTotalRow[];
  domains: readonly MetricDomain[];
  /** Portfolio streams the breakdown shows even without revenue, with their targets. */
  streams: readonly RevenueStream[];
  days: number;
  hasPrevious: boolean;
}

const UNASSIGNED = '\u0000unassigned';

export function revenueBreakdown(input: RevenueBreakdownInput) {
  const current = input.rows.filter((r) => r.period === 'current');
  const previous = input.rows.filter((r) => r.period === 'previous');
  const compare = (now: Cents, before: Cents | undefined) => {
    const prev = input.hasPrevious ? (before ?? zero()).net : null;
    return { previousNet: prev === null ? null : eur(prev), change: change(now.net, prev) };
  };

  const total = groupBy(current, () => 'all').get('all') ?? zero();
  const previousTotal = groupBy(previous, () => 'all').get('all') ?? zero();

  const curDomain = groupBy(current, (r) => r.domainId);
  const prevDomain = groupBy(previous, (r) => r.domainId);
  const byDomain = input.domains.map((d) => {
    const c = curDomain.get(d.id) ?? zero();
    return { domain: d, ...euros(c), ...compare(c, prevDomain.get(d.id)) };
  });

  const streamKey = (r: RevenueTotalRow) => r.stream ?? UNASSIGNED;
  const curStream = groupBy(current, streamKey);
  const prevStream = groupBy(previous, streamKey);
  const hostOf = new Map(input.domains.map((d) => [d.id, d.host]));
  const known = new Map(input.streams.map((s) => [s.id, s]));
  // Portfolio streams first, in file order; then ids the file does not know; unassigned last.
  const extra = [...curStream.keys(), ...prevStream.keys()].filter((k) => !known.has(k) && k !== UNASSIGNED);
  const keys = [...known.keys(), ...new Set(extra)];
  if (curStream.has(UNASSIGNED) || prevStream.has(UNASSIGNED)) keys.push(UNASSIGNED);
  const byStream = keys.map((k) => {
    const c = curStream.get(k) ?? zero();
    const s = known.get(k);
    // A stream the file does not know is shown on its domain when all its revenue is on one.
    const seenOn = new Set(input.rows.filter((r) => streamKey(r) === k).map((r) => r.domainId));
    const onlyDomain = seenOn.size === 1 && k !== UNASSIGNED ? [...seenOn][0] : undefined;
    return {
      stream: k === UNASSIGNED ? null : k,
      name: s?.name ?? null,
      domain: s ? (s.domain ?? null) : onlyDomain ? (hostOf.get(onlyDomain) ?? null) : null,
      crossPlatform: s?.crossPlatform === true,
      ...euros(c),
      ...compare(c, prevStream.get(k)),
      target: s ? streamTarget(s, c.net, input.days) : null,
    };
  });

  const curKind = groupBy(current, (r) => r.kind);
  const prevKind = groupBy(previous, (r) => r.kind);
  const kinds = [...new Set([...curKind.keys(), ...prevKind.keys()])].sort();
  const byKind = kinds.map((kind) => {
    const c = curKind.get(kind) ?? zero();
    return { kind, ...euros(c), ...compare(c, prevKind.get(kind)) };
  });

  return {
    total: euros(total),
    previousTotal: input.hasPrevious ? euros(previousTotal) : null,
    change: input.hasPrevious ? change(total.net, previousTotal.net) : null,
    byDomain,
    byStream,
    byKind,
  };
}

export function streamTarget(
  stream: Pick<RevenueStream, 'targetRevenue' | 'currentRevenue'>,
  netCents: number,
  days: number,
): StreamTarget {
  const annualCents = Math.round(stream.targetRevenue * 100);
  const forRangeCents = (annualCents * days) / 365;
  return {
    annual: stream.targetRevenue,
    planned: stream.currentRevenue,
    forRange: eur(forRangeCents),
    runRate: eur((netCents * 365) / days),
    progress: forRangeCents === 0 ? null : netCents / forRangeCents,
  };
}
