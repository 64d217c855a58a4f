import { z } from 'zod';
import { IsoDate, Level, Money, Name, Slug, Text, TextList } from './common.ts';
import { always, type Ctx, field, num, records } from './loose.ts';

export const DeliverableStatus = z.enum(['planned', 'in-progress', 'done', 'blocked']);
export type DeliverableStatus = z.infer<typeof DeliverableStatus>;

export const Deliverable = z.strictObject({
  name: Name,
  description: Text,
  deadline: IsoDate.describe('Within the phase.'),
  owner: Name,
  status: DeliverableStatus.default('planned'),
});
export type Deliverable = z.infer<typeof Deliverable>;

export const Milestone = z.strictObject({
  name: Name,
  date: IsoDate.describe('Within the phase.'),
  description: Text,
  criteria: z.array(Text).min(1).describe('Conditions that must hold for the milestone to count as reached.'),
});
export type Milestone = z.infer<typeof Milestone>;

export const PhaseResource = z.strictObject({
  type: Slug.describe('Kind of resource, e.g. technical, infrastructure, tools.'),
  quantity: z.number().positive().max(1e6),
  cost: Money,
});
export type PhaseResource = z.infer<typeof PhaseResource>;

export const Workstream = z
  .strictObject({
    name: Name,
    month: z.int().min(1).max(120).describe('Month of the phase the work happens in, 1 = the first.'),
    taskGroups: z
      .array(
        z.strictObject({
          name: Name.describe('e.g. "Week 1" or "Primary domains".'),
          tasks: z.array(Text).min(1),
        }),
      )
      .min(1),
    successCriteria: TextList.default([]),
  })
  .describe('A detailed execution plan for part of a phase (seed §13).');
export type Workstream = z.infer<typeof Workstream>;

/** Budget rule: when resources are listed, budget must equal the sum of their costs (list a reserve as a resource). */
export const RoadmapPhase = z
  .strictObject({
    id: Slug.describe('Stable id; unique.'),
    name: Name,
    start: IsoDate,
    end: IsoDate.describe('Last day of the phase; not before start.'),
    objectives: z.array(Text).min(1),
    deliverables: z.array(Deliverable).default([]),
    milestones: z.array(Milestone).default([]),
    dependencies: TextList.default([]),
    resources: z.array(PhaseResource).default([]),
    budget: Money.describe('Total budget; equals the sum of resource costs when resources are listed.'),
    riskLevel: Level,
    successCriteria: TextList.default([]),
    workstreams: z.array(Workstream).default([]),
  })
  .superRefine(checkPhase, always)
  .describe('A phase of the roadmap (seed §6, §13).');
export type RoadmapPhase = z.infer<typeof RoadmapPhase>;

export const Roadmap = z.strictObject({ phases: z.array(RoadmapPhase).default([]) });
export type Roadmap = z.infer<typeof Roadmap>;

// ---------------------------------------------------------------------------------------------
// Cross-field checks of a phase (defensive: they also run on a partly invalid phase)
// ---------------------------------------------------------------------------------------------

function date(v: unknown): string | undefined {
  return typeof v === 'string' && IsoDate.safeParse(v).success ? v : undefined;
}
function monthsSpanned(start: string, end: string): number {
  const [sy, sm] = start.split('-').map(Number);
  const [ey, em] = end.split('-').map(Number);
  return ((ey ?? 0) - (sy ?? 0)) * 12 + ((em ?? 0) - (sm ?? 0)) + 1;
}

/** Phase dates in order, deliverables and milestones inside them, budget = resources, workstream months. */
function checkPhase(phase: unknown, ctx: Ctx): void {
  const start = date(field(phase, 'start'));
  const end = date(field(phase, 'end'));
  if (start && end && end < start) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: `must not be before start (${start})` });
    return; // "inside the phase" means nothing until its dates are in order
  }
  const inPhase = (value: unknown, path: PropertyKey[]) => {
    const d = date(value);
    if (d && start && d < start)
      ctx.addIssue({ code: 'custom', path, message: `${d} is before the phase start ${start}` });
    if (d && end && d > end)
      ctx.addIssue({ code: 'custom', path, message: `${d} is after the phase end ${end}` });
  };
  for (const [i, d] of records(field(phase, 'deliverables')).entries())
    inPhase(d?.deadline, ['deliverables', i, 'deadline']);
  for (const [i, m] of records(field(phase, 'milestones')).entries())
    inPhase(m?.date, ['milestones', i, 'date']);
  const resources = records(field(phase, 'resources'));
  const costs = resources.map((r) => num(r?.cost));
  const budget = num(field(phase, 'budget'));
  if (budget !== undefined && costs.length > 0 && costs.every((c) => c !== undefined)) {
    const sum = costs.reduce<number>((a, c) => a + (c ?? 0), 0);
    if (Math.abs(sum - budget) > 0.005)
      ctx.addIssue({
        code: 'custom',
        path: ['budget'],
        message: `must equal the sum of resource costs (${sum})`,
      });
  }
  if (start && end) {
    const months = monthsSpanned(start, end);
    records(field(phase, 'workstreams')).forEach((w, i) => {
      const month = num(w?.month);
      if (month !== undefined && month > months)
        ctx.addIssue({
          code: 'custom',
          path: ['workstreams', i, 'month'],
          message: `the phase spans ${months} month(s)`,
        });
    });
  }
}
