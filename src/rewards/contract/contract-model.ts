// A TypeScript model of contracts/PortfolioToken.sol built on the shared reward rules: the property
// tests run the same calls on the chain and here and require identical state, errors and events.
import {
  type Address,
  type ContractFunctionArgs,
  type Hex,
  keccak256,
  stringToBytes,
  stringToHex,
  zeroAddress,
  zeroHash,
} from 'viem';
import type { portfolioTokenAbi } from '../chain/artifacts/portfolio-token.ts';
import { domainIdOf } from '../rules/chain-ids.ts';
import { computeReward, exceedsCap, redeemableOf } from '../rules/reward-math.ts';
import { MAX_SUPPLY, TREASURY_ALLOCATION } from '../rules/token-constants.ts';

export const DEFAULT_ADMIN_ROLE: Hex = zeroHash;
export const DOMAIN_ADMIN_ROLE: Hex = keccak256(stringToHex('DOMAIN_ADMIN_ROLE'));
export const AI_ORACLE_ROLE: Hex = keccak256(stringToHex('AI_ORACLE_ROLE'));

type Abi = typeof portfolioTokenAbi;
type WriteName =
  | 'distributeDomainRewards'
  | 'distributeDomainRewardsBatch'
  | 'redeem'
  | 'registerDomain'
  | 'deactivateDomain'
  | 'recordAIOptimization'
  | 'grantRole'
  | 'revokeRole'
  | 'pause'
  | 'unpause'
  | 'transfer';

/** One state-changing call, typed from the contract's ABI so the model cannot drift from it. */
export type TokenCall = {
  [N in WriteName]: { functionName: N; args: ContractFunctionArgs<Abi, 'nonpayable', N> };
}[WriteName];
export type BatchReward = ContractFunctionArgs<Abi, 'nonpayable', 'distributeDomainRewardsBatch'>[0][number];

export interface TokenEvent {
  eventName: string;
  args: Record<string, unknown>;
}
export interface TokenError {
  errorName: string;
  args: readonly unknown[];
}
export type Outcome = { ok: true; events: TokenEvent[] } | { ok: false; error: TokenError };

interface Account {
  earned: bigint;
  redeemed: bigint;
  rewardedDomains: bigint;
}

interface TokenState {
  roles: Map<Hex, Set<Address>>;
  paused: boolean;
  totalSupply: bigint;
  balances: Map<Address, bigint>;
  accounts: Map<Address, Account>;
  domainRewards: Map<string, bigint>;
  domains: Map<Hex, { active: boolean; host: string }>;
  processed: Set<Hex>;
  aiOptimizations: Map<Address, bigint>;
}

class Revert extends Error {
  constructor(
    readonly errorName: string,
    readonly args: readonly unknown[] = [],
  ) {
    super(errorName);
  }
}

const emptyAccount = (): Account => ({ earned: 0n, redeemed: 0n, rewardedDomains: 0n });

function cloneState(state: TokenState): TokenState {
  return {
    roles: new Map([...state.roles].map(([role, members]) => [role, new Set(members)])),
    paused: state.paused,
    totalSupply: state.totalSupply,
    balances: new Map(state.balances),
    accounts: new Map([...state.accounts].map(([user, account]) => [user, { ...account }])),
    domainRewards: new Map(state.domainRewards),
    domains: new Map([...state.domains].map(([id, domain]) => [id, { ...domain }])),
    processed: new Set(state.processed),
    aiOptimizations: new Map(state.aiOptimizations),
  };
}

/** The contract's state after `new PortfolioToken(admin, treasury)`, and every call on it. */
export class PortfolioTokenModel {
  private state: TokenState;

  constructor(admin: Address, treasury: Address) {
    this.state = {
      roles: new Map([[DEFAULT_ADMIN_ROLE, new Set([admin])]]),
      paused: false,
      totalSupply: TREASURY_ALLOCATION,
      balances: new Map([[treasury, TREASURY_ALLOCATION]]),
      accounts: new Map(),
      domainRewards: new Map(),
      domains: new Map(),
      processed: new Set(),
      aiOptimizations: new Map(),
    };
  }

  balanceOf = (user: Address) => this.state.balances.get(user) ?? 0n;
  totalSupply = () => this.state.totalSupply;
  paused = () => this.state.paused;
  hasRole = (role: Hex, account: Address) => this.state.roles.get(role)?.has(account) ?? false;
  processed = (txId: Hex) => this.state.processed.has(txId);
  rewardsOf = (user: Address) => this.account(user).earned;
  redeemedOf = (user: Address) => this.account(user).redeemed;
  rewardedDomainCount = (user: Address) => this.account(user).rewardedDomains;
  domainRewardsOf = (user: Address, domainId: Hex) =>
    this.state.domainRewards.get(`${user}:${domainId}`) ?? 0n;
  isDomainActive = (domainId: Hex) => this.state.domains.get(domainId)?.active ?? false;
  aiOptimizationCount = (user: Address) => this.state.aiOptimizations.get(user) ?? 0n;

  private account(user: Address): Account {
    return this.state.accounts.get(user) ?? emptyAccount();
  }

  /** Runs a call like a transaction: all of its effects, or none and the error it reverts with. */
  execute(caller: Address, call: TokenCall): Outcome {
    const draft = cloneState(this.state);
    const events: TokenEvent[] = [];
    try {
      applyCall(draft, events, caller, call);
    } catch (error) {
      if (error instanceof Revert)
        return { ok: false, error: { errorName: error.errorName, args: error.args } };
      throw error;
    }
    this.state = draft;
    return { ok: true, events };
  }
}

function applyCall(s: TokenState, events: TokenEvent[], caller: Address, call: TokenCall): void {
  const emit = (eventName: string, args: Record<string, unknown>) => events.push({ eventName, args });
  const requireRole = (role: Hex) => {
    if (!s.roles.get(role)?.has(caller)) throw new Revert('AccessControlUnauthorizedAccount', [caller, role]);
  };
  const requireNotPaused = () => {
    if (s.paused) throw new Revert('EnforcedPause');
  };
  const requireEntry = (user: Address, amount: bigint, txId: Hex) => {
    if (user === zeroAddress) throw new Revert('ZeroAddress');
    if (amount === 0n) throw new Revert('ZeroAmount');
    if (txId === zeroHash) throw new Revert('ZeroTxId');
  };
  const requireActive = (domainId: Hex) => {
    if (!s.domains.get(domainId)?.active) throw new Revert('DomainNotActive', [domainId]);
  };
  // ERC20._update with ERC20Pausable (checked first) and ERC20Capped (checked after a mint).
  const update = (from: Address, to: Address, value: bigint) => {
    requireNotPaused();
    if (from === zeroAddress) {
      if (exceedsCap(s.totalSupply, value))
        throw new Revert('ERC20ExceededCap', [s.totalSupply + value, MAX_SUPPLY]);
      s.totalSupply += value;
    } else {
      const balance = s.balances.get(from) ?? 0n;
      if (balance < value) throw new Revert('ERC20InsufficientBalance', [from, balance, value]);
      s.balances.set(from, balance - value);
    }
    if (to === zeroAddress) s.totalSupply -= value;
    else s.balances.set(to, (s.balances.get(to) ?? 0n) + value);
    emit('Transfer', { from, to, value });
  };
  const reward = (r: BatchReward) => {
    requireActive(r.domainId);
    if (r.amount > MAX_SUPPLY) throw new Revert('AmountAboveCap', [r.amount, MAX_SUPPLY]);
    const account = s.accounts.get(r.user) ?? emptyAccount();
    const domainKey = `${r.user}:${r.domainId}`;
    const paid = computeReward({
      amount: r.amount,
      aiOptimized: r.aiOptimized,
      domainAlreadyRewarded: s.domainRewards.has(domainKey),
      rewardedDomainsBefore: account.rewardedDomains,
    });
    if (paid.milestoneReached) {
      emit('CrossDomainMilestone', {
        user: r.user,
        domainCount: paid.rewardedDomainsAfter,
        bonus: paid.milestoneBonus,
      });
    }
    s.processed.add(r.txId);
    s.domainRewards.set(domainKey, (s.domainRewards.get(domainKey) ?? 0n) + paid.total);
    s.accounts.set(r.user, {
      ...account,
      earned: account.earned + paid.total,
      rewardedDomains: paid.rewardedDomainsAfter,
    });
    update(zeroAddress, r.user, paid.total);
    emit('RewardDistributed', {
      user: r.user,
      domainId: r.domainId,
      txId: r.txId,
      baseAmount: r.amount,
      aiBonus: paid.aiBonus,
      milestoneBonus: paid.milestoneBonus,
    });
  };

  switch (call.functionName) {
    case 'distributeDomainRewards': {
      const [user, domainId, amount, aiOptimized, txId] = call.args;
      requireRole(DOMAIN_ADMIN_ROLE);
      requireNotPaused();
      requireEntry(user, amount, txId);
      if (s.processed.has(txId)) throw new Revert('TxAlreadyProcessed', [txId]);
      reward({ user, domainId, amount, aiOptimized, txId });
      return;
    }
    case 'distributeDomainRewardsBatch': {
      const [rewards] = call.args;
      requireRole(DOMAIN_ADMIN_ROLE);
      requireNotPaused();
      if (rewards.length === 0) throw new Revert('EmptyBatch');
      for (const r of rewards) {
        requireEntry(r.user, r.amount, r.txId);
        if (s.processed.has(r.txId)) emit('RewardSkipped', { txId: r.txId });
        else reward(r);
      }
      return;
    }
    case 'redeem': {
      const [user, domainId, amount, txId] = call.args;
      requireRole(DOMAIN_ADMIN_ROLE);
      requireNotPaused();
      requireEntry(user, amount, txId);
      if (s.processed.has(txId)) throw new Revert('TxAlreadyProcessed', [txId]);
      requireActive(domainId);
      const account = s.accounts.get(user) ?? emptyAccount();
      const redeemable = redeemableOf(account.earned, account.redeemed);
      if (amount > redeemable) throw new Revert('RedemptionExceedsRedeemable', [user, amount, redeemable]);
      s.processed.add(txId);
      s.accounts.set(user, { ...account, redeemed: account.redeemed + amount });
      update(user, zeroAddress, amount);
      return void emit('Redeemed', { user, domainId, txId, amount });
    }
    case 'registerDomain': {
      const [domainId, host] = call.args;
      requireRole(DEFAULT_ADMIN_ROLE);
      if (stringToBytes(host).length === 0 || domainIdOf(host) !== domainId)
        throw new Revert('InvalidDomain', [domainId, host]);
      if (s.domains.get(domainId)?.active) throw new Revert('DomainAlreadyActive', [domainId]);
      s.domains.set(domainId, { active: true, host });
      return void emit('DomainRegistered', { domainId, host });
    }
    case 'deactivateDomain': {
      const [domainId] = call.args;
      requireRole(DEFAULT_ADMIN_ROLE);
      const domain = s.domains.get(domainId);
      if (!domain?.active) throw new Revert('DomainNotActive', [domainId]);
      domain.active = false;
      return void emit('DomainDeactivated', { domainId });
    }
    case 'recordAIOptimization': {
      const [user, performanceScore, engagementBoost] = call.args;
      requireRole(AI_ORACLE_ROLE);
      if (user === zeroAddress) throw new Revert('ZeroAddress');
      const count = (s.aiOptimizations.get(user) ?? 0n) + 1n;
      s.aiOptimizations.set(user, count);
      return void emit('AIOptimizationRecorded', { user, performanceScore, engagementBoost, count });
    }
    case 'grantRole':
    case 'revokeRole': {
      const [role, account] = call.args;
      requireRole(DEFAULT_ADMIN_ROLE); // every role's admin role is DEFAULT_ADMIN_ROLE
      const members = s.roles.get(role) ?? new Set<Address>();
      s.roles.set(role, members);
      const granting = call.functionName === 'grantRole';
      if (members.has(account) === granting) return;
      if (granting) members.add(account);
      else members.delete(account);
      return void emit(granting ? 'RoleGranted' : 'RoleRevoked', { role, account, sender: caller });
    }
    case 'pause':
    case 'unpause': {
      requireRole(DEFAULT_ADMIN_ROLE);
      const pausing = call.functionName === 'pause';
      if (s.paused === pausing) throw new Revert(pausing ? 'EnforcedPause' : 'ExpectedPause');
      s.paused = pausing;
      return void emit(pausing ? 'Paused' : 'Unpaused', { account: caller });
    }
    case 'transfer': {
      const [to, value] = call.args;
      if (to === zeroAddress) throw new Revert('ERC20InvalidReceiver', [to]);
      update(caller, to, value);
      return;
    }
  }
}
