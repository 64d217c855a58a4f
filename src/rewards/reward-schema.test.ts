import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { always } from '../config/portfolio/loose.ts';
import { ptfToWei } from './ledger/ptf-decimal.ts';
import { checkRewardReferences, RewardsConfig } from './reward-schema.ts';

const rule = { id: 'shop-spend', domain: 'shop.example', event: 'Purchase', ptf: 1, per: 'value_eur' };

function issues(input: unknown): string[] {
  const res = RewardsConfig.safeParse(input);
  return res.success ? [] : res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('RewardsConfig', () => {
  it('parses rules with defaults and keeps amounts as written (converted exactly by ptfToWei)', () => {
    const parsed = RewardsConfig.parse({
      rules: [
        rule,
        { id: 'ride-km', domain: 'ride.example', event: 'Ride Recorded', ptf: '1.5', per: { prop: 'km' } },
        {
          id: 'track',
          domain: 'music.example',
          event: 'Track Released',
          ptf: 1,
          aiOptimized: { prop: 'ai' },
        },
      ],
    });
    expect(parsed.tiers).toEqual({ silver: 1000, gold: 5000, platinum: 25000 });
    expect(parsed.rules[0]).toMatchObject({ per: 'value_eur', aiOptimized: false });
    expect(parsed.rules[1]?.ptf).toBe('1.5');
    expect(ptfToWei(parsed.rules[1]?.ptf ?? 0)).toBe(1_500_000_000_000_000_000n);
    expect(parsed.rules[2]).toMatchObject({ per: 'event', aiOptimized: { prop: 'ai' } });
    expect(RewardsConfig.parse({})).toEqual({
      tiers: { silver: 1000, gold: 5000, platinum: 25000 },
      rules: [],
    });
  });

  it('accepts property filters, a daily cap and tiers with bronze at 0', () => {
    const parsed = RewardsConfig.parse({
      tiers: { bronze: 0, silver: '500', gold: 2500, platinum: 1e4 },
      rules: [{ ...rule, where: { plan: ['pro', 'team'], first: true }, dailyCapPerUser: '250.5' }],
    });
    expect(parsed.rules[0]?.where).toEqual({ plan: ['pro', 'team'], first: true });
    expect(ptfToWei(parsed.rules[0]?.dailyCapPerUser ?? 0)).toBe(250_500_000_000_000_000_000n);
  });

  it('refuses inexact, empty and out-of-bounds amounts with the field and the reason', () => {
    expect(issues({ rules: [{ ...rule, ptf: '0.0000000000000000001' }] })).toEqual([
      'rules.0.ptf: has more than 18 decimals (the smallest amount is 0.000000000000000001 PTF, one wei)',
    ]);
    expect(issues({ rules: [{ ...rule, ptf: 0 }] })).toEqual(['rules.0.ptf: must be more than 0']);
    expect(issues({ rules: [{ ...rule, ptf: -1 }] })).toEqual(['rules.0.ptf: must not be negative']);
    expect(issues({ rules: [{ ...rule, ptf: '1000000.000000000000000001' }] })).toEqual([
      'rules.0.ptf: must be at most 1000000 PTF',
    ]);
    expect(issues({ rules: [{ ...rule, ptf: 'one' }] })).toEqual([
      'rules.0.ptf: must be a decimal number of PTF, like 1.5 or "0.25"',
    ]);
    expect(issues({ rules: [{ ...rule, ptf: null }] })).toEqual([
      'rules.0.ptf: must be a decimal number of PTF, like 1.5 or "0.25"',
    ]);
    expect(issues({ rules: [{ ...rule, dailyCapPerUser: 0 }] })).toEqual([
      'rules.0.dailyCapPerUser: must be more than 0',
    ]);
  });

  it('refuses unknown keys, bad measures, duplicate ids and unordered tiers', () => {
    expect(issues({ rules: [{ ...rule, amount: 1 }] })).toEqual(['rules.0: Unrecognized key: "amount"']);
    expect(issues({ rules: [{ ...rule, per: 'km' }] })).toEqual([
      'rules.0.per: must be "event", "value_eur" or { prop: <numeric property> }',
    ]);
    expect(issues({ rules: [{ ...rule, aiOptimized: 'yes' }] })).toEqual([
      'rules.0.aiOptimized: must be true, false or { prop: <boolean property> }',
    ]);
    expect(issues({ rules: [rule, { ...rule, event: 'Other' }] })).toEqual([
      'rules.1.id: duplicate rule id "shop-spend" (first at rewards.rules.0)',
    ]);
    expect(issues({ rules: [{ ...rule, domain: 'Shop.Example' }] })).toEqual([
      'rules.0.domain: must be lowercase (hostnames are compared exactly)',
    ]);
    expect(issues({ tiers: { silver: 500, gold: 500, platinum: 400 } })).toEqual([
      'tiers.gold: must be more than silver (500)',
      'tiers.platinum: must be more than gold (500)',
    ]);
    expect(issues({ tiers: { bronze: 10, silver: 500, gold: 600, platinum: 700 } })).toEqual([
      'tiers.bronze: bronze is where every user starts: its threshold is always 0',
    ]);
    expect(issues({ rules: Array.from({ length: 501 }, (_, i) => ({ ...rule, id: `r-${i}` })) })[0]).toMatch(
      /^rules: Too big/,
    );
  });

  it('describes itself in JSON Schema both ways (the portfolio schema is published)', () => {
    for (const io of ['input', 'output'] as const)
      expect(() => z.toJSONSchema(RewardsConfig, { io })).not.toThrow();
  });
});

describe('checkRewardReferences', () => {
  // As the portfolio schema runs it: beside the other cross-references, with the file's hosts.
  const File = z
    .object({ domains: z.array(z.object({ host: z.string() })), rewards: RewardsConfig })
    .superRefine((p: unknown, ctx) => {
      const hosts = new Set(
        ((p as { domains?: Array<{ host?: unknown }> }).domains ?? []).map((d) => String(d.host)),
      );
      checkRewardReferences(ctx, p, hosts);
    }, always);

  it('reports an unknown host at the rule, with a suggestion', () => {
    const res = File.safeParse({
      domains: [{ host: 'fixie.run' }, { host: 'shop.example' }],
      rewards: {
        rules: [
          rule,
          { ...rule, id: 'ride', domain: 'fixie.rum' },
          { ...rule, id: 'x', domain: 'zzz.example' },
        ],
      },
    });
    expect(res.success).toBe(false);
    expect(res.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'rewards.rules.1.domain: unknown domain "fixie.rum" (did you mean "fixie.run"?)',
      'rewards.rules.2.domain: unknown domain "zzz.example" (defined: fixie.run, shop.example)',
    ]);
  });

  it('passes when every rule names a domain of the file', () => {
    expect(File.safeParse({ domains: [{ host: 'shop.example' }], rewards: { rules: [rule] } }).success).toBe(
      true,
    );
  });
});
