import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, loadPortfolioFile, type PortfolioProblem, parsePortfolio } from './load-portfolio.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/seed-portfolio.yaml', import.meta.url));
const F = 'fixture.yaml';

/** Lines joined with newlines: the array index + 1 is the line number the test asserts. */
const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

function problems(text: string): PortfolioProblem[] {
  const result = parsePortfolio(text, F);
  if (result.ok) throw new Error('expected problems, the document is valid');
  return result.problems;
}

/** `line:col path: message`, compact enough to compare whole lists. */
function compact(text: string): string[] {
  return problems(text).map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
}

const HEAD = [
  'version: 1',
  'name: Test',
  'domains:',
  '  - host: shop.example',
  '    name: Shop',
  '    kind: e-commerce',
];

describe('parsePortfolio', () => {
  it('accepts the head fixture (so other fixtures fail only for what they add)', () => {
    const result = parsePortfolio(yaml(...HEAD), F);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.portfolio.domains[0]?.host).toBe('shop.example');
  });

  it('points an unknown top-level key at the key itself', () => {
    expect(compact(yaml(...HEAD, 'colour: blue'))).toEqual(['7:1 colour: unknown key "colour"']);
  });

  it('points unknown keys deep inside at each key, one problem per key', () => {
    const text = yaml(
      ...HEAD,
      '    tagline: the best', // 7
      '    hue: 3', // 8
      'kpis:', // 9
      '  - category: Money', // 10
      '    metrics:', // 11
      '      - key: mrr', // 12
      '        name: MRR', // 13
      '        unit: EUR', // 14
      '        frequency: daily', // 15
      '        owner: CFO', // 16
      '        description: Monthly recurring revenue', // 17
      '        direction: higher-is-better', // 18
      '    alerts:', // 19
      '      - metric: mrr', // 20
      '        condition: { change: decrease, thresholdPct: 10, window: week-over-week, for: 2h }', // 21
      '        severity: critical', // 22
      '        action: Recover', // 23
    );
    expect(compact(text)).toEqual([
      '7:5 domains.0.tagline: unknown key "tagline"',
      '8:5 domains.0.hue: unknown key "hue"',
      '21:82 kpis.0.alerts.0.condition.for: unknown key "for"',
    ]);
  });

  it('suggests the intended key for a likely typo', () => {
    const text = yaml(
      'version: 1',
      'name: Test',
      'domains:',
      '  - host: shop.example',
      '    nmae: Shop',
      '    kind: e-commerce',
    );
    expect(compact(text)).toEqual([
      '4:5 domains.0.name: missing required field (expected string)',
      '5:5 domains.0.nmae: unknown key "nmae" (did you mean "name"?)',
    ]);
  });

  it('reports every problem of a file, sorted by line, each at its node', () => {
    const text = yaml(
      'version: 2', // 1
      'name: Test', // 2
      'domains:', // 3
      '  - host: shop.example', // 4
      '    name: Shop', // 5
      '    kind: shop', // 6
      'revenueStreams:', // 7
      '  - id: sales', // 8
      '    name: Sales', // 9
      '    domain: other.example', // 10
      '    currentRevenue: -5', // 11
      '    targetRevenue: 100', // 12
      '    timelineMonths: 0', // 13
      '    dependency: low', // 14
      '    scalability: linear', // 15
      '    riskLevel: low', // 16
      '    implementationEffort: low', // 17
      '    crossDomainSynergy: yes', // 18
      '    automated: true', // 19
    );
    const found = problems(text);
    expect(found.map((p) => [p.line, p.col, p.path])).toEqual([
      [1, 10, 'version'],
      [6, 11, 'domains.0.kind'],
      [10, 13, 'revenueStreams.0.domain'],
      [11, 21, 'revenueStreams.0.currentRevenue'],
      [13, 21, 'revenueStreams.0.timelineMonths'],
      [18, 25, 'revenueStreams.0.crossDomainSynergy'],
    ]);
    expect(found[2]?.message).toBe('unknown domain "other.example" (defined: shop.example)');
    expect(found.every((p) => p.file === F)).toBe(true);
  });

  it('points a missing required key at the mapping that lacks it', () => {
    const text = yaml('version: 1', 'name: Test', 'domains:', '  - host: shop.example', '    name: Shop');
    expect(compact(text)).toEqual([
      '4:5 domains.0.kind: missing required field (one of "e-commerce", "web3-app", "nft-marketplace", "saas", "dating", "affiliate", "lead-generation", "content", "other")',
    ]);
    expect(compact(yaml('name: Test', 'domains: []'))).toEqual([
      '1:1 version: missing required field (expected 1)',
      '2:10 domains: list at least one domain',
    ]);
  });

  it('reports an invalid date at its value', () => {
    const text = yaml(...HEAD, '    launched: 2025-02-29');
    expect(compact(text)).toEqual([
      '7:15 domains.0.launched: must be a real calendar date written YYYY-MM-DD',
    ]);
  });

  it('reports a duplicate host at the second host', () => {
    const text = yaml(...HEAD, '  - host: shop.example', '    name: Again', '    kind: saas');
    expect(compact(text)).toEqual([
      '7:11 domains.1.host: duplicate host "shop.example" (first at domains.0)',
    ]);
  });

  it('reports every YAML syntax error with its position, and no schema noise after them', () => {
    const text = yaml(
      'version: 1', // 1
      'name: Test: Two', // 2
      'domains:', // 3
      '  - host: shop.example', // 4
      '    name: Shop: Two', // 5
      '    kind: e-commerce', // 6
    );
    expect(compact(text)).toEqual([
      '2:7 (root): invalid YAML: Nested mappings are not allowed in compact mappings',
      '5:11 (root): invalid YAML: Nested mappings are not allowed in compact mappings',
    ]);
  });

  it('reports a tab used as indentation', () => {
    expect(compact('version: 1\nname: Test\ndomains:\n\t- host: a.example\n')[0]).toBe(
      '4:1 (root): invalid YAML: Tabs are not allowed as indentation',
    );
  });

  it('reports duplicate keys and still validates the rest', () => {
    const text = yaml(...HEAD, '    kind: saas', 'name: Again', 'owner: { name: Me, phone: 1 }');
    expect(compact(text)).toEqual([
      '7:5 domains.0.kind: duplicate key "kind": keys must be unique within a mapping',
      '8:1 name: duplicate key "name": keys must be unique within a mapping',
      '9:20 owner.phone: unknown key "phone"',
    ]);
  });

  it('reports an unresolved YAML tag as a problem at the tag', () => {
    expect(compact(yaml('version: 1', 'name: !brand Test', ...HEAD.slice(2)))).toEqual([
      '2:7 name: invalid YAML: Unresolved tag: !brand',
    ]);
  });

  it('validates aliased values and reports an unknown alias', () => {
    const shared = yaml(
      'version: 1',
      'name: Test',
      'domains:',
      '  - &shop { host: shop.example, name: Shop, kind: e-commerce }',
      '  - *shop',
    );
    expect(compact(shared)).toEqual([
      '5:5 domains.1.host: duplicate host "shop.example" (first at domains.0)',
    ]);
    expect(compact(yaml(...HEAD, '  - *nope'))).toEqual(['7:5 domains.1: unknown alias *nope']);
  });

  it('reports an empty document and a document that is not a mapping', () => {
    expect(compact('')).toEqual([
      '1:1 (root): the document is empty: expected a mapping with version, name and domains',
    ]);
    expect(compact('# nothing yet\n')[0]).toMatch(/^1:1 \(root\): the document is empty/);
    expect(compact('- a\n- b\n')).toEqual(['1:1 (root): Invalid input: expected object, received array']);
  });

  it('accepts the seed example', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const result = parsePortfolio(text, EXAMPLE);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.portfolio.domains).toHaveLength(7);
  });
});

describe('loadPortfolioFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portfolio-load-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a valid file', async () => {
    const result = await loadPortfolioFile(EXAMPLE);
    expect(result).toMatchObject({ ok: true, file: EXAMPLE });
  });

  it('reports a missing file as one problem at 1:1', async () => {
    const file = join(dir, 'missing.yaml');
    expect(await loadPortfolioFile(file)).toEqual({
      ok: false,
      file,
      problems: [
        { file, line: 1, col: 1, path: '(root)', message: 'cannot read portfolio file: file not found' },
      ],
    });
  });

  it('reports a directory as one problem at 1:1', async () => {
    const result = await loadPortfolioFile(dir);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map(formatProblem)).toEqual([
        `${dir}:1:1 (root): cannot read portfolio file: is a directory, not a file`,
      ]);
  });
});

describe('formatProblem', () => {
  it('prints FILE:LINE:COL field.path: message', () => {
    expect(
      formatProblem({ file: 'p.yaml', line: 12, col: 7, path: 'domains.2.kind', message: 'bad kind' }),
    ).toBe('p.yaml:12:7 domains.2.kind: bad kind');
  });
});
