import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { ExperimentsConfig } from '../experiment-schema.ts';
import { startExperimentDecisions } from './decision-scheduler.ts';

// The scheduler's run: the portfolio file's definitions become drafts (a draft follows the file, a
// started one keeps its definition), then the decisions run.

const NOW = new Date('2031-03-01T12:00:00Z');
const definition = (name: string) => ({
  key: 'hero-copy',
  name,
  domains: ['shop.example'],
  variations: [
    { key: 'a', name: 'A', weight: 0.5 },
    { key: 'b', name: 'B', weight: 0.5 },
  ],
  metrics: { primary: { key: 'buy', kind: 'conversion', event: 'purchase' } },
});

describeIntegration('experiment decision scheduler', () => {
  let db: Db;
  let config = ExperimentsConfig.parse({ definitions: [definition('First')] });
  const logged: object[] = [];
  beforeAll(async () => {
    db = await createTestDb();
    await insertDomains(db, ['shop.example']);
  });
  afterAll(async () => db?.close());

  it('syncs the file into drafts, follows edits of a draft, and keeps a running definition', async () => {
    const job = startExperimentDecisions({
      db,
      experiments: () => config,
      log: { info: (o) => logged.push(o), error: (o) => logged.push(o) },
      minutes: 0,
      now: () => NOW,
    });
    const nameOf = async () =>
      (
        await db.query<{ name: string; source: string; status: string }>(
          "SELECT definition->>'name' AS name, source, status FROM experiments WHERE key = 'hero-copy'",
        )
      ).rows;
    expect(await job.runNow()).toEqual({ stopped: [], reweighted: [], errors: [] });
    expect(await nameOf()).toEqual([{ name: 'First', source: 'portfolio', status: 'draft' }]);
    config = ExperimentsConfig.parse({ definitions: [definition('Second')] });
    await job.runNow();
    expect(await nameOf()).toEqual([{ name: 'Second', source: 'portfolio', status: 'draft' }]);
    await db.query("UPDATE experiments SET status = 'running', started_at = $1 WHERE key = 'hero-copy'", [
      NOW,
    ]);
    config = ExperimentsConfig.parse({ definitions: [definition('Third')] });
    await job.runNow();
    expect(await nameOf()).toEqual([{ name: 'Second', source: 'portfolio', status: 'running' }]);
    const audit = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE target_id = 'hero-copy' ORDER BY id",
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['experiment.create', 'experiment.update']);
    await job.stop();
  });
});
