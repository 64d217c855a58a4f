import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Portfolio } from '../config/portfolio-schema.ts';

// The portfolio file's `experiments:` section: the seed example parses with the seed's numbers,
// and cross-references catch unknown hosts and duplicate keys.

const EXAMPLE = new URL('../../examples/seed-portfolio.yaml', import.meta.url);

const minimal = (experiments: unknown) => ({
  version: 1,
  name: 'Test',
  domains: [{ host: 'shop.example', name: 'Shop', kind: 'e-commerce' }],
  experiments,
});
const experiment = (key: string, domains: string[]) => ({
  key,
  name: key,
  domains,
  variations: [
    { key: 'a', name: 'A', weight: 0.5 },
    { key: 'b', name: 'B', weight: 0.5 },
  ],
  metrics: { primary: { key: 'buy', kind: 'conversion', event: 'purchase' } },
});

describe('portfolio experiments section', () => {
  it("holds the seed's experiment: 50/25/25 over three domains, power 0.95, MDE 5 %, 99 %/2 % rules, 5 at once", () => {
    const p = Portfolio.parse(parse(readFileSync(EXAMPLE, 'utf8')));
    expect(p.experiments.maxConcurrentPerDomain).toBe(5);
    const checkout = p.experiments.definitions.find((e) => e.key === 'checkout-flow');
    expect(checkout?.domains).toEqual(['adaptogenic-mushrooms.com', 'fixie.run', 'rhymechain.win']);
    expect(checkout?.variations.map((v) => v.weight)).toEqual([0.5, 0.25, 0.25]);
    expect(checkout?.decision).toMatchObject({
      chanceToWin: 0.99,
      minImprovement: 0.02,
      power: 0.95,
      minimumDetectableEffect: 0.05,
    });
  });

  it('defaults to no experiments and the limit of 5', () => {
    const p = Portfolio.parse(minimal(undefined));
    expect(p.experiments).toEqual({ maxConcurrentPerDomain: 5, definitions: [] });
  });

  it('reports unknown hosts and duplicate keys at their paths', () => {
    const r = Portfolio.safeParse(
      minimal({
        definitions: [experiment('x', ['shop.example', 'shpo.example']), experiment('x', ['shop.example'])],
      }),
    );
    const issues = (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        'experiments.definitions.0.domains.1: unknown domain "shpo.example" (did you mean "shop.example"?)',
        'experiments.definitions.1.key: duplicate experiment key "x" (first at experiments.definitions.0)',
      ]),
    );
  });
});
