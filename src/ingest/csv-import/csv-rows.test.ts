import { describe, expect, it } from 'vitest';
import { parseCommissionRow } from './commission-rows.ts';
import { derivedCostIds, parseCostRow } from './cost-rows.ts';
import { parseDateCell } from './csv-fields.ts';
import type { CsvRow } from './read-csv.ts';

const now = new Date('2026-11-26T12:00:00Z');
const row = (values: Record<string, string>, problem: string | null = null): CsvRow => ({
  line: 7,
  values,
  problem,
});

describe('parseDateCell', () => {
  it.each([
    ['2026-01-31', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31T14:05:00Z', '2026-01-31T14:05:00.000Z'],
    ['2026-01-31 14:05', '2026-01-31T14:05:00.000Z'],
    ['2026-01-31T14:05:00+02:00', '2026-01-31T12:05:00.000Z'],
    ['2026-01-31T14:05:00.123+0200', '2026-01-31T12:05:00.123Z'],
  ])('reads %s', (text, iso) => {
    const cell = parseDateCell(text, now);
    expect(cell.ok && cell.value.at.toISOString()).toBe(iso);
  });

  it('gives the UTC day', () => {
    const cell = parseDateCell('2026-01-31T23:30:00-02:00', now);
    expect(cell.ok && cell.value.day).toBe('2026-02-01');
  });

  it.each(['31/01/2026', '2026-02-30', '2026-13-01', 'yesterday', ''])('refuses %j', (text) => {
    expect(parseDateCell(text, now)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/must be a date/),
    });
  });

  it('refuses dates before 2000 or after tomorrow', () => {
    expect(parseDateCell('1999-12-31', now)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/between/),
    });
    expect(parseDateCell('2026-11-27', now).ok).toBe(true);
    expect(parseDateCell('2026-11-28', now).ok).toBe(false);
  });
});

describe('parseCommissionRow', () => {
  const good = {
    date: '2026-10-02',
    network: 'Amazon Associates',
    external_id: 'amzn-1',
    amount: '3.18',
    currency: 'eur',
    status: 'Approved',
  };

  it('reads a commission, lower-casing the network and falling back to the default domain', () => {
    const result = parseCommissionRow(row({ ...good, domain: '', note: 'bundle' }), 'puffs-store.com', now);
    expect(result).toEqual({
      ok: true,
      value: {
        host: 'puffs-store.com',
        network: 'amazon associates',
        externalId: 'amzn-1',
        amountCents: 318n,
        currency: 'EUR',
        status: 'approved',
        occurredAt: new Date('2026-10-02T00:00:00Z'),
        program: null,
        note: 'bundle',
      },
    });
  });

  it.each([
    [{ domain: '' }, null, 'domain', /no domain/],
    [{ domain: 'not a host' }, null, 'domain', /hostname/],
    [{ network: '' }, 'a.com', 'network', /1-50/],
    [{ external_id: '' }, 'a.com', 'external_id', /required/],
    [{ amount: '3.185' }, 'a.com', 'amount', /2 decimals/],
    [{ amount: '-3' }, 'a.com', 'amount', /status reversed/],
    [{ currency: 'euro' }, 'a.com', 'currency', /ISO 4217/],
    [{ status: 'cancelled' }, 'a.com', 'status', /pending, approved, paid, reversed/],
    [{ date: '02.10.2026' }, 'a.com', 'date', /must be a date/],
    [{ note: 'x'.repeat(1001) }, 'a.com', 'note', /1000/],
  ])('rejects %j naming the column', (change, fallback, field, message) => {
    expect(parseCommissionRow(row({ ...good, ...change }), fallback, now)).toEqual({
      ok: false,
      field,
      message: expect.stringMatching(message),
    });
  });

  it('rejects a structurally broken row as a whole', () => {
    expect(parseCommissionRow(row(good, 'expected 6 fields'), 'a.com', now)).toEqual({
      ok: false,
      field: 'row',
      message: 'expected 6 fields',
    });
  });
});

describe('parseCostRow', () => {
  const good = { date: '2026-10-01', category: 'Infrastructure', amount: '48', currency: 'USD' };

  it('reads a portfolio-wide cost when no domain is given, negative amounts included', () => {
    expect(parseCostRow(row({ ...good, amount: '-5.5' }), null, now)).toEqual({
      ok: true,
      value: {
        host: null,
        category: 'infrastructure',
        amountCents: -550n,
        currency: 'USD',
        day: '2026-10-01',
        description: null,
        externalId: null,
        channel: null,
      },
    });
  });

  it('reads the acquisition channel of a marketing cost, bounded like other text', () => {
    const paid = parseCostRow(row({ ...good, category: 'marketing', channel: 'Paid Search' }), null, now);
    expect(paid).toMatchObject({ ok: true, value: { category: 'marketing', channel: 'Paid Search' } });
    expect(parseCostRow(row({ ...good, channel: 'x'.repeat(101) }), null, now)).toMatchObject({
      ok: false,
      field: 'channel',
    });
  });

  it('rejects an unknown category and an overlong description', () => {
    expect(parseCostRow(row({ ...good, category: 'rent' }), null, now)).toMatchObject({
      ok: false,
      field: 'category',
    });
    expect(parseCostRow(row({ ...good, description: 'x'.repeat(501) }), null, now)).toMatchObject({
      ok: false,
      field: 'description',
    });
  });

  it('derives stable ids from content, numbering identical rows', () => {
    const a = parseCostRow(row(good), null, now);
    const b = parseCostRow(row({ ...good, amount: '49' }), null, now);
    if (!a.ok || !b.ok) throw new Error('rows should parse');
    const ids = derivedCostIds([a.value, b.value, a.value]);
    expect(ids[0]).toMatch(/^row:[0-9a-f]{32}:0$/);
    expect(ids[1]).not.toBe(ids[0]);
    expect(ids[2]).toBe(ids[0]?.replace(/:0$/, ':1'));
    expect(derivedCostIds([a.value])).toEqual([ids[0]]);
  });
});
