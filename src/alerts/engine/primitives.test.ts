import { describe, expect, it } from 'vitest';
import { formatDuration, parseDurationMs } from './duration.ts';
import { commonLabels, fingerprint, labelsKey, pickLabels } from './labels.ts';
import { matches, parseMatcher } from './matchers.ts';

describe('durations', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['250ms', 250],
    ['1m30s500ms', 90_500],
  ])('%s = %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', '5', '5 minutes', '1m1h', '1.5h', '-1m', 'immediate', '5M'])('rejects %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it('formats back to the shortest form', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(0)).toBe('0s');
    expect(parseDurationMs(formatDuration(694_861_001))).toBe(694_861_001);
  });
});

describe('labels', () => {
  it('fingerprints ignore the order of labels and tell values apart', () => {
    expect(fingerprint({ a: '1', b: '2' })).toBe(fingerprint({ b: '2', a: '1' }));
    expect(fingerprint({ a: '1', b: '2' })).not.toBe(fingerprint({ a: '1', b: '3' }));
    expect(fingerprint({ a: '1,b="2"' })).not.toBe(fingerprint({ a: '1', b: '2' }));
    expect(labelsKey({ b: 'x', a: 'y' })).toBe('{a="y",b="x"}');
  });

  it('common labels are those every set shares', () => {
    expect(
      commonLabels([
        { a: '1', b: '2' },
        { a: '1', b: '3' },
      ]),
    ).toEqual({ a: '1' });
    expect(commonLabels([])).toEqual({});
  });

  it("pickLabels keeps the present ones; '...' keeps all", () => {
    expect(pickLabels({ a: '1', b: '2' }, ['a', 'c'])).toEqual({ a: '1' });
    expect(pickLabels({ a: '1', b: '2' }, ['...'])).toEqual({ a: '1', b: '2' });
  });
});

describe('matchers', () => {
  it.each([
    ['severity="critical"', { severity: 'critical' }, true],
    ['severity=critical', { severity: 'critical' }, true],
    ['severity!="critical"', { severity: 'high' }, true],
    ['severity!="critical"', {}, true],
    ['domain=""', {}, true],
    ['domain=~"fixie\\\\..*"', { domain: 'fixie.run' }, true],
    ['domain=~"fixie"', { domain: 'fixie.run' }, false],
    ['domain!~"seo.*|aiftw.be"', { domain: 'aiftw.be' }, false],
    ['domain!~"seo.*|aiftw.be"', { domain: 'fixie.run' }, true],
  ])('%s on %o → %s', (text, labels, expected) => {
    const m = parseMatcher(text);
    expect(typeof m).toBe('object');
    if (typeof m === 'string') return;
    expect(matches(m, labels)).toBe(expected);
  });

  it('explains a malformed matcher', () => {
    expect(parseMatcher('severity')).toMatch(/must be a matcher/);
    expect(parseMatcher('1x="a"')).toMatch(/must be a matcher/);
  });
});
