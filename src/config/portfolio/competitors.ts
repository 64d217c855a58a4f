import { z } from 'zod';
import { Host, IntegrationLevel, Level, Money, Name, Percent, Text, TextList } from './common.ts';

export const Competitor = z
  .strictObject({
    name: Name.describe('Competitor name; unique.'),
    host: Host.describe("The competitor's main hostname."),
    url: z.httpUrl().optional().describe('Page of the competing product when it is not the home page.'),
    marketSharePct: Percent.describe('Share of the contested market, percent.'),
    annualRevenue: Money,
    strengths: TextList.default([]),
    weaknesses: TextList.default([]),
    threatLevel: Level,
    positioning: Text,
    technology: TextList.default([]),
    web3Integration: IntegrationLevel,
    aiAutomation: IntegrationLevel,
    competesWith: z.array(Host).default([]).describe('Hosts of our domains this competitor competes with.'),
  })
  .describe('A competitor (seed §5).');
export type Competitor = z.infer<typeof Competitor>;
