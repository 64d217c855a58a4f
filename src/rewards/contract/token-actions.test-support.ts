// Random PortfolioToken call sequences for the property tests: actions are plain data (indices and
// amount recipes, readable in a counterexample) resolved against the model's current state.
import fc from 'fast-check';
import { type Hex, type PrivateKeyAccount, zeroAddress, zeroHash } from 'viem';
import { domainIdOf } from '../rules/chain-ids.ts';
import { redeemableOf } from '../rules/reward-math.ts';
import { MAX_SUPPLY, ONE_PTF } from '../rules/token-constants.ts';
import {
  AI_ORACLE_ROLE,
  type BatchReward,
  DEFAULT_ADMIN_ROLE,
  DOMAIN_ADMIN_ROLE,
  type PortfolioTokenModel,
  type TokenCall,
} from './contract-model.ts';
import { txId } from './token-calls.test-support.ts';

/** Registered at setup; the last one is not, so rewards on it revert until an action registers it. */
export const ACTION_HOSTS = [
  'adaptogenic-mushrooms.com',
  'fixie.run',
  'rhymechain.win',
  'seobiz.be',
  'closed.example',
];
export const REGISTERED_HOSTS = ACTION_HOSTS.slice(0, -1);
/** A small pool so that txIds repeat often; index TX_POOL is the zero txId. */
const TX_POOL = 10;
const ROLES = [DEFAULT_ADMIN_ROLE, DOMAIN_ADMIN_ROLE, AI_ORACLE_ROLE] as const;

export const txPool: Hex[] = Array.from({ length: TX_POOL }, (_, i) => txId(i + 1));

/** Index into the accounts: 0 admin, 1 treasury, 2 relayer, 3 oracle, 4.. users; -1 is the zero address. */
type Who = number;
type Amount =
  | { small: bigint }
  | { nearRemaining: bigint }
  | { shareOfRemaining: number }
  | { aboveCap: true }
  | { nearRedeemable: bigint }
  | { shareOfBalance: number };

interface Entry {
  user: Who;
  domain: number;
  amount: Amount;
  ai: boolean;
  tx: number;
}

export type Action =
  | ({ kind: 'reward'; caller: Who } & Entry)
  | { kind: 'batch'; caller: Who; entries: Entry[] }
  | { kind: 'redeem'; caller: Who; user: Who; domain: number; amount: Amount; tx: number }
  | { kind: 'grantRole' | 'revokeRole'; caller: Who; role: number; account: Who }
  | { kind: 'pause' | 'unpause'; caller: Who }
  | { kind: 'transfer'; caller: Who; to: Who; amount: Amount }
  | { kind: 'registerDomain' | 'deactivateDomain'; caller: Who; domain: number }
  | { kind: 'recordAIOptimization'; caller: Who; user: Who };

export function actionArbitrary(accountCount: number): fc.Arbitrary<Action> {
  // Two users only, so that they collect rewards on several domains and reach milestones.
  const users = fc.integer({ min: 4, max: Math.min(5, accountCount - 1) });
  const anyone = fc.integer({ min: 0, max: accountCount - 1 });
  // Mostly the relayer, so that most calls get through; sometimes anyone, to exercise the roles.
  const minter = fc.oneof({ arbitrary: fc.constant(2), weight: 4 }, { arbitrary: anyone, weight: 1 });
  const admin = fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: anyone, weight: 1 });
  const recipient = fc.oneof({ arbitrary: users, weight: 20 }, { arbitrary: fc.constant(-1), weight: 1 });
  const domain = fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: ACTION_HOSTS.length - 2 }), weight: 12 },
    { arbitrary: fc.constant(ACTION_HOSTS.length - 1), weight: 1 },
  );
  const tx = fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: TX_POOL - 1 }), weight: 25 },
    { arbitrary: fc.constant(TX_POOL), weight: 1 }, // the zero txId
  );
  const rewardAmount: fc.Arbitrary<Amount> = fc.oneof(
    { arbitrary: fc.record({ small: fc.bigInt(0n, 2_000n * ONE_PTF) }), weight: 6 },
    { arbitrary: fc.record({ nearRemaining: fc.bigInt(-2_000n * ONE_PTF, 10n * ONE_PTF) }), weight: 2 },
    { arbitrary: fc.record({ shareOfRemaining: fc.integer({ min: 1, max: 1000 }) }), weight: 2 },
    { arbitrary: fc.constant({ aboveCap: true as const }), weight: 1 },
  );
  const entry = fc.record({ user: recipient, domain, amount: rewardAmount, ai: fc.boolean(), tx });
  return fc.oneof(
    {
      arbitrary: fc
        .record({ kind: fc.constant('reward' as const), caller: minter })
        .chain((a) => entry.map((e) => ({ ...a, ...e }))),
      weight: 10,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('batch' as const),
        caller: minter,
        entries: fc.array(entry, { minLength: 0, maxLength: 6 }),
      }),
      weight: 6,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('redeem' as const),
        caller: minter,
        user: recipient,
        domain,
        amount: fc.oneof(
          fc.record({ nearRedeemable: fc.bigInt(-3n, 2n) }),
          fc.record({ small: fc.bigInt(0n, 500n * ONE_PTF) }),
        ),
        tx,
      }),
      weight: 3,
    },
    {
      arbitrary: fc.record({
        kind: fc.constantFrom('grantRole' as const, 'revokeRole' as const),
        caller: admin,
        role: fc.integer({ min: 0, max: ROLES.length - 1 }),
        account: anyone,
      }),
      weight: 1,
    },
    { arbitrary: fc.record({ kind: fc.constant('pause' as const), caller: admin }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('unpause' as const), caller: admin }), weight: 2 },
    {
      arbitrary: fc.record({
        kind: fc.constant('transfer' as const),
        caller: anyone,
        to: fc.oneof({ arbitrary: anyone, weight: 10 }, { arbitrary: fc.constant(-1), weight: 1 }),
        amount: fc.record({ shareOfBalance: fc.integer({ min: 0, max: 1100 }) }),
      }),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        kind: fc.constantFrom('registerDomain' as const, 'deactivateDomain' as const),
        caller: admin,
        domain,
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('recordAIOptimization' as const),
        caller: fc.constantFrom(3, 0),
        user: recipient,
      }),
      weight: 1,
    },
  );
}

/** The concrete call an action makes now; amounts follow the model's (= the chain's) state. */
export function resolveAction(
  action: Action,
  accounts: readonly PrivateKeyAccount[],
  model: PortfolioTokenModel,
): { caller: PrivateKeyAccount; call: TokenCall } {
  const address = (who: Who): Hex => (who < 0 ? zeroAddress : (accounts[who] as PrivateKeyAccount).address);
  const host = (index: number) => ACTION_HOSTS[index] as string;
  const tx = (index: number) => txPool[index] ?? zeroHash;
  const amount = (recipe: Amount, user: Hex, owner: Hex): bigint => {
    const remaining = MAX_SUPPLY - model.totalSupply();
    if ('small' in recipe) return recipe.small;
    if ('nearRemaining' in recipe) return clamp(remaining + recipe.nearRemaining);
    if ('shareOfRemaining' in recipe) return (remaining * BigInt(recipe.shareOfRemaining)) / 1000n;
    if ('aboveCap' in recipe) return MAX_SUPPLY + 1n;
    if ('nearRedeemable' in recipe)
      return clamp(redeemableOf(model.rewardsOf(user), model.redeemedOf(user)) + recipe.nearRedeemable);
    return (model.balanceOf(owner) * BigInt(recipe.shareOfBalance)) / 1000n;
  };
  const entry = (e: Entry): BatchReward => {
    const user = address(e.user);
    return {
      user,
      domainId: domainIdOf(host(e.domain)),
      amount: amount(e.amount, user, user),
      aiOptimized: e.ai,
      txId: tx(e.tx),
    };
  };
  const caller = accounts[action.caller] as PrivateKeyAccount;
  const call = ((): TokenCall => {
    switch (action.kind) {
      case 'reward': {
        const r = entry(action);
        return {
          functionName: 'distributeDomainRewards',
          args: [r.user, r.domainId, r.amount, r.aiOptimized, r.txId],
        };
      }
      case 'batch':
        return { functionName: 'distributeDomainRewardsBatch', args: [action.entries.map(entry)] };
      case 'redeem': {
        const user = address(action.user);
        const value = amount(action.amount, user, user);
        return {
          functionName: 'redeem',
          args: [user, domainIdOf(host(action.domain)), value, tx(action.tx)],
        };
      }
      case 'grantRole':
      case 'revokeRole':
        return { functionName: action.kind, args: [ROLES[action.role] as Hex, address(action.account)] };
      case 'pause':
      case 'unpause':
        return { functionName: action.kind, args: [] };
      case 'transfer':
        return {
          functionName: 'transfer',
          args: [address(action.to), amount(action.amount, caller.address, caller.address)],
        };
      case 'registerDomain':
        return {
          functionName: 'registerDomain',
          args: [domainIdOf(host(action.domain)), host(action.domain)],
        };
      case 'deactivateDomain':
        return { functionName: 'deactivateDomain', args: [domainIdOf(host(action.domain))] };
      case 'recordAIOptimization':
        return { functionName: 'recordAIOptimization', args: [address(action.user), 70n, 5n] };
    }
  })();
  return { caller, call };
}

const clamp = (value: bigint) => (value < 0n ? 0n : value);
