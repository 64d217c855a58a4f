import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from './check-command.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/seed-portfolio.yaml', import.meta.url));

async function check(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCheck(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

describe('portfolio-os check', () => {
  let dir: string;
  let invalid: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portfolio-check-'));
    invalid = join(dir, 'invalid.yaml');
    await writeFile(
      invalid,
      [
        'version: 1',
        'name: Test',
        'domains:',
        '  - host: Shop.example',
        '    name: Shop',
        '    kind: shop',
        'extra: 1',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a summary line for a valid file and exits 0', async () => {
    expect(await check(EXAMPLE)).toEqual({
      code: 0,
      out: [`${EXAMPLE}: ok (7 domains, 5 revenue streams, 12 KPIs, 5 risks)`],
      err: [],
    });
  });

  it('prints every problem, then a count, and exits 1 for an invalid file', async () => {
    const { code, out, err } = await check(invalid);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([
      `${invalid}:4:11 domains.0.host: must be lowercase (hostnames are compared exactly)`,
      `${invalid}:6:11 domains.0.kind: Invalid option: expected one of "e-commerce"|"web3-app"|"nft-marketplace"|"saas"|"dating"|"affiliate"|"lead-generation"|"content"|"other"`,
      `${invalid}:7:1 extra: unknown key "extra"`,
      `${invalid}: 3 problem(s)`,
    ]);
  });

  it('checks every file given and fails if any fails', async () => {
    const missing = join(dir, 'missing.yaml');
    const { code, out, err } = await check(EXAMPLE, missing);
    expect(code).toBe(1);
    expect(out).toEqual([`${EXAMPLE}: ok (7 domains, 5 revenue streams, 12 KPIs, 5 risks)`]);
    expect(err).toEqual([
      `${missing}:1:1 (root): cannot read portfolio file: file not found`,
      `${missing}: 1 problem(s)`,
    ]);
  });

  it('prints usage for --help and exits 0', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, out, err } = await check(flag);
      expect(code).toBe(0);
      expect(err).toEqual([]);
      expect(out.join('\n')).toMatch(/^Usage: portfolio-os check FILE \[FILE…\]/);
    }
  });

  it('is a usage error (exit 2) without a file', async () => {
    const { code, out, err } = await check();
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(/^portfolio-os check: no file given\n\nUsage: portfolio-os check/);
  });

  it('is a usage error (exit 2) for an unknown flag, and checks nothing', async () => {
    const { code, out, err } = await check('--strict', EXAMPLE);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(/^portfolio-os check: unknown option "--strict"\n\nUsage:/);
  });
});
