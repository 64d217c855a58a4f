import type { Queryable } from '../../db/types.ts';
import { Experiment } from '../experiment-schema.ts';
import { toAssignmentDefinition } from '../to-assignment-definition.ts';

export interface PublicExperiment {
  key: string;
  variations: number;
  weights: number[];
  coverage: number;
  hashVersion: number;
  seed: string;
  namespace?: [string, number, number];
}

/**
 * What the tracker extension needs to assign visitors on one host (assignment/README-contract.md):
 * running experiments only, in assignment shape only, since the answer is public. Targeted
 * experiments are left out: the browser cannot evaluate country or device conditions, so they are
 * assigned by the domain's server through the assignment endpoint.
 */
export async function publicConfig(
  db: Queryable,
  host: string,
): Promise<{ experiments: PublicExperiment[] }> {
  const res = await db.query<{ definition: unknown }>(
    `SELECT e.definition FROM experiments e JOIN domains d ON d.id = ANY (e.domain_ids)
      WHERE d.host = $1 AND e.status = 'running' ORDER BY e.key`,
    [host.toLowerCase()],
  );
  const experiments: PublicExperiment[] = [];
  for (const row of res.rows) {
    const e = Experiment.parse(row.definition);
    if (e.targeting.length > 0) continue;
    const a = toAssignmentDefinition(e);
    experiments.push({
      key: a.key,
      variations: e.variations.length,
      weights: e.variations.map((v) => v.weight),
      coverage: e.coverage,
      hashVersion: e.hashVersion,
      seed: a.seed ?? e.key,
      ...(e.namespace ? { namespace: [e.namespace.id, e.namespace.range[0], e.namespace.range[1]] } : {}),
    });
  }
  return { experiments };
}
