import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RewardsConfig } from '../reward-schema.ts';
import { MAX_SUPPLY, TREASURY_ALLOCATION } from '../rules/token-constants.ts';
import {
  applyRewardRules,
  type CompiledRule,
  type RewardDecision,
  type RewardEvent,
  type RewardUserState,
} from './apply-reward-rules.ts';
import { compileRewardRules, loyaltyTierFor, tierThresholds } from './compile-reward-rules.ts';
import { rewardPostings } from './ledger-postings.ts';
import { WEI_PER_PTF } from './ptf-decimal.ts';

const PTF = WEI_PER_PTF;
const SHOP = '00000000-0000-4000-8000-000000000001';
const RIDE = '00000000-0000-4000-8000-000000000002';
const MUSIC = '00000000-0000-4000-8000-000000000003';
const SEO = '00000000-0000-4000-8000-000000000004';
const USER = '00000000-0000-4000-8000-0000000000aa';
const HOSTS = new Map([
  ['shop.example', SHOP],
  ['ride.example', RIDE],
  ['music.example', MUSIC],
  ['seo.example', SEO],
]);

const { rules } = compileRewardRules(
  RewardsConfig.parse({
    rules: [
      {
        id: 'shop-pro',
        domain: 'shop.example',
        event: 'Purchase',
        where: { plan: ['pro', 'team'] },
        ptf: 2,
        per: 'value_eur',
      },
      {
        id: 'shop-spend',
        domain: 'shop.example',
        event: 'Purchase',
        ptf: 1,
        per: 'value_eur',
        dailyCapPerUser: 100,
      },
      {
        id: 'ride-km',
        domain: 'ride.example',
        event: 'Ride Recorded',
        ptf: '0.5',
        per: { prop: 'km' },
        aiOptimized: { prop: 'ai' },
      },
      { id: 'track', domain: 'music.example', event: 'Track Released', ptf: 1 },
      { id: 'audit', domain: 'seo.example', event: 'Audit Run', ptf: 3, aiOptimized: true },
    ],
  }),
  HOSTS,
);

function event(over: Partial<RewardEvent>): RewardEvent {
  return {
    id: 'e1',
    domainId: SHOP,
    name: 'Purchase',
    occurredAt: new Date('2026-11-20T10:00:00Z'),
    userId: USER,
    valueEur: '10.00',
    props: {},
    ...over,
  };
}

function user(domains: string[] = [], booked: Record<string, bigint> = {}): RewardUserState {
  return { rewardedDomains: new Set(domains), bookedOnDay: (rule, day) => booked[`${rule}|${day}`] ?? 0n };
}

function decide(e: Partial<RewardEvent>, u = user(), issuedWei = 0n): RewardDecision {
  return applyRewardRules({ rules, event: event(e), user: u, issuedWei });
}

function reward(d: RewardDecision) {
  if (d.kind !== 'reward') throw new Error(`expected a reward, got ${JSON.stringify(d)}`);
  return d;
}

describe('matching', () => {
  it('the first rule whose domain, event and filters match rewards the event', () => {
    expect(reward(decide({ props: { plan: 'pro' } })).ruleId).toBe('shop-pro');
    expect(reward(decide({ props: { plan: 'free' } })).ruleId).toBe('shop-spend');
    expect(reward(decide({ props: {} })).ruleId).toBe('shop-spend');
  });

  it('compares filter values as text (a tracker may send 3 or "3")', () => {
    const [r] = compileRewardRules(
      RewardsConfig.parse({
        rules: [{ id: 'x', domain: 'shop.example', event: 'E', ptf: 1, where: { n: 3, ok: true } }],
      }),
      HOSTS,
    ).rules as [CompiledRule];
    const d = (props: Record<string, unknown>) =>
      applyRewardRules({
        rules: [r],
        event: event({ name: 'E', props }),
        user: user(),
        issuedWei: 0n,
      });
    expect(d({ n: '3', ok: 'true' }).kind).toBe('reward');
    expect(d({ n: 3, ok: true }).kind).toBe('reward');
    expect(d({ n: 4, ok: true })).toEqual({ kind: 'skip', reason: 'no_rule', ruleId: null });
    expect(d({ ok: true })).toEqual({ kind: 'skip', reason: 'no_rule', ruleId: null });
    expect(d({ n: { v: 3 }, ok: true }).kind).toBe('skip');
  });

  it('skips events of other names or domains', () => {
    expect(decide({ name: 'Add to Cart' })).toEqual({ kind: 'skip', reason: 'no_rule', ruleId: null });
    expect(decide({ domainId: MUSIC, name: 'Purchase' })).toEqual({
      kind: 'skip',
      reason: 'no_rule',
      ruleId: null,
    });
    expect(decide({ name: 'purchase' })).toEqual({ kind: 'skip', reason: 'no_rule', ruleId: null });
  });
});

describe('amounts', () => {
  it('per euro of the event value, exactly', () => {
    const d = reward(decide({ valueEur: '12.34' }));
    expect(d.baseWei).toBe(12_340_000_000_000_000_000n);
    expect(d.measure).toBe('12.34');
    expect(reward(decide({ valueEur: '12.34', props: { plan: 'team' } })).baseWei).toBe(
      24_680_000_000_000_000_000n,
    );
  });

  it('per unit of a numeric property, number or numeric text', () => {
    expect(reward(decide({ domainId: RIDE, name: 'Ride Recorded', props: { km: 12.5 } })).baseWei).toBe(
      6_250_000_000_000_000_000n,
    );
    expect(reward(decide({ domainId: RIDE, name: 'Ride Recorded', props: { km: '7' } })).baseWei).toBe(
      3_500_000_000_000_000_000n,
    );
    expect(reward(decide({ domainId: RIDE, name: 'Ride Recorded', props: { km: 0.1 } })).baseWei).toBe(
      PTF / 20n,
    );
  });

  it('per event', () => {
    const d = reward(decide({ domainId: MUSIC, name: 'Track Released', valueEur: null }));
    expect(d.baseWei).toBe(PTF);
    expect(d.measure).toBeNull();
  });

  it('skips a missing, non-numeric, zero or negative measure', () => {
    expect(decide({ valueEur: null })).toEqual({
      kind: 'skip',
      reason: 'measure_missing',
      ruleId: 'shop-spend',
    });
    const ride = (props: Record<string, unknown>) => decide({ domainId: RIDE, name: 'Ride Recorded', props });
    expect(ride({})).toMatchObject({ reason: 'measure_missing' });
    expect(ride({ km: '10-25 km' })).toMatchObject({ reason: 'measure_missing' });
    expect(ride({ km: true })).toMatchObject({ reason: 'measure_missing' });
    expect(ride({ km: 0 })).toMatchObject({ reason: 'zero_amount' });
    expect(decide({ valueEur: '-5.00' })).toMatchObject({ reason: 'zero_amount' });
  });
});

describe('daily cap per user and rule', () => {
  const day = '2026-11-20';
  it('books up to the cap, then a partial reward, then nothing', () => {
    expect(reward(decide({ valueEur: '30' }, user([], { [`shop-spend|${day}`]: 60n * PTF }))).baseWei).toBe(
      30n * PTF,
    );
    expect(reward(decide({ valueEur: '30' }, user([], { [`shop-spend|${day}`]: 80n * PTF }))).baseWei).toBe(
      20n * PTF,
    );
    expect(decide({ valueEur: '30' }, user([], { [`shop-spend|${day}`]: 100n * PTF }))).toEqual({
      kind: 'skip',
      reason: 'daily_cap',
      ruleId: 'shop-spend',
    });
  });

  it('counts the UTC day of the event, per rule', () => {
    const u = user([], { [`shop-spend|${day}`]: 100n * PTF });
    expect(decide({ occurredAt: new Date('2026-11-21T00:00:00Z') }, u).kind).toBe('reward');
    expect(reward(decide({ occurredAt: new Date('2026-11-20T23:59:59.999Z') }, user())).day).toBe(day);
    expect(decide({ props: { plan: 'pro' } }, u).kind).toBe('reward'); // shop-pro has no cap
  });

  it('applies the cap before the AI bonus (the cap bounds the contract amount)', () => {
    const [r] = compileRewardRules(
      RewardsConfig.parse({
        rules: [
          {
            id: 'c',
            domain: 'seo.example',
            event: 'Audit Run',
            ptf: 30,
            aiOptimized: true,
            dailyCapPerUser: 20,
          },
        ],
      }),
      HOSTS,
    ).rules as [CompiledRule];
    const d = reward(
      applyRewardRules({
        rules: [r],
        event: event({ domainId: SEO, name: 'Audit Run' }),
        user: user([SEO]),
        issuedWei: 0n,
      }),
    );
    expect(d.baseWei).toBe(20n * PTF);
    expect(d.totalWei).toBe(21n * PTF);
  });
});

describe('AI bonus (5 %, integer division)', () => {
  it('from a property or always, as a line of its own', () => {
    const ride = reward(
      decide({ domainId: RIDE, name: 'Ride Recorded', props: { km: 20, ai: true } }, user([RIDE])),
    );
    expect(ride.aiOptimized).toBe(true);
    expect(ride.lines).toEqual([
      { kind: 'base', amountWei: 10n * PTF },
      { kind: 'ai_bonus', amountWei: PTF / 2n },
    ]);
    expect(
      reward(decide({ domainId: RIDE, name: 'Ride Recorded', props: { km: 20, ai: 'true' } })).aiOptimized,
    ).toBe(true);
    expect(
      reward(decide({ domainId: RIDE, name: 'Ride Recorded', props: { km: 20, ai: 1 } })).aiOptimized,
    ).toBe(false);
    const audit = reward(decide({ domainId: SEO, name: 'Audit Run' }, user([SEO])));
    expect(audit.totalWei).toBe(3n * PTF + (3n * PTF * 5n) / 100n);
  });

  it('rounds down to a whole wei and adds no line when it rounds to 0', () => {
    const [r] = compileRewardRules(
      RewardsConfig.parse({
        rules: [
          { id: 'w', domain: 'seo.example', event: 'E', ptf: '0.000000000000000039', aiOptimized: true },
        ],
      }),
      HOSTS,
    ).rules as [CompiledRule];
    const d = reward(
      applyRewardRules({
        rules: [r],
        event: event({ domainId: SEO, name: 'E' }),
        user: user([SEO]),
        issuedWei: 0n,
      }),
    );
    expect(d.lines).toEqual([
      { kind: 'base', amountWei: 39n },
      { kind: 'ai_bonus', amountWei: 1n },
    ]);
    const [tiny] = compileRewardRules(
      RewardsConfig.parse({
        rules: [
          { id: 'w', domain: 'seo.example', event: 'E', ptf: '0.000000000000000019', aiOptimized: true },
        ],
      }),
      HOSTS,
    ).rules as [CompiledRule];
    const t = reward(
      applyRewardRules({
        rules: [tiny],
        event: event({ domainId: SEO, name: 'E' }),
        user: user([SEO]),
        issuedWei: 0n,
      }),
    );
    expect(t.lines).toEqual([{ kind: 'base', amountWei: 19n }]);
    expect(t.aiOptimized).toBe(true);
  });
});

describe('cross-domain milestone', () => {
  it('pays min(reward × k / 10, 1000 PTF) when a new domain takes the count to k ≥ 3', () => {
    const first = reward(decide({ valueEur: '50' }, user()));
    expect(first).toMatchObject({ newDomain: true, milestoneK: null });
    expect(first.lines).toHaveLength(1);
    expect(reward(decide({ valueEur: '50' }, user([RIDE])))).toMatchObject({
      newDomain: true,
      milestoneK: null,
    });

    const third = reward(decide({ valueEur: '50' }, user([RIDE, MUSIC])));
    expect(third.milestoneK).toBe(3);
    expect(third.lines.at(-1)).toEqual({ kind: 'milestone', amountWei: 15n * PTF });
    expect(third.totalWei).toBe(65n * PTF);

    const fourth = reward(decide({ domainId: SEO, name: 'Audit Run' }, user([SHOP, RIDE, MUSIC])));
    // reward 3.15 PTF (AI bonus included) × 4 / 10
    expect(fourth.lines.at(-1)).toEqual({
      kind: 'milestone',
      amountWei: (3_150_000_000_000_000_000n * 4n) / 10n,
    });
    expect(fourth.milestoneK).toBe(4);
  });

  it('is paid once: activity on a domain already in the set pays none', () => {
    const again = reward(decide({ valueEur: '50' }, user([SHOP, RIDE, MUSIC])));
    expect(again).toMatchObject({ newDomain: false, milestoneK: null, totalWei: 50n * PTF });
  });

  it('is capped at 1000 PTF', () => {
    const big = reward(decide({ valueEur: '99999', props: { plan: 'pro' } }, user([RIDE, MUSIC])));
    expect(big.lines.at(-1)).toEqual({ kind: 'milestone', amountWei: 1000n * PTF });
  });
});

describe('token supply cap', () => {
  it('refuses the whole reward (bonuses included) past the cap, like the mint', () => {
    const u = user([RIDE, MUSIC]); // 50 € → 50 + 15 milestone = 65 PTF
    const issuable = MAX_SUPPLY - TREASURY_ALLOCATION; // the treasury got 20 % at deployment
    expect(decide({ valueEur: '50' }, u, issuable - 65n * PTF).kind).toBe('reward');
    expect(decide({ valueEur: '50' }, u, issuable - 65n * PTF + 1n)).toEqual({
      kind: 'skip',
      reason: 'supply_cap',
      ruleId: 'shop-spend',
    });
  });
});

describe('against the contract rules (ADR 0013), written out independently', () => {
  it('total = base + base·5/100 (if AI) + min((that)·k/10, 1000 PTF) (if a new k ≥ 3)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.integer({ min: 0, max: 99 }),
        fc.boolean(),
        fc.subarray([RIDE, MUSIC, SEO, SHOP]),
        (euros, cents, ai, had) => {
          const value = `${euros}.${String(cents).padStart(2, '0')}`;
          const d = decide({ domainId: RIDE, name: 'Ride Recorded', props: { km: value, ai } }, user(had));
          const base = ((euros * 100n + BigInt(cents)) * PTF) / 200n;
          const withAi = ai ? base + (base * 5n) / 100n : base;
          const k = had.includes(RIDE) ? 0 : had.length + 1;
          const m =
            k >= 3
              ? (withAi * BigInt(k)) / 10n < 1000n * PTF
                ? (withAi * BigInt(k)) / 10n
                : 1000n * PTF
              : 0n;
          const r = reward(d);
          expect(r.baseWei).toBe(base);
          expect(r.totalWei).toBe(withAi + m);
          expect(r.lines.reduce((s, l) => s + l.amountWei, 0n)).toBe(r.totalWei);
        },
      ),
    );
  });
});

describe('postings', () => {
  it('pair each line: user credited, domain issuance debited, summing to zero', () => {
    const d = reward(decide({ domainId: SEO, name: 'Audit Run' }, user([SHOP, RIDE])));
    const postings = rewardPostings(USER, SEO, d.lines);
    expect(postings.map((p) => [p.lineNo, p.line, p.account.split(':')[0], p.amountWei > 0n])).toEqual([
      [1, 'base', 'user', true],
      [2, 'base', 'issuance', false],
      [3, 'ai_bonus', 'user', true],
      [4, 'ai_bonus', 'issuance', false],
      [5, 'milestone', 'user', true],
      [6, 'milestone', 'issuance', false],
    ]);
    expect(postings.reduce((s, p) => s + p.amountWei, 0n)).toBe(0n);
    expect(() => rewardPostings(USER, SEO, [{ kind: 'base', amountWei: 0n }])).toThrow(/unbalanced/);
  });
});

describe('tiers', () => {
  it('by lifetime earned, thresholds inclusive', () => {
    const t = tierThresholds({ silver: 500, gold: '2500', platinum: 10000 });
    expect(loyaltyTierFor(0n, t)).toBe('bronze');
    expect(loyaltyTierFor(500n * PTF - 1n, t)).toBe('bronze');
    expect(loyaltyTierFor(500n * PTF, t)).toBe('silver');
    expect(loyaltyTierFor(2500n * PTF, t)).toBe('gold');
    expect(loyaltyTierFor(10n ** 30n, t)).toBe('platinum');
    expect(loyaltyTierFor(1000n * PTF, tierThresholds(undefined))).toBe('silver');
  });

  it('rules naming hosts that are not domains yet are left out and reported', () => {
    const out = compileRewardRules(
      RewardsConfig.parse({ rules: [{ id: 'x', domain: 'new.example', event: 'E', ptf: 1 }] }),
      HOSTS,
    );
    expect(out).toEqual({ rules: [], unknownHosts: ['new.example'] });
  });
});
