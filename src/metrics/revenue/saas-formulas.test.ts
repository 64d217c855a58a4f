import { describe, expect, it } from 'vitest';
import {
  arpa,
  clvToCac,
  customerAcquisitionCost,
  customerChurnRate,
  customerLifetimeValue,
  grossMargin,
  grossMrrChurn,
  monthlyRate,
  monthsInRange,
  netMrrChurn,
  netRevenueRetention,
  paybackMonths,
} from './saas-formulas.ts';

describe('SaaS formulas', () => {
  it('ARPA is MRR per paying customer; null without customers', () => {
    expect(arpa(110, 3)).toBeCloseTo(36.6667, 4);
    expect(arpa(0, 0)).toBeNull();
  });

  it('customer churn rate divides by the customers at the start; null when there were none', () => {
    expect(customerChurnRate(1, 4)).toBe(0.25);
    expect(customerChurnRate(0, 4)).toBe(0);
    expect(customerChurnRate(1, 0)).toBeNull();
  });

  it('counts whole calendar months as such, other ranges as days ÷ 30.4375', () => {
    expect(monthsInRange('2026-03-01', '2026-03-31', 31)).toBe(1);
    expect(monthsInRange('2026-02-01', '2026-02-28', 28)).toBe(1);
    expect(monthsInRange('2026-01-01', '2026-12-31', 365)).toBe(12);
    expect(monthsInRange('2026-03-02', '2026-03-31', 30)).toBeCloseTo(30 / 30.4375, 10);
    expect(monthsInRange('2026-03-01', '2026-03-30', 30)).toBeCloseTo(30 / 30.4375, 10);
  });

  it('turns a range rate into the monthly rate with the same survival', () => {
    expect(monthlyRate(0.5, 1)).toBe(0.5);
    // 1 − (1 − 0.19)^(1/2) = 1 − 0.9 = 0.1
    expect(monthlyRate(0.19, 2)).toBeCloseTo(0.1, 12);
    // A quarter of customers left over 12 months: 1 − 0.75^(1/12) ≈ 0.023688
    expect(monthlyRate(0.25, 12)).toBeCloseTo(0.023688, 6);
    expect(monthlyRate(0, 3)).toBe(0);
    expect(monthlyRate(1.5, 2)).toBe(1);
    expect(monthlyRate(null, 1)).toBeNull();
  });

  it('gross and net MRR churn relate to the start MRR; net is negative when expansion wins', () => {
    expect(grossMrrChurn(20, 5, 50)).toBe(0.5);
    // (20 + 5 − 30 − 15) ÷ 50 = −0.4
    expect(netMrrChurn({ churn: 20, contraction: 5, expansion: 30, reactivation: 15 }, 50)).toBeCloseTo(
      -0.4,
      12,
    );
    expect(grossMrrChurn(0, 0, 0)).toBeNull();
    expect(netMrrChurn({ churn: 0, contraction: 0, expansion: 10, reactivation: 0 }, 0)).toBeNull();
  });

  it('net revenue retention is the start cohort at the end over the start', () => {
    expect(netRevenueRetention(60, 50)).toBeCloseTo(1.2, 12);
    expect(netRevenueRetention(0, 0)).toBeNull();
  });

  it('CLV is ARPA over the monthly churn; null without churn or without customers', () => {
    expect(customerLifetimeValue(36, 0.5)).toBe(72);
    expect(customerLifetimeValue(36, 0)).toBeNull();
    expect(customerLifetimeValue(null, 0.5)).toBeNull();
    expect(customerLifetimeValue(36, null)).toBeNull();
  });

  it('CAC, CLV:CAC and payback; null where a divisor is missing or zero', () => {
    expect(customerAcquisitionCost(300, 2)).toBe(150);
    expect(customerAcquisitionCost(0, 2)).toBe(0);
    expect(customerAcquisitionCost(300, 0)).toBeNull();
    expect(clvToCac(72, 150)).toBeCloseTo(0.48, 12);
    expect(clvToCac(72, 0)).toBeNull();
    expect(clvToCac(null, 150)).toBeNull();
    expect(clvToCac(72, null)).toBeNull();
    expect(paybackMonths(150, 50)).toBe(3);
    expect(paybackMonths(150, 0)).toBeNull();
    expect(paybackMonths(null, 50)).toBeNull();
    expect(paybackMonths(150, null)).toBeNull();
  });

  it('gross margin needs positive revenue', () => {
    expect(grossMargin(150, 30)).toBeCloseTo(0.8, 12);
    expect(grossMargin(100, 130)).toBeCloseTo(-0.3, 12);
    expect(grossMargin(0, 30)).toBeNull();
    expect(grossMargin(-10, 0)).toBeNull();
  });
});
