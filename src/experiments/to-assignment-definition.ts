import type { ExperimentDefinition } from './assignment/standalone.ts';
import type { Experiment } from './experiment-schema.ts';

/** Our definition in the shape of K's GrowthBook-compatible core (variation index 0 = control). */
export function toAssignmentDefinition(e: Experiment): ExperimentDefinition {
  return {
    key: e.key,
    variations: e.variations.length,
    weights: e.variations.map((v) => v.weight),
    coverage: e.coverage,
    hashAttribute: 'id',
    hashVersion: e.hashVersion,
    seed: e.seed ?? e.key,
    namespace: e.namespace ? [e.namespace.id, e.namespace.range[0], e.namespace.range[1]] : null,
  };
}
