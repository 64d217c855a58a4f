import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.ts';
import { openPglite } from '../../db/open-pglite.ts';
import { openPostgres } from '../../db/open-postgres.ts';
import type { Db } from '../../db/types.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb, testBackend } from '../../test-support/test-db.ts';
import type { Notification } from '../notification.ts';
import type { NotificationOutcome } from './delivery.ts';
import { enqueueNotifications } from './enqueue.ts';
import { claimDueNotifications } from './outbox.sql.ts';
import { runOutboxOnce, startOutboxWorker } from './outbox-worker.ts';
import type { ResolvedReceiver } from './receiver-schema.ts';
import { Secret } from './secret.ts';
import { type HttpPeer, sampleNotification, startHttpPeer } from './test-peers.ts';

const T0 = new Date('2025-03-01T10:05:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function webhook(url: string, overrides: Partial<ResolvedReceiver> = {}): ResolvedReceiver {
  return {
    kind: 'webhook',
    name: 'ops-webhook',
    url,
    secret: new Secret('outbox-test-secret-0123456789'),
    headers: {},
    allowPrivateTargets: true,
    ...overrides,
  } as ResolvedReceiver;
}

// Each test has its own group so the rows of one never meet another's.
let groups = 0;
function notification(overrides: Partial<Notification> = {}): Notification {
  groups += 1;
  return sampleNotification({ groupKey: `test-group-${groups}`, createdAt: T0.toISOString(), ...overrides });
}

async function enqueue(db: Db, n: Notification, receivers: ResolvedReceiver[]) {
  return db.transaction((tx) => enqueueNotifications(tx, [n], receivers));
}

interface OutboxRow {
  status: string;
  attempts: number;
  next_attempt_at: Date;
  delivered_at: Date | null;
  last_error: string | null;
}

async function row(db: Db, id: string): Promise<OutboxRow> {
  const res = await db.query<OutboxRow>(
    'SELECT status, attempts, next_attempt_at, delivered_at, last_error FROM notification_outbox WHERE id = $1',
    [id],
  );
  return res.rows[0] as OutboxRow;
}

describeIntegration('notification outbox', () => {
  let db: Db;
  const peers: HttpPeer[] = [];
  const peer = async (respond: (n: number) => number) => {
    const p = await startHttpPeer(respond);
    peers.push(p);
    return p;
  };
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await db?.close();
  });

  it('delivers exactly once to a receiver that fails three times, backing off 30 s, 60 s, 120 s', async () => {
    const statuses: number[] = [];
    const target = await peer((n) => {
      const status = n <= 3 ? 500 : 200;
      statuses.push(status);
      return status;
    });
    const receivers = [webhook(`${target.url}/hook`)];
    const outcomes: NotificationOutcome[] = [];
    const run = (now: Date) =>
      runOutboxOnce(db, { now, receivers, random: () => 0, onOutcome: (o) => outcomes.push(o) });
    const { enqueued } = await enqueue(db, notification(), receivers);
    const id = enqueued[0] as string;

    expect(await run(at(0))).toMatchObject({ claimed: 1, failed: 1 });
    expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: at(30) });
    expect((await row(db, id)).last_error).toContain('HTTP 500');
    expect(await run(at(29))).toMatchObject({ claimed: 0 });

    expect(await run(at(30))).toMatchObject({ claimed: 1, failed: 1 });
    expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 2, next_attempt_at: at(90) });
    expect(await run(at(89))).toMatchObject({ claimed: 0 });

    expect(await run(at(90))).toMatchObject({ claimed: 1, failed: 1 });
    expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 3, next_attempt_at: at(210) });

    expect(await run(at(210))).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await row(db, id)).toMatchObject({ status: 'delivered', attempts: 4, delivered_at: at(210) });
    expect(await run(at(10_000))).toMatchObject({ claimed: 0 });

    expect(statuses).toEqual([500, 500, 500, 200]);
    expect(new Set(target.requests.map((r) => r.headers['x-portfolio-notification-id']))).toEqual(
      new Set([id]),
    );
    expect(outcomes.map((o) => [o.outcome, o.attempt, o.channel])).toEqual([
      ['failed', 1, 'webhook'],
      ['failed', 2, 'webhook'],
      ['failed', 3, 'webhook'],
      ['delivered', 4, 'webhook'],
    ]);
    const history = await db.query<{ attempt: number; outcome: string; finished_at: Date }>(
      'SELECT attempt, outcome, finished_at FROM notification_attempts WHERE notification_id = $1 ORDER BY id',
      [id],
    );
    expect(history.rows).toEqual([
      { attempt: 1, outcome: 'failed', finished_at: at(0) },
      { attempt: 2, outcome: 'failed', finished_at: at(30) },
      { attempt: 3, outcome: 'failed', finished_at: at(90) },
      { attempt: 4, outcome: 'delivered', finished_at: at(210) },
    ]);
  });

  it('enqueues a notification once, however often the evaluation that produced it is retried', async () => {
    const receivers = [webhook('http://127.0.0.1:9/unused')];
    const first = notification({
      alerts: [
        { ...sampleNotification().alerts[0], fingerprint: 'f-one' } as Notification['alerts'][0],
        { ...sampleNotification().alerts[0], fingerprint: 'f-two' } as Notification['alerts'][0],
      ],
    });
    const again = { ...first, alerts: [...first.alerts].reverse() };
    const a = await enqueue(db, first, receivers);
    const b = await enqueue(db, again, receivers);
    expect(a).toMatchObject({ duplicates: 0 });
    expect(a.enqueued).toHaveLength(1);
    expect(b).toEqual({ enqueued: [], duplicates: 1 });
    const count = async () =>
      (
        await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM notification_outbox WHERE group_key = $1',
          [first.groupKey],
        )
      ).rows[0]?.n;
    expect(await count()).toBe(1);
    // A repeat of the same group is a new notification.
    await enqueue(db, { ...first, reason: 'repeat' }, receivers);
    await enqueue(db, { ...first, createdAt: at(3600).toISOString() }, receivers);
    expect(await count()).toBe(3);
    await db.query("UPDATE notification_outbox SET status = 'dead' WHERE group_key = $1", [first.groupKey]);
  });

  it('refuses a notification for a receiver that is not configured, writing nothing', async () => {
    const n = notification({ receiver: 'nobody' });
    await expect(enqueue(db, n, [webhook('http://127.0.0.1:9/')])).rejects.toThrow(/unknown receiver nobody/);
    const res = await db.query('SELECT 1 FROM notification_outbox WHERE group_key = $1', [n.groupKey]);
    expect(res.rowCount).toBe(0);
  });

  it('sends nothing to a loopback target unless the receiver allows private targets', async () => {
    const target = await peer(() => 200);
    const receivers = [webhook(`${target.url}/hook`, { allowPrivateTargets: false })];
    const { enqueued } = await enqueue(db, notification(), receivers);
    const result = await runOutboxOnce(db, { now: at(0), receivers, random: () => 0 });
    expect(result).toMatchObject({ claimed: 1, dead: 1 });
    const r = await row(db, enqueued[0] as string);
    expect(r).toMatchObject({ status: 'dead', attempts: 1 });
    expect(r.last_error).toMatch(/127\.0\.0\.1: it is a loopback address.*allowPrivateTargets/);
    expect(target.requests).toHaveLength(0);
  });

  it('gives up after the last attempt and on a receiver removed from the configuration', async () => {
    const target = await peer(() => 503);
    const receivers = [webhook(`${target.url}/hook`)];
    const failing = (await enqueue(db, notification(), receivers)).enqueued[0] as string;
    const policy = { maxAttempts: 2 };
    await runOutboxOnce(db, { now: at(0), receivers, policy, random: () => 0 });
    const last = await runOutboxOnce(db, { now: at(30), receivers, policy, random: () => 0 });
    expect(last).toMatchObject({ claimed: 1, dead: 1 });
    expect(await row(db, failing)).toMatchObject({ status: 'dead', attempts: 2 });
    expect(target.requests).toHaveLength(2);

    const orphan = (await enqueue(db, notification(), receivers)).enqueued[0] as string;
    expect(await runOutboxOnce(db, { now: at(0), receivers: [] })).toMatchObject({ claimed: 1, dead: 1 });
    expect((await row(db, orphan)).last_error).toMatch(/ops-webhook \(webhook\) is no longer configured/);
  });
});

describeIntegration('notification outbox worker loop', () => {
  let db: Db;
  let target: HttpPeer;
  let delivered: () => void;
  const arrived = new Promise<void>((resolve) => {
    delivered = resolve;
  });
  beforeAll(async () => {
    db = await createTestDb();
    target = await startHttpPeer(() => {
      delivered();
      return 200;
    });
  });
  afterAll(async () => {
    await target?.close();
    await db?.close();
  });

  it('delivers when woken after an enqueue, without waiting for its interval', async () => {
    const receivers = [webhook(`${target.url}/hook`)];
    const outcomes: string[] = [];
    // An interval no test would wait for: only wake() can make this pass in time.
    const worker = startOutboxWorker(db, {
      receivers,
      intervalMs: 3_600_000,
      onOutcome: (o) => outcomes.push(o.outcome),
    });
    try {
      await enqueue(db, notification(), receivers);
      worker.wake();
      await arrived;
    } finally {
      await worker.stop();
    }
    expect(outcomes).toEqual(['delivered']);
    const res = await db.query<{ status: string }>('SELECT status FROM notification_outbox');
    expect(res.rows).toEqual([{ status: 'delivered' }]);
  });
});

/** A database that can be closed and opened again, like a server restart. */
async function restartableDb(): Promise<{ open(): Promise<Db>; cleanup(): Promise<void> }> {
  if (testBackend() === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'pos-outbox-'));
    let migrated = false;
    return {
      async open() {
        const db = await openPglite({ dataDir: dir });
        if (!migrated) await migrate(db);
        migrated = true;
        return db;
      },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const base = await createTestDb();
  const url = base.url as string;
  return {
    open: () => openPostgres({ connectionString: url, maxConnections: 2 }),
    cleanup: () => base.close(),
  };
}

describeIntegration('notification outbox across restarts', () => {
  let store: Awaited<ReturnType<typeof restartableDb>>;
  let target: HttpPeer;
  let up = false;
  beforeAll(async () => {
    store = await restartableDb();
    target = await startHttpPeer(() => (up ? 200 : 500));
  });
  afterAll(async () => {
    await target?.close();
    await store?.cleanup();
  });

  it('keeps a failed notification across a restart and delivers it afterwards', async () => {
    const receivers = [webhook(`${target.url}/hook`)];
    let db = await store.open();
    const id = (await enqueue(db, notification(), receivers)).enqueued[0] as string;
    expect(await runOutboxOnce(db, { now: at(0), receivers, random: () => 0 })).toMatchObject({ failed: 1 });
    await db.close();

    db = await store.open();
    try {
      expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: at(30) });
      up = true;
      expect(await runOutboxOnce(db, { now: at(30), receivers, random: () => 0 })).toMatchObject({
        delivered: 1,
      });
      expect(await row(db, id)).toMatchObject({ status: 'delivered', attempts: 2 });
      expect(target.requests).toHaveLength(2);
    } finally {
      await db.close();
    }
  });

  it('sends again after the lease when the process died in the middle of a delivery', async () => {
    up = true;
    const receivers = [webhook(`${target.url}/hook`)];
    const before = target.requests.length;
    let db = await store.open();
    const id = (await enqueue(db, notification(), receivers)).enqueued[0] as string;
    // Claimed, then the process "dies" before sending or recording anything.
    const claimed = await claimDueNotifications(db, {
      now: at(0),
      leaseUntil: at(120),
      limit: 10,
      maxAttempts: 16,
    });
    expect(claimed.map((c) => c.id)).toEqual([id]);
    await db.close();

    db = await store.open();
    try {
      expect(await row(db, id)).toMatchObject({ status: 'sending', attempts: 1 });
      expect(await runOutboxOnce(db, { now: at(119), receivers })).toMatchObject({ claimed: 0 });
      expect(await runOutboxOnce(db, { now: at(120), receivers })).toMatchObject({ delivered: 1 });
      expect(await row(db, id)).toMatchObject({ status: 'delivered', attempts: 2 });
      expect(target.requests.length - before).toBe(1);
    } finally {
      await db.close();
    }
  });
});
