import { randomUUID } from 'node:crypto';
import { actorLabel, requireUnscopedAdmin } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import { advanceWatermark, takeWatermark } from '../../db/fold-watermark.ts';
import type { Tx } from '../../db/types.ts';
import type { RewardsConfig } from '../reward-schema.ts';
import {
  applyRewardRules,
  type CompiledRule,
  type RewardEvent,
  type RewardUserState,
  type SkipReason,
} from './apply-reward-rules.ts';
import {
  ADD_DAILY_TOTALS_SQL,
  ADD_EARNINGS_SQL,
  DAILY_TOTALS_SQL,
  DECLARE_CANDIDATES_SQL,
  FETCH_CANDIDATES_SQL,
  INSERT_POSTINGS_SQL,
  INSERT_TRANSACTIONS_SQL,
  INSERT_USER_DOMAINS_SQL,
  ISSUED_SQL,
  REWARDS_STATE,
  SET_TIERS_SQL,
  USER_DOMAINS_SQL,
  USERS_WITH_WALLET_SQL,
} from './book-rewards.sql.ts';
import {
  compileRewardRules,
  loyaltyTierFor,
  type TierThresholds,
  tierThresholds,
} from './compile-reward-rules.ts';
import { type Posting, rewardPostings } from './ledger-postings.ts';

/** Serialises reward folds across server instances and CLI runs. */
export const REWARDS_FOLD_LOCK_KEY = 727_018;

export interface BookRewardsResult {
  /** Events a rule names, of known users, read by this run. */
  events: number;
  rewarded: number;
  skipped: Partial<Record<SkipReason, number>>;
  /** Wei credited to users by this run, bonuses included. */
  issuedWei: string;
  tiersChanged: number;
  /** The new horizon: every event with ingest_xid below it is booked, but for pending transactions. */
  horizon: string;
  /** Hosts of rules that are not (yet) domains in the database; their rules were left out. */
  unknownHosts: string[];
  ms: number;
}

export interface BookRewardsInput {
  rewards: RewardsConfig | null | undefined;
  /** Called after each step inside the transaction; a test throws here to simulate a crash. */
  onStep?: (step: string) => void | Promise<void>;
}

interface CandidateRow {
  id: string;
  domain_id: string;
  name: string;
  occurred_at: Date;
  user_id: string;
  value_eur: string | null;
  props: Record<string, unknown> | null;
}

/**
 * The fold: books every event committed since the last run that a reward rule matches, in one
 * transaction with the watermark advance (ADR 0009's xid8 watermark: late events count once; a
 * failed run books nothing). Each event is booked once (source key `event:<id>`), with its AI
 * bonus and milestone lines, and the users' balances and tiers move in the same transaction.
 */
export async function bookRewardsForEvents({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: BookRewardsInput;
}): Promise<BookRewardsResult> {
  requireUnscopedAdmin(ctx.actor);
  const started = performance.now();
  const step = input.onStep ?? (() => undefined);
  return ctx.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [REWARDS_FOLD_LOCK_KEY]);
    const w = await takeWatermark(tx, REWARDS_STATE);
    const domains = await tx.query<{ id: string; host: string }>('SELECT id, host FROM domains');
    const { rules, unknownHosts } = compileRewardRules(
      input.rewards,
      new Map(domains.rows.map((d) => [d.host, d.id])),
    );
    const fold = new Fold(tx, ctx, rules, tierThresholds(input.rewards?.tiers));
    if (rules.length > 0) {
      const pairs = [...new Map(rules.map((r) => [`${r.domainId}|${r.event}`, r])).values()];
      await tx.query(DECLARE_CANDIDATES_SQL, [
        w.old,
        w.oldPending,
        w.next,
        w.running,
        pairs.map((r) => r.domainId),
        pairs.map((r) => r.event),
      ]);
      for (;;) {
        const page = await tx.query<CandidateRow>(FETCH_CANDIDATES_SQL);
        if (page.rows.length === 0) break;
        await fold.bookPage(page.rows);
        await step('page');
      }
    }
    await advanceWatermark(tx, REWARDS_STATE, w, fold.events, ctx.now);
    await step('horizon');
    return {
      events: fold.events,
      rewarded: fold.rewarded,
      skipped: fold.skipped,
      issuedWei: fold.issuedWei.toString(),
      tiersChanged: fold.tiersChanged,
      horizon: w.next,
      unknownHosts,
      ms: Math.round(performance.now() - started),
    };
  });
}

/** Columns of one page's writes, as the unnest() statements take them. */
class PageWrites {
  readonly tx: unknown[][] = Array.from({ length: 13 }, () => []);
  readonly postings: unknown[][] = Array.from({ length: 6 }, () => []);
  readonly userDomains: unknown[][] = Array.from({ length: 5 }, () => []);
  readonly daily = new Map<
    string,
    { user: string; rule: string; day: string; domain: string; wei: bigint }
  >();
  readonly earnings = new Map<string, { wei: bigint; count: number; firstAt: Date }>();
}

function push(columns: unknown[][], values: unknown[]): void {
  for (const [i, v] of values.entries()) columns[i]?.push(v);
}

/** The state a run reads once per user (and day) and keeps current in memory as it books. */
class Fold {
  events = 0;
  rewarded = 0;
  tiersChanged = 0;
  issuedWei = 0n;
  readonly skipped: Partial<Record<SkipReason, number>> = {};
  private issued: bigint | null = null;
  private readonly rewardedDomains = new Map<string, Set<string>>();
  private readonly hasWallet = new Map<string, boolean>();
  private readonly dayTotals = new Map<string, bigint>();
  private readonly loadedDays = new Set<string>();
  private readonly booked = new Set<string>();

  constructor(
    private readonly tx: Tx,
    private readonly ctx: Ctx,
    private readonly rules: readonly CompiledRule[],
    private readonly tiers: TierThresholds,
  ) {}

  async bookPage(rows: CandidateRow[]): Promise<void> {
    this.events += rows.length;
    await this.load(rows);
    const writes = new PageWrites();
    for (const row of rows) {
      if (this.booked.has(row.id)) continue;
      this.booked.add(row.id);
      this.decide(row, writes);
    }
    await this.write(writes);
  }

  private async load(rows: CandidateRow[]): Promise<void> {
    if (this.issued === null) {
      const issued = await this.tx.query<{ issued: string }>(ISSUED_SQL);
      this.issued = BigInt(issued.rows[0]?.issued ?? '0');
    }
    const users = [...new Set(rows.map((r) => r.user_id))].filter((u) => !this.rewardedDomains.has(u));
    if (users.length > 0) {
      for (const u of users) this.rewardedDomains.set(u, new Set());
      const known = await this.tx.query<{ user_id: string; domain_id: string }>(USER_DOMAINS_SQL, [users]);
      for (const r of known.rows) this.rewardedDomains.get(r.user_id)?.add(r.domain_id);
      const wallets = await this.tx.query<{ user_id: string }>(USERS_WITH_WALLET_SQL, [users]);
      const withWallet = new Set(wallets.rows.map((r) => r.user_id));
      for (const u of users) this.hasWallet.set(u, withWallet.has(u));
    }
    const keys = new Map<string, [string, string]>();
    for (const r of rows) {
      const day = r.occurred_at.toISOString().slice(0, 10);
      const key = `${r.user_id}|${day}`;
      if (!this.loadedDays.has(key)) keys.set(key, [r.user_id, day]);
    }
    if (keys.size === 0) return;
    const pairs = [...keys.values()];
    const totals = await this.tx.query<{ user_id: string; rule_id: string; day: string; base_wei: string }>(
      DAILY_TOTALS_SQL,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    for (const t of totals.rows) this.dayTotals.set(`${t.user_id}|${t.rule_id}|${t.day}`, BigInt(t.base_wei));
    for (const key of keys.keys()) this.loadedDays.add(key);
  }

  private decide(row: CandidateRow, writes: PageWrites): void {
    const event: RewardEvent = {
      id: row.id,
      domainId: row.domain_id,
      name: row.name,
      occurredAt: row.occurred_at,
      userId: row.user_id,
      valueEur: row.value_eur,
      props: row.props ?? {},
    };
    const domains = this.rewardedDomains.get(row.user_id) ?? new Set<string>();
    const user: RewardUserState = {
      rewardedDomains: domains,
      bookedOnDay: (ruleId, day) => this.dayTotals.get(`${row.user_id}|${ruleId}|${day}`) ?? 0n,
    };
    const d = applyRewardRules({ rules: this.rules, event, user, issuedWei: this.issued ?? 0n });
    if (d.kind === 'skip') {
      this.skipped[d.reason] = (this.skipped[d.reason] ?? 0) + 1;
      return;
    }
    const id = randomUUID();
    const bonus = d.lines.find((l) => l.kind === 'ai_bonus')?.amountWei ?? 0n;
    const milestone = d.lines.find((l) => l.kind === 'milestone')?.amountWei ?? 0n;
    const status = this.hasWallet.get(row.user_id) ? 'pending' : 'awaiting_wallet';
    push(writes.tx, [
      id,
      row.user_id,
      row.domain_id,
      d.ruleId,
      row.id,
      d.baseWei.toString(),
      d.aiOptimized,
      bonus.toString(),
      d.milestoneK,
      milestone.toString(),
      d.measure,
      row.occurred_at,
      status,
    ]);
    for (const p of rewardPostings(row.user_id, row.domain_id, d.lines))
      pushPosting(writes, id, p, row.domain_id);
    if (d.newDomain) {
      domains.add(row.domain_id);
      this.rewardedDomains.set(row.user_id, domains);
      push(writes.userDomains, [row.user_id, row.domain_id, domains.size, id, row.occurred_at]);
    }
    const dayKey = `${row.user_id}|${d.ruleId}|${d.day}`;
    this.dayTotals.set(dayKey, (this.dayTotals.get(dayKey) ?? 0n) + d.baseWei);
    const daily = writes.daily.get(dayKey);
    if (daily) daily.wei += d.baseWei;
    else
      writes.daily.set(dayKey, {
        user: row.user_id,
        rule: d.ruleId,
        day: d.day,
        domain: row.domain_id,
        wei: d.baseWei,
      });
    const earned = writes.earnings.get(row.user_id);
    if (earned) {
      earned.wei += d.totalWei;
      earned.count += 1;
    } else writes.earnings.set(row.user_id, { wei: d.totalWei, count: 1, firstAt: row.occurred_at });
    this.issued = (this.issued ?? 0n) + d.totalWei;
    this.issuedWei += d.totalWei;
    this.rewarded += 1;
  }

  private async write(w: PageWrites): Promise<void> {
    if (w.earnings.size === 0) return;
    const tx = this.tx;
    await tx.query(INSERT_TRANSACTIONS_SQL, [...w.tx, this.ctx.now, actorLabel(this.ctx.actor)]);
    await tx.query(INSERT_POSTINGS_SQL, w.postings);
    if ((w.userDomains[0]?.length ?? 0) > 0) await tx.query(INSERT_USER_DOMAINS_SQL, w.userDomains);
    const daily = [...w.daily.values()];
    await tx.query(ADD_DAILY_TOTALS_SQL, [
      daily.map((d) => d.user),
      daily.map((d) => d.rule),
      daily.map((d) => d.day),
      daily.map((d) => d.domain),
      daily.map((d) => d.wei.toString()),
    ]);
    const earnings = [...w.earnings.entries()];
    const totals = await tx.query<{ user_id: string; earned_wei: string }>(ADD_EARNINGS_SQL, [
      earnings.map(([u]) => u),
      earnings.map(([, e]) => e.wei.toString()),
      earnings.map(([, e]) => e.count),
      earnings.map(([, e]) => e.firstAt),
      this.ctx.now,
    ]);
    const tiers = totals.rows.map((t) => loyaltyTierFor(BigInt(t.earned_wei), this.tiers));
    const changed = await tx.query(SET_TIERS_SQL, [totals.rows.map((t) => t.user_id), tiers, this.ctx.now]);
    this.tiersChanged += changed.rowCount;
  }
}

function pushPosting(w: PageWrites, transactionId: string, p: Posting, domainId: string): void {
  push(w.postings, [transactionId, p.lineNo, p.line, p.account, p.amountWei.toString(), domainId]);
}
