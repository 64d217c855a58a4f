import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CustomerStart, classifyMovements, type MrrChange, movementKind } from './mrr-movements.ts';
import { type MonthWindow, mrrBridge, signedAmount, summariseMrrPeriod } from './mrr-period.ts';

const at = (day: number, hour = 12) => new Date(Date.UTC(2026, 2, day, hour));
const change = (
  customer: string,
  day: number,
  deltaCents: number,
  over: Partial<MrrChange> = {},
): MrrChange => ({
  domainId: 'd1',
  customer,
  at: at(day),
  deltaCents,
  channel: null,
  ...over,
});

describe('movementKind', () => {
  it.each([
    [0, 1000, false, 'new'],
    [0, 1000, true, 'reactivation'],
    [1000, 1500, true, 'expansion'],
    [1500, 1000, true, 'contraction'],
    [1000, 0, true, 'churn'],
    [1000, 1000, true, null],
    [0, 0, true, null],
  ] as const)('%i → %i (paid before: %s) is %s', (before, after, hasPaid, kind) => {
    expect(movementKind(before, after, hasPaid)).toBe(kind);
  });
});

describe('classifyMovements', () => {
  it('classifies each change of a customer against its MRR at that moment', () => {
    const start: CustomerStart[] = [
      { domainId: 'd1', customer: 'cus_a', mrrCents: 3000, hasPaid: true },
      { domainId: 'd1', customer: 'cus_gone', mrrCents: 0, hasPaid: true },
    ];
    const moves = classifyMovements(start, [
      change('cus_a', 2, 2000), // 30 → 50: expansion 20
      change('cus_new', 3, 4000, { channel: 'Email' }), // 0 → 40, never paid: new 40
      change('cus_gone', 4, 1500), // 0 → 15, paid before the range: reactivation 15
      change('cus_a', 5, -1000), // 50 → 40: contraction 10
      change('cus_new', 6, -4000), // 40 → 0: churn 40
      change('cus_new', 7, 2500), // 0 → 25, paid earlier in the range: reactivation 25
    ]);
    expect(moves.map((m) => [m.customer, m.kind, m.amountCents, m.beforeCents, m.afterCents])).toEqual([
      ['cus_a', 'expansion', 2000, 3000, 5000],
      ['cus_new', 'new', 4000, 0, 4000],
      ['cus_gone', 'reactivation', 1500, 0, 1500],
      ['cus_a', 'contraction', 1000, 5000, 4000],
      ['cus_new', 'churn', 4000, 4000, 0],
      ['cus_new', 'reactivation', 2500, 0, 2500],
    ]);
    expect(moves[1]?.channel).toBe('Email');
  });

  it("sums a customer's changes at one instant: a plan switch is one expansion, a like-for-like swap nothing", () => {
    const start: CustomerStart[] = [{ domainId: 'd1', customer: 'cus_a', mrrCents: 1000, hasPaid: true }];
    const moves = classifyMovements(start, [
      // Subscription 1 (10) canceled and subscription 2 (30) started at the same instant: 10 → 30.
      change('cus_a', 2, -1000),
      change('cus_b', 2, 500), // another customer in between
      change('cus_a', 2, 3000),
      // Swap 30 for 30 on day 3: no movement.
      change('cus_a', 3, -3000),
      change('cus_a', 3, 3000),
    ]);
    expect(moves.map((m) => [m.customer, m.kind, m.amountCents])).toEqual([
      ['cus_a', 'expansion', 2000],
      ['cus_b', 'new', 500],
    ]);
  });

  it('treats the same customer id on two domains as two customers', () => {
    const start: CustomerStart[] = [{ domainId: 'd1', customer: 'cus_1', mrrCents: 1000, hasPaid: true }];
    const moves = classifyMovements(start, [change('cus_1', 2, 2000, { domainId: 'd2' })]);
    expect(moves.map((m) => [m.domainId, m.kind])).toEqual([['d2', 'new']]);
  });
});

describe('summariseMrrPeriod and the bridge', () => {
  it('adds the movements up, counts customers and the start cohort, and bridges by month', () => {
    const start: CustomerStart[] = [
      { domainId: 'd1', customer: 'a', mrrCents: 5000, hasPaid: true },
      { domainId: 'd1', customer: 'b', mrrCents: 2000, hasPaid: true },
    ];
    const moves = classifyMovements(start, [
      change('a', 3, 1000), // expansion 10
      change('c', 4, 3000, { channel: 'Ads' }), // new 30
      change('b', 20, -2000), // churn 20
    ]);
    const p = summariseMrrPeriod(start, moves);
    // start 70 + new 30 + expansion 10 − churn 20 = 90; cohort a and b end at 60 + 0.
    expect(p).toMatchObject({
      startMrrCents: 7000,
      startCustomers: 2,
      endMrrCents: 9000,
      endCustomers: 2,
      movements: { new: 3000, expansion: 1000, reactivation: 0, contraction: 0, churn: 2000 },
      customers: { new: 1, expansion: 1, reactivation: 0, contraction: 0, churn: 1 },
      startCohortEndMrrCents: 6000,
    });
    expect([...p.newByChannel]).toEqual([['Ads', 1]]);
    const windows: MonthWindow[] = [
      { month: 'first half', start: at(1, 0), end: at(16, 0) },
      { month: 'second half', start: at(16, 0), end: at(32, 0) },
    ];
    expect(mrrBridge(p.startMrrCents, moves, windows)).toEqual([
      {
        month: 'first half',
        start: 7000,
        new: 3000,
        expansion: 1000,
        reactivation: 0,
        contraction: 0,
        churn: 0,
        end: 11000,
      },
      {
        month: 'second half',
        start: 11000,
        new: 0,
        expansion: 0,
        reactivation: 0,
        contraction: 0,
        churn: 2000,
        end: 9000,
      },
    ]);
  });
});

// Property: from any history of subscription MRR levels, start + movements = end, the end equals
// the MRR summed directly, and a bridge over any split of the range chains and balances.
describe('the bridge always balances', () => {
  const subscription = fc.record({
    domainId: fc.constantFrom('d1', 'd2'),
    customer: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
    steps: fc.array(
      fc.record({
        minute: fc.integer({ min: 0, max: 999 }),
        cents: fc.constantFrom(0, 0, 500, 1000, 2550, 9900),
      }),
      {
        maxLength: 8,
      },
    ),
  });
  it('for random histories and ranges', () => {
    fc.assert(
      fc.property(
        fc.array(subscription, { maxLength: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (subs, a, b, cut) => {
          const t = (minute: number) => new Date(Date.UTC(2026, 0, 1) + minute * 60_000);
          // Each subscription's chain of counted-MRR changes, as subscription_changes holds it.
          const all: MrrChange[] = [];
          for (const s of subs) {
            let level = 0;
            let lastMinute = -1;
            // One change per subscription and minute, as Stripe's event times are distinct.
            for (const step of [...s.steps].sort((x, y) => x.minute - y.minute)) {
              if (step.cents === level || step.minute === lastMinute) continue;
              lastMinute = step.minute;
              all.push({
                domainId: s.domainId,
                customer: s.customer,
                at: t(step.minute),
                deltaCents: step.cents - level,
                channel: null,
              });
              level = step.cents;
            }
          }
          all.sort((x, y) => x.at.getTime() - y.at.getTime());
          const [from, to] = [t(Math.min(a, b)), t(Math.max(a, b))];
          const mid = t(Math.min(Math.max(cut, Math.min(a, b)), Math.max(a, b)));
          // What the start-of-range query computes: per customer, the sum of deltas before `from`.
          const before = new Map<string, CustomerStart>();
          for (const c of all.filter((x) => x.at < from)) {
            const key = `${c.domainId}/${c.customer}`;
            const s = before.get(key) ?? {
              domainId: c.domainId,
              customer: c.customer,
              mrrCents: 0,
              hasPaid: false,
            };
            s.mrrCents += c.deltaCents;
            if (s.mrrCents > 0) s.hasPaid = true;
            before.set(key, s);
          }
          const start = [...before.values()];
          const inRange = all.filter((x) => x.at >= from && x.at < to);
          const moves = classifyMovements(start, inRange);
          const p = summariseMrrPeriod(start, moves);
          const directEnd = all.filter((x) => x.at < to).reduce((n, x) => n + x.deltaCents, 0);
          expect(p.endMrrCents).toBe(directEnd);
          expect(p.startMrrCents + moves.reduce((n, m) => n + signedAmount(m), 0)).toBe(p.endMrrCents);
          const m = p.movements;
          expect(p.startMrrCents + m.new + m.expansion + m.reactivation - m.contraction - m.churn).toBe(
            p.endMrrCents,
          );
          for (const mv of moves) {
            expect(mv.amountCents).toBeGreaterThan(0);
            if (mv.kind !== 'new' && mv.kind !== 'reactivation') continue;
            // New exactly when the customer never had MRR above 0 before this instant (changes at
            // one instant count together, as one movement).
            const earlier = all.filter(
              (x) => x.at < mv.at && x.domainId === mv.domainId && x.customer === mv.customer,
            );
            const paid = earlier.some(
              (x) => earlier.filter((y) => y.at <= x.at).reduce((n, y) => n + y.deltaCents, 0) > 0,
            );
            expect(mv.kind).toBe(paid ? 'reactivation' : 'new');
          }
          const bridge = mrrBridge(p.startMrrCents, moves, [
            { month: 'a', start: from, end: mid },
            { month: 'b', start: mid, end: to },
          ]);
          expect(bridge[0]?.start).toBe(p.startMrrCents);
          expect(bridge[0]?.end).toBe(bridge[1]?.start);
          expect(bridge[1]?.end).toBe(p.endMrrCents);
        },
      ),
      { numRuns: 500 },
    );
  });
});
