// MRR movements, ChartMogul's way: per customer, each change of the customer's MRR is one
// movement — 0 → >0 the first time is new, 0 → >0 after having paid before is reactivation,
// up is expansion, down but above 0 is contraction, >0 → 0 is churn. Pure: plain data in and out,
// amounts in integer euro cents.

export type MovementKind = 'new' | 'expansion' | 'reactivation' | 'contraction' | 'churn';
export const MOVEMENT_KINDS: readonly MovementKind[] = [
  'new',
  'expansion',
  'reactivation',
  'contraction',
  'churn',
];

/** A customer as it stands at the start of a range. */
export interface CustomerStart {
  domainId: string;
  customer: string;
  mrrCents: number;
  /** Had MRR above 0 at some time before the range: a return is reactivation, not new. */
  hasPaid: boolean;
}

/** One change of one subscription's counted MRR, from subscription_changes. */
export interface MrrChange {
  domainId: string;
  customer: string;
  at: Date;
  deltaCents: number;
  /** The subscription's acquisition channel, for new customers by channel. */
  channel: string | null;
}

export interface Movement {
  domainId: string;
  customer: string;
  at: Date;
  kind: MovementKind;
  /** Always positive: how much MRR the movement adds (new, expansion, reactivation) or removes. */
  amountCents: number;
  /** MRR of the customer before and after the movement. */
  beforeCents: number;
  afterCents: number;
  channel: string | null;
}

/** A customer is one per domain: the same Stripe customer id on two domains is two customers. */
export function customerKey(c: { domainId: string; customer: string }): string {
  return `${c.domainId}\u0000${c.customer}`;
}

/**
 * Classifies the changes of a range (sorted by time) starting from the customers' state at its
 * start. Changes of one customer at the same instant are one movement (switching plans is an
 * expansion or contraction, not a churn and a reactivation); a net zero is no movement.
 */
export function classifyMovements(
  start: readonly CustomerStart[],
  changes: readonly MrrChange[],
): Movement[] {
  const state = new Map<string, { mrr: number; hasPaid: boolean }>();
  for (const c of start) state.set(customerKey(c), { mrr: c.mrrCents, hasPaid: c.hasPaid || c.mrrCents > 0 });
  const movements: Movement[] = [];
  for (const group of groupByCustomerAndInstant(changes)) {
    const key = customerKey(group.first);
    const s = state.get(key) ?? { mrr: 0, hasPaid: false };
    const before = s.mrr;
    const after = before + group.deltaCents;
    const kind = movementKind(before, after, s.hasPaid);
    if (kind) {
      movements.push({
        domainId: group.first.domainId,
        customer: group.first.customer,
        at: group.first.at,
        kind,
        amountCents: Math.abs(after - before),
        beforeCents: before,
        afterCents: after,
        channel: group.channel,
      });
    }
    state.set(key, { mrr: after, hasPaid: s.hasPaid || after > 0 });
  }
  return movements;
}

interface ChangeGroup {
  first: MrrChange;
  deltaCents: number;
  channel: string | null;
}

/** Sums each customer's changes at one instant, in time order (a Map keeps insertion order). */
function groupByCustomerAndInstant(changes: readonly MrrChange[]): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>();
  for (const c of changes) {
    const id = `${customerKey(c)}\u0000${c.at.getTime()}`;
    const g = groups.get(id);
    if (!g) {
      groups.set(id, { first: c, deltaCents: c.deltaCents, channel: c.deltaCents > 0 ? c.channel : null });
      continue;
    }
    g.deltaCents += c.deltaCents;
    if (g.channel === null && c.deltaCents > 0) g.channel = c.channel;
  }
  return [...groups.values()];
}

/** The movement a customer's MRR going from `before` to `after` is, or null when it did not move. */
export function movementKind(before: number, after: number, hasPaid: boolean): MovementKind | null {
  if (after === before) return null;
  if (before <= 0) return hasPaid ? 'reactivation' : 'new';
  if (after <= 0) return 'churn';
  return after > before ? 'expansion' : 'contraction';
}
