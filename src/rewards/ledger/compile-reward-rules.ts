import { DEFAULT_TIERS, type LoyaltyTiers, type RewardsConfig } from '../reward-schema.ts';
import type { CompiledRule, PropValue } from './apply-reward-rules.ts';
import { ptfToWei } from './ptf-decimal.ts';

/** The file's rules with domains resolved to ids and amounts in wei; rules of unknown hosts are left out. */
export function compileRewardRules(
  config: RewardsConfig | null | undefined,
  domainIdByHost: ReadonlyMap<string, string>,
): { rules: CompiledRule[]; unknownHosts: string[] } {
  const rules: CompiledRule[] = [];
  const unknownHosts = new Set<string>();
  for (const r of config?.rules ?? []) {
    const domainId = domainIdByHost.get(r.domain);
    if (!domainId) {
      unknownHosts.add(r.domain);
      continue;
    }
    const where = Object.entries(r.where ?? {}).map(
      ([prop, v]) => [prop, Array.isArray(v) ? v : [v]] as readonly [string, readonly PropValue[]],
    );
    rules.push({
      id: r.id,
      domainId,
      event: r.event,
      where,
      perUnitWei: ptfToWei(r.ptf),
      per: typeof r.per === 'string' ? { kind: r.per } : { kind: 'prop', prop: r.per.prop },
      ai:
        typeof r.aiOptimized === 'boolean'
          ? { kind: r.aiOptimized ? 'always' : 'never' }
          : { kind: 'prop', prop: r.aiOptimized.prop },
      dailyCapWei: r.dailyCapPerUser === undefined ? null : ptfToWei(r.dailyCapPerUser),
    });
  }
  return { rules, unknownHosts: [...unknownHosts] };
}

export type LoyaltyTier = 'bronze' | 'silver' | 'gold' | 'platinum';

/** Tier thresholds in wei of lifetime earned PTF. */
export interface TierThresholds {
  silver: bigint;
  gold: bigint;
  platinum: bigint;
}

export function tierThresholds(tiers: LoyaltyTiers | null | undefined): TierThresholds {
  const t = tiers ?? DEFAULT_TIERS;
  return { silver: ptfToWei(t.silver), gold: ptfToWei(t.gold), platinum: ptfToWei(t.platinum) };
}

/** The tier a lifetime of earned wei reaches (thresholds are inclusive). */
export function loyaltyTierFor(earnedWei: bigint, t: TierThresholds): LoyaltyTier {
  if (earnedWei >= t.platinum) return 'platinum';
  if (earnedWei >= t.gold) return 'gold';
  if (earnedWei >= t.silver) return 'silver';
  return 'bronze';
}
