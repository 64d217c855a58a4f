import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AlertingConfig } from '../../alerts/alert-rule-schema.ts';
import { type EngineState, emptyEngineState } from '../../alerts/engine/engine-state.ts';
import { step } from '../../alerts/engine/step.ts';
import type { Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { fold, HOSTS, insertEvents, insertUser } from '../ledger/ledger-fixture.ts';
import { relayerAlertSeries } from './alert-metrics.ts';
import { publishPending } from './publish-pending.ts';
import { reconcileLedger } from './reconcile-ledger.ts';
import {
  confirmedTotals,
  ledgerRows,
  linkTestWallet,
  type RpcProxy,
  relayerCtx,
  startRpcProxy,
  startTestChain,
  type TestChain,
} from './relayer.test-support.ts';

// The default rules proposed for examples/seed-portfolio.yaml (docs/relayer.md, "Alerts").
const RULES_YAML = `
- name: relayer_rpc_down
  expr: relayer_rpc_up < 1
  for: 5m
  severity: critical
  labels: { area: rewards }
  annotations:
    summary: 'the rewards relayer cannot reach the chain RPC: ledger transactions wait, nothing is lost'
- name: relayer_queue_stuck
  expr: relayer_oldest_pending_age > 30min
  severity: high
  labels: { area: rewards }
  annotations:
    summary: 'a ledger transaction has waited more than 30 minutes to reach the chain'
- name: relayer_failed_entries
  expr: relayer_failed_entries > 0
  severity: high
  labels: { area: rewards }
  annotations:
    summary: '{{ $value }} ledger transactions were refused by the token; fix the cause, then retry them'
- name: reconciliation_difference
  expr: reconciliation_differences > 0
  severity: critical
  labels: { area: rewards }
  annotations:
    summary: 'the token differs from the rewards ledger ({{ $value }} differences)'
`;

const MINUTE = 60_000;

describeIntegration('relayer over an HTTP JSON-RPC that goes down', () => {
  let db: Db;
  let t: TestChain;
  let rpc: RpcProxy;
  let shop: string;
  let ride: string;
  let engine: EngineState = emptyEngineState();
  const config = AlertingConfig.parse({
    rules: parse(RULES_YAML),
    routes: [{ id: 'rewards', matchers: ['area="rewards"'], receivers: ['email'] }],
  });

  beforeAll(async () => {
    db = await createTestDb();
    const d = await insertDomains(db, HOSTS);
    [shop, ride] = [d['shop.example'] as string, d['ride.example'] as string];
    t = await startTestChain(['shop.example', 'ride.example']);
    rpc = await startRpcProxy(t.provider);
  });
  afterAll(async () => {
    await rpc?.close();
    await t?.close();
    await db?.close();
  });

  const book = async (day: string) => {
    const u = await insertUser(db, [shop, ride]);
    const wallet = await linkTestWallet(db, u);
    await insertEvents(db, [
      { domainId: shop, name: 'Purchase', userId: u, at: `${day}T10:00:00Z`, valueEur: '8' },
      { domainId: ride, name: 'Ride Recorded', userId: u, at: `${day}T10:01:00Z`, props: { km: 21 } },
    ]);
    await fold(db);
    return { u, wallet };
  };
  const run = (now: Date) =>
    publishPending({ ctx: relayerCtx(db, now), input: { chain: t.chainOverHttp(rpc.url) } });
  /** One alert evaluation at `now` over the relayer's metrics; the firing and pending rule names. */
  const evaluate = async (now: Date) => {
    const result = step(
      engine,
      { config, snapshot: { domains: [], series: await relayerAlertSeries(db, now) } },
      now,
    );
    engine = result.state;
    const alerts = Object.values(engine.alerts);
    return {
      firing: alerts
        .filter((a) => a.state === 'firing')
        .map((a) => a.rule)
        .sort(),
      pending: alerts
        .filter((a) => a.state === 'pending')
        .map((a) => a.rule)
        .sort(),
    };
  };

  it('keeps entries pending with backoff while the RPC is down, alerts after 5 minutes, publishes once it is back', async () => {
    const { u, wallet } = await book('2026-11-20');
    const t0 = new Date();
    rpc.mode = 'down';
    const down = await run(t0);
    expect(down).toMatchObject({ ran: true, rpcUp: false, batchesSent: 0, retried: 2 });
    expect(down.error).toMatch(/^rpc: /);
    let rows = await ledgerRows(db, u);
    expect(rows.map((r) => [r.chain_status, r.chain_attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
    ]);
    expect(rows[0]?.chain_next_attempt_at?.getTime()).toBe(t0.getTime() + 10_000);
    expect(rows[0]?.chain_last_error).toMatch(/^rpc: /);
    expect(await relayerAlertSeries(db, t0)).toContainEqual({ metric: 'relayer_rpc_up', value: 0 });
    expect(await evaluate(t0)).toEqual({ firing: [], pending: ['relayer_rpc_down'] });

    // Still down 5 minutes later (connections now dropped): a second attempt, doubled backoff; it fires.
    rpc.mode = 'reset';
    const t5 = new Date(t0.getTime() + 5 * MINUTE);
    expect(await run(t5)).toMatchObject({ rpcUp: false, retried: 2 });
    rows = await ledgerRows(db, u);
    expect(rows.map((r) => r.chain_attempts)).toEqual([2, 2]);
    expect(rows[0]?.chain_next_attempt_at?.getTime()).toBe(t5.getTime() + 20_000);
    expect(await evaluate(t5)).toEqual({ firing: ['relayer_rpc_down'], pending: [] });
    const t31 = new Date(t0.getTime() + 31 * MINUTE);
    expect((await evaluate(t31)).firing).toEqual(['relayer_queue_stuck', 'relayer_rpc_down']);
    expect(await t.rewardsOf(wallet)).toBe(0n);

    // Back: everything confirmed, exactly once; the alerts resolve.
    rpc.mode = 'up';
    const sends = await t.relayerSends();
    const t40 = new Date(t0.getTime() + 40 * MINUTE);
    expect(await run(t40)).toMatchObject({ rpcUp: true, confirmed: 2, batchesSent: 1 });
    expect(await t.relayerSends()).toBe(sends + 1);
    expect(await t.rewardsOf(wallet)).toBe((await confirmedTotals(db, u)).earned);
    expect(await evaluate(t40)).toEqual({ firing: [], pending: [] });
  });

  it('an answer lost after the node took the transaction: retried later, confirmed from processed(), never sent twice', async () => {
    const { u, wallet } = await book('2026-11-21');
    const t1 = new Date();
    const sends = await t.relayerSends();
    rpc.mode = 'lose-send-answers';
    const lost = await run(t1);
    expect(lost).toMatchObject({ rpcUp: true, batchesSent: 0, confirmed: 0, retried: 2 });
    // Minted on-chain, but for the ledger the two rewards are pending again (with backoff).
    expect(await t.relayerSends()).toBe(sends + 1);
    const earned = (await ledgerRows(db, u)).reduce((s, r) => s + BigInt(r.total_wei), 0n);
    expect(await t.rewardsOf(wallet)).toBe(earned);
    expect((await ledgerRows(db, u)).map((r) => [r.chain_status, r.chain_attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
    ]);
    // Not a difference for the reconciliation: the chain shows what the ledger sent.
    rpc.mode = 'up';
    const check = await reconcileLedger({
      ctx: relayerCtx(db, t1),
      input: { chain: t.chainOverHttp(rpc.url) },
    });
    expect(check).toMatchObject({ status: 'ok', differences: 0 });

    expect(await run(t1)).toMatchObject({ batchesSent: 0, confirmed: 0 }); // still backing off
    expect(await run(new Date(t1.getTime() + MINUTE))).toMatchObject({ batchesSent: 0, confirmed: 2 });
    expect(await t.relayerSends()).toBe(sends + 1);
    expect(await t.rewardsOf(wallet)).toBe((await confirmedTotals(db, u)).earned);
    expect((await ledgerRows(db, u)).every((r) => r.chain_tx_hash !== null)).toBe(true);
    expect(rpc.methods).toContain('eth_call');
  });
});
