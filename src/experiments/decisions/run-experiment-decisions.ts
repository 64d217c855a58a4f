import { systemActor } from '../../auth/actor.ts';
import { writeAudit } from '../../auth/audit.ts';
import type { Db } from '../../db/types.ts';
import { seededRandom } from '../../shared/seeded-random.ts';
import { roundWeights, thompsonWeights } from '../bandit/thompson.ts';
import type { Experiment } from '../experiment-schema.ts';
import { foldExperimentStats } from '../folding/fold-experiment-stats.ts';
import { computeResults } from '../results/compute-results.ts';
import { isBinary } from '../results/metric-analysis.ts';
import { definitionOf, EXPERIMENT_COLUMNS, type ExperimentRow } from '../store/experiment-rows.sql.ts';
import { changeExperimentStatus } from '../verbs/change-status.ts';

export interface DecisionReport {
  stopped: { key: string; reason: string; action: string }[];
  reweighted: { key: string; weights: number[] }[];
  errors: { key: string; message: string }[];
}

const ACTOR = systemActor('experiment-decisions');

/**
 * The scheduled job (every EXPERIMENT_DECISION_MINUTES): for each running experiment, a guardrail
 * significantly worse stops it; a winner (or a surely losing set of variations) stops it with the
 * recommendation when `decision.autoStop`; a bandit gets new weights every `bandit.everyHours`.
 * Shipping stays a person's decision: the recommendation is in the stop's history row.
 */
export async function runExperimentDecisions(input: {
  db: Db;
  now: Date;
  maxConcurrentPerDomain: number;
  /** Seed of the bandit's draws; default from the clock, tests pass one. */
  seed?: number;
}): Promise<DecisionReport> {
  const { db, now } = input;
  const report: DecisionReport = { stopped: [], reweighted: [], errors: [] };
  await foldExperimentStats(db, { now });
  const running = await db.query<ExperimentRow>(
    `SELECT ${EXPERIMENT_COLUMNS} FROM experiments WHERE status = 'running' ORDER BY key`,
  );
  for (const row of running.rows) {
    try {
      const e = definitionOf(row);
      const results = await db.transaction(async (tx) => computeResults(tx, row, e, now));
      const r = results.recommendation;
      const stop =
        r.action === 'stop_guardrail' ||
        (e.decision.autoStop && (r.action === 'ship' || r.action === 'keep_control'));
      if (stop) {
        await changeExperimentStatus({
          ctx: { db, actor: ACTOR, now },
          input: {
            key: row.key,
            action: 'stop',
            reason: r.text,
            maxConcurrentPerDomain: input.maxConcurrentPerDomain,
            details: { recommendation: r, srm: results.srm },
          },
        });
        report.stopped.push({ key: row.key, reason: r.text, action: r.action });
        continue;
      }
      if (e.mode === 'bandit') {
        const primary = results.metrics[0];
        if (!primary) continue;
        const weights = await reweightIfDue(db, row, e, primary.variations, now, input.seed ?? now.getTime());
        if (weights) report.reweighted.push({ key: row.key, weights });
      }
    } catch (err) {
      report.errors.push({ key: row.key, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}

async function reweightIfDue(
  db: Db,
  row: ExperimentRow,
  e: Experiment,
  arms: readonly { n: number; sum: number; sumSquares: number }[],
  now: Date,
  seed: number,
): Promise<number[] | null> {
  if (arms.some((a) => a.n < e.bandit.minExposuresPerArm)) return null;
  return db.transaction(async (tx) => {
    // The last re-weight is in the audit log (at the job's clock); the first waits `everyHours` after the start.
    const last = await tx.query<{ at: Date }>(
      `SELECT max((details->>'at')::timestamptz) AS at FROM audit_log
        WHERE action = 'experiment.reweight' AND target_id = $1`,
      [row.key],
    );
    const since = last.rows[0]?.at ?? row.started_at ?? now;
    if (now.getTime() - since.getTime() < e.bandit.everyHours * 3_600_000) return null;
    const weights = roundWeights(
      thompsonWeights(arms, {
        kind: isBinary(e.metrics.primary) ? 'binary' : 'mean',
        direction: e.metrics.primary.direction,
        floor: e.bandit.floor,
        random: seededRandom(seed),
      }),
    );
    const definition: Experiment = {
      ...e,
      variations: e.variations.map((v, i) => ({ ...v, weight: weights[i] as number })),
    };
    await tx.query(
      `UPDATE experiments SET definition = $2, updated_by = $3, updated_at = $4 WHERE id = $1 AND status = 'running'`,
      [row.id, JSON.stringify(definition), 'system:experiment-decisions', now],
    );
    await writeAudit(tx, ACTOR, {
      action: 'experiment.reweight',
      targetType: 'experiment',
      targetId: row.key,
      details: { at: now.toISOString(), before: e.variations.map((v) => v.weight), after: weights },
    });
    return weights;
  });
}
