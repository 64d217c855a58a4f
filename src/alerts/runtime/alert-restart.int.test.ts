import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadSettings } from '../../config/settings.ts';
import { type RunningServer, startServer } from '../../server/start-server.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb, testBackend } from '../../test-support/test-db.ts';
import { EXAMPLE_PORTFOLIO } from '../../test-support/test-server.ts';

// The real start: the example portfolio's receivers name SLACK_WEBHOOK_URL, SMTP_PASSWORD and
// PAGERDUTY_WEBHOOK_SECRET, unset here. The server must start anyway, and the alert state must
// carry a pending alert's `for` clock across a restart on the same database.

const T0 = new Date('2031-03-03T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describeIntegration('alert runtime across a restart', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('starts without receiver secrets and keeps the alert state when the database is reopened', async () => {
    for (const name of ['SLACK_WEBHOOK_URL', 'SMTP_PASSWORD', 'PAGERDUTY_WEBHOOK_SECRET'])
      expect(process.env[name]).toBeUndefined();
    const dir = await mkdtemp(join(tmpdir(), 'pos-alert-restart-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const portfolioFile = join(dir, 'portfolio.yaml');
    // The seed's rules and receivers as they are.
    await writeFile(portfolioFile, await readFile(EXAMPLE_PORTFOLIO, 'utf8'));
    const flags: Record<string, unknown> = {
      port: 0,
      dataDir: join(dir, 'data'),
      portfolioFile,
      logLevel: 'silent',
      uptimeChecks: 'false',
      alertEvalSeconds: 0,
      kpiBackfillDays: 0,
      rollupIntervalSeconds: 0,
    };
    if (testBackend() === 'postgres') {
      const db = await createTestDb({ migrated: false });
      flags.databaseUrl = db.url;
      cleanups.push(() => db.close());
    }
    const settings = loadSettings({}, flags);
    const quiet = { info: () => undefined };

    let server: RunningServer = await startServer(settings, quiet);
    const first = await server.alerts.evaluate(T0);
    const silent = Object.values(first.state.alerts).filter((a) => a.rule === 'domain_silent');
    expect(silent.length).toBeGreaterThan(0);
    // domain_silent has no `for`: it fires at once and its notifications wait for groupWait (30s).
    expect(silent.every((a) => a.state === 'firing')).toBe(true);
    expect(server.alerts.receivers.unresolved.map((u) => u.name).sort()).toEqual(
      ['ceo', 'cto', 'email', 'pagerduty', 'security-team', 'slack'].sort(),
    );
    const flushed = await server.alerts.evaluate(at(1));
    expect(flushed.notifications).toBeGreaterThan(0);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    await server.close();

    server = await startServer(settings, quiet);
    cleanups.push(() => server.close());
    const rows = await server.db.query<{ receiver: string; status: string; last_error: string }>(
      "SELECT receiver, status, last_error FROM notification_outbox WHERE receiver = 'slack'",
    );
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const r of rows.rows) {
      expect(r.status).toBe('pending');
      expect(r.last_error).toBe(
        'receiver slack: webhookUrl: environment variable SLACK_WEBHOOK_URL is not set',
      );
    }
    const second = await server.alerts.evaluate(at(2));
    for (const a of silent) {
      const again = second.state.alerts[a.fingerprint];
      expect(again?.state).toBe('firing');
      expect(again?.firedAt).toBe(a.firedAt); // the same episode, remembered across the restart
      expect(again?.notifiedAt).toBe(at(1).toISOString());
    }
    expect(second.notifications).toBe(0); // nothing new to say: no duplicate after the restart
  });
});
