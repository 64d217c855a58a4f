import { computeReward, exceedsCap } from '../rules/reward-math.ts';
import { TREASURY_ALLOCATION } from '../rules/token-constants.ts';
import { multiplyWei } from './ptf-decimal.ts';

/**
 * The reward an event earns: which rule matches, the base amount (daily cap applied), the AI
 * bonus and the cross-domain milestone, as ledger lines. Pure: the fold (book-rewards.ts) reads
 * the state, this decides, the fold writes. Bonuses and the cap come from the contract's own
 * rules (src/rewards/rules/), so the ledger books exactly what `distributeDomainRewards` mints.
 */

export type PropValue = string | number | boolean;

/** A rule of the portfolio file with its domain resolved and its amounts in wei. */
export interface CompiledRule {
  id: string;
  domainId: string;
  event: string;
  /** Every property must equal one of its values (compared as text). */
  where: ReadonlyArray<readonly [string, readonly PropValue[]]>;
  perUnitWei: bigint;
  per: { kind: 'event' } | { kind: 'value_eur' } | { kind: 'prop'; prop: string };
  ai: { kind: 'always' } | { kind: 'never' } | { kind: 'prop'; prop: string };
  dailyCapWei: bigint | null;
}

export interface RewardEvent {
  id: string;
  domainId: string;
  name: string;
  occurredAt: Date;
  userId: string;
  /** events.value_eur as exact text ("12.34"), or null. */
  valueEur: string | null;
  props: Readonly<Record<string, unknown>>;
}

export interface RewardUserState {
  /** Domains on which the user already received a reward (a domain never leaves the set). */
  rewardedDomains: ReadonlySet<string>;
  /** Base wei already booked for the user under a rule on a UTC day (YYYY-MM-DD). */
  bookedOnDay(ruleId: string, day: string): bigint;
}

export type RewardLineKind = 'base' | 'ai_bonus' | 'milestone';
export interface RewardLine {
  kind: RewardLineKind;
  amountWei: bigint;
}

export type SkipReason = 'no_rule' | 'measure_missing' | 'zero_amount' | 'daily_cap' | 'supply_cap';

export type RewardDecision =
  | { kind: 'skip'; reason: SkipReason; ruleId: string | null }
  | {
      kind: 'reward';
      ruleId: string;
      /** UTC day of the event: the daily cap's day. */
      day: string;
      /** The measure the amount was computed from (€ or the property), as text; null per event. */
      measure: string | null;
      /** The contract's `amount`: before bonuses, after the daily cap. */
      baseWei: bigint;
      aiOptimized: boolean;
      lines: RewardLine[];
      /** What the user is credited: base + AI bonus + milestone. */
      totalWei: bigint;
      /** The event's domain is new to the user's rewarded domains. */
      newDomain: boolean;
      /** k ≥ 3 when this reward makes the user's rewarded domains reach k. */
      milestoneK: number | null;
    };

function sameValue(actual: unknown, accepted: PropValue): boolean {
  if (actual === accepted) return true;
  const scalar = typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean';
  return scalar && String(actual) === String(accepted);
}

export function ruleMatches(rule: CompiledRule, event: RewardEvent): boolean {
  if (rule.domainId !== event.domainId || rule.event !== event.name) return false;
  return rule.where.every(([prop, accepted]) => accepted.some((v) => sameValue(event.props[prop], v)));
}

function isAiOptimized(rule: CompiledRule, event: RewardEvent): boolean {
  if (rule.ai.kind !== 'prop') return rule.ai.kind === 'always';
  const v = event.props[rule.ai.prop];
  return v === true || v === 'true';
}

/** The measured quantity as text and the amount it earns, or null when the event lacks it. */
function measured(rule: CompiledRule, event: RewardEvent): { measure: string | null; wei: bigint } | null {
  if (rule.per.kind === 'event') return { measure: null, wei: rule.perUnitWei };
  const raw = rule.per.kind === 'value_eur' ? event.valueEur : event.props[rule.per.prop];
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const wei = multiplyWei(rule.perUnitWei, raw);
  return wei === null ? null : { measure: String(raw).trim(), wei };
}

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function applyRewardRules(input: {
  rules: readonly CompiledRule[];
  event: RewardEvent;
  user: RewardUserState;
  /** Everything the ledger issued so far: with the treasury's share, the supply the cap bounds. */
  issuedWei: bigint;
}): RewardDecision {
  const { event, user } = input;
  const rule = input.rules.find((r) => ruleMatches(r, event));
  if (!rule) return { kind: 'skip', reason: 'no_rule', ruleId: null };
  const skip = (reason: SkipReason): RewardDecision => ({ kind: 'skip', reason, ruleId: rule.id });

  const amount = measured(rule, event);
  if (!amount) return skip('measure_missing');
  let baseWei = amount.wei;
  if (baseWei <= 0n) return skip('zero_amount');
  const day = utcDay(event.occurredAt);
  if (rule.dailyCapWei !== null) {
    const left = rule.dailyCapWei - user.bookedOnDay(rule.id, day);
    if (left <= 0n) return skip('daily_cap');
    if (baseWei > left) baseWei = left;
  }

  const aiOptimized = isAiOptimized(rule, event);
  const newDomain = !user.rewardedDomains.has(event.domainId);
  const paid = computeReward({
    amount: baseWei,
    aiOptimized,
    domainAlreadyRewarded: !newDomain,
    rewardedDomainsBefore: BigInt(user.rewardedDomains.size),
  });
  // All or nothing, like the mint: the reward and its bonuses, or no reward.
  if (exceedsCap(TREASURY_ALLOCATION + input.issuedWei, paid.total)) return skip('supply_cap');

  const lines: RewardLine[] = [{ kind: 'base', amountWei: baseWei }];
  if (paid.aiBonus > 0n) lines.push({ kind: 'ai_bonus', amountWei: paid.aiBonus });
  if (paid.milestoneBonus > 0n) lines.push({ kind: 'milestone', amountWei: paid.milestoneBonus });
  return {
    kind: 'reward',
    ruleId: rule.id,
    day,
    measure: amount.measure,
    baseWei,
    aiOptimized,
    lines,
    totalWei: paid.total,
    newDomain,
    milestoneK: paid.milestoneReached ? Number(paid.rewardedDomainsAfter) : null,
  };
}
