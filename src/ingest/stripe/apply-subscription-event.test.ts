import { describe, expect, it } from 'vitest';
import { countedMrrCents, type HistoryInput, subscriptionHistory } from './apply-subscription-event.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const base: HistoryInput = {
  previous: null,
  next: { status: 'active', mrrCents: 2000n },
  eventAt: d('2026-03-10'),
  stripeStatus: 'active',
  startedAt: d('2026-03-10'),
  trialEnd: null,
  endedAt: null,
};
const rows = (input: Partial<HistoryInput>) =>
  subscriptionHistory({ ...base, ...input }).map((c) => [
    c.at.toISOString().slice(0, 10),
    c.mrrBefore,
    c.mrrAfter,
    c.statusBefore,
    c.statusAfter,
  ]);

describe('counted MRR', () => {
  it('counts active and past_due subscriptions only', () => {
    expect(countedMrrCents('active', 500n)).toBe(500n);
    expect(countedMrrCents('past_due', 500n)).toBe(500n);
    for (const s of ['trialing', 'paused', 'canceled'] as const) expect(countedMrrCents(s, 500n)).toBe(0n);
  });
});

describe('subscriptionHistory', () => {
  it('records a change of counted MRR of a known subscription at the event time', () => {
    const previous = { status: 'active' as const, mrrCents: 2000n, lastChangeAt: d('2026-03-01') };
    expect(rows({ previous, next: { status: 'active', mrrCents: 3500n } })).toEqual([
      ['2026-03-10', 2000n, 3500n, 'active', 'active'],
    ]);
    expect(rows({ previous, next: { status: 'canceled', mrrCents: 2000n } })).toEqual([
      ['2026-03-10', 2000n, 0n, 'active', 'canceled'],
    ]);
    // active → past_due keeps counting: nothing to record. Trial → active starts counting.
    expect(rows({ previous, next: { status: 'past_due', mrrCents: 2000n } })).toEqual([]);
    expect(
      rows({ previous: { ...previous, status: 'trialing' }, next: { status: 'active', mrrCents: 2000n } }),
    ).toEqual([['2026-03-10', 0n, 2000n, 'trialing', 'active']]);
  });

  it('never dates a change before the last one of the subscription', () => {
    const previous = { status: 'active' as const, mrrCents: 2000n, lastChangeAt: d('2026-03-12') };
    expect(rows({ previous, next: { status: 'active', mrrCents: 1000n } })).toEqual([
      ['2026-03-12', 2000n, 1000n, 'active', 'active'],
    ]);
  });

  it('dates a subscription first seen paying at the end of its trial, or its start', () => {
    expect(rows({ eventAt: d('2026-05-01'), startedAt: d('2026-03-01') })).toEqual([
      ['2026-03-01', 0n, 2000n, null, 'active'],
    ]);
    expect(rows({ eventAt: d('2026-05-01'), startedAt: d('2026-03-01'), trialEnd: d('2026-03-15') })).toEqual(
      [['2026-03-15', 0n, 2000n, null, 'active']],
    );
    // A trial end in the future (Stripe's object says active anyway): no later than the event.
    expect(rows({ trialEnd: d('2026-04-01') })).toEqual([['2026-03-10', 0n, 2000n, null, 'active']]);
  });

  it('replays the paid stretch of a subscription first seen canceled', () => {
    const canceled = {
      next: { status: 'canceled' as const, mrrCents: 2000n },
      stripeStatus: 'canceled',
      startedAt: d('2026-03-01'),
      endedAt: d('2026-03-20'),
      eventAt: d('2026-03-20'),
    };
    expect(rows(canceled)).toEqual([
      ['2026-03-01', 0n, 2000n, null, 'active'],
      ['2026-03-20', 2000n, 0n, 'active', 'canceled'],
    ]);
    // Canceled during its trial, or an incomplete subscription that expired: it never paid.
    expect(rows({ ...canceled, trialEnd: d('2026-03-25') })).toEqual([]);
    expect(rows({ ...canceled, stripeStatus: 'incomplete_expired' })).toEqual([]);
  });

  it('records nothing for a first sight that does not count (trialing, paused, free)', () => {
    expect(rows({ next: { status: 'trialing', mrrCents: 2000n }, stripeStatus: 'trialing' })).toEqual([]);
    expect(rows({ next: { status: 'paused', mrrCents: 2000n }, stripeStatus: 'paused' })).toEqual([]);
    expect(rows({ next: { status: 'active', mrrCents: 0n } })).toEqual([]);
  });
});
