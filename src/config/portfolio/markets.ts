import { z } from 'zod';
import { CountryCode, Level, Money, Name, TextList } from './common.ts';

export const Market = z
  .strictObject({
    code: CountryCode.describe('ISO 3166-1 alpha-2 code of the market; unique.'),
    name: Name.describe('Market name, e.g. Germany.'),
    marketSizeEurBillions: z
      .number()
      .nonnegative()
      .max(100_000)
      .describe('Digital economy size, EUR billions.'),
    growthRatePct: z.number().min(-100).max(1000).describe('Annual market growth, percent.'),
    competitionLevel: Level,
    entryBarriers: TextList.default([]),
    revenuePotential: z
      .strictObject({ year1: Money, year2: Money, year3: Money })
      .describe('Revenue the portfolio could earn in this market in years 1–3 of entry.'),
    keyTrends: TextList.default([]),
    regulatoryFactors: TextList.default([]),
  })
  .describe('A geographic market assessed for expansion (seed §3).');
export type Market = z.infer<typeof Market>;
