import { GrowthBook } from '@growthbook/growthbook';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AGREEMENT_CASES, visitorIds } from './agreement-cases.ts';
import { assignVariation } from './standalone.ts';

const IDS = 100_000;

describe('agreement with the official GrowthBook SDK', () => {
  const ids = visitorIds(IDS);
  // The SDK logs every invalid weight/coverage it corrects: 100,000 lines for one case.
  beforeAll(() => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it.each(Object.entries(AGREEMENT_CASES))(
    `assigns ${IDS} ids as GrowthBook does: %s`,
    (_name, experiment) => {
      let disagreements = 0;
      let firstDisagreement: unknown;
      const counts = new Array<number>(experiment.variations.length).fill(0);
      for (const id of ids) {
        const gb = new GrowthBook({ attributes: { id } });
        const theirs = gb.run(experiment);
        gb.destroy();
        const ours = assignVariation(experiment, { id });
        const same =
          ours.inExperiment === theirs.inExperiment &&
          ours.variationId === theirs.variationId &&
          ours.hashUsed === theirs.hashUsed &&
          ours.bucket === (theirs.bucket ?? null);
        if (!same) {
          disagreements += 1;
          firstDisagreement ??= { id, ours, theirs };
        }
        if (ours.hashUsed) counts[ours.variationId] = (counts[ours.variationId] ?? 0) + 1;
      }
      expect(firstDisagreement).toBeUndefined();
      expect(disagreements).toBe(0);
      // Guard against a vacuous pass (everyone out): each config puts visitors in every variation,
      // except the forced one, which never hashes into an exposure.
      if (experiment.force === undefined) for (const c of counts) expect(c).toBeGreaterThan(IDS / 20);
      else expect(counts.every((c) => c === 0)).toBe(true);
    },
  );
});
