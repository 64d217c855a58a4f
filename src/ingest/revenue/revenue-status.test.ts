import { describe, expect, it } from 'vitest';
import { defaultStatus, RevenueStatus, statusChange } from './revenue-status.ts';
import { streamCatalogOf, streamProblem } from './stream-catalog.ts';

describe('revenue status transitions', () => {
  it('walks a commission forward: pending → approved → paid → reversed', () => {
    expect(statusChange('pending', 'approved')).toBe('allowed');
    expect(statusChange('approved', 'paid')).toBe('allowed');
    expect(statusChange('paid', 'reversed')).toBe('allowed');
  });

  it('may skip a step forward and reverse from any live status', () => {
    expect(statusChange('pending', 'paid')).toBe('allowed');
    for (const from of ['pending', 'approved', 'paid', 'completed'] as const) {
      expect(statusChange(from, 'reversed')).toBe('allowed');
    }
  });

  it('never goes back, and reversed is final', () => {
    expect(statusChange('paid', 'approved')).toBe('illegal');
    expect(statusChange('approved', 'pending')).toBe('illegal');
    expect(statusChange('completed', 'pending')).toBe('illegal');
    for (const to of RevenueStatus.options.filter((s) => s !== 'reversed')) {
      expect(statusChange('reversed', to)).toBe('illegal');
    }
  });

  it('lets a failed payment succeed on retry, but not fail a settled one', () => {
    expect(statusChange('failed', 'paid')).toBe('allowed');
    expect(statusChange('failed', 'completed')).toBe('allowed');
    expect(statusChange('paid', 'failed')).toBe('illegal');
  });

  it('reports the same status as same, for every status', () => {
    for (const s of RevenueStatus.options) expect(statusChange(s, s)).toBe('same');
  });

  it('starts commissions pending and everything else completed', () => {
    expect(defaultStatus('affiliate')).toBe('pending');
    expect(defaultStatus('order')).toBe('completed');
    expect(defaultStatus('refund')).toBe('completed');
  });
});

describe('revenue streams from the portfolio', () => {
  const catalog = streamCatalogOf({
    revenueStreams: [
      { id: 'shop', domain: 'shop.example' },
      { id: 'affiliates', crossPlatform: true },
    ] as never,
  });

  it('accepts a stream on its own domain, and a cross-platform stream anywhere', () => {
    expect(streamProblem(catalog, 'shop', 'shop.example')).toBeNull();
    expect(streamProblem(catalog, 'affiliates', 'other.example')).toBeNull();
  });

  it('names an unknown stream and a stream of another domain', () => {
    expect(streamProblem(catalog, 'nope', 'shop.example')).toMatch(/unknown revenue stream nope/);
    expect(streamProblem(catalog, 'shop', 'other.example')).toMatch(/belongs to shop.example/);
  });
});
