import type { TargetingCondition } from './experiment-schema.ts';

/** Attribute values of one visit; absent or empty means unknown. Compared case-insensitively. */
export type Attributes = Partial<Record<string, string | null | undefined>>;

/** Whether a visit matches every targeting condition (an empty list matches everyone). */
export function matchesTargeting(conditions: readonly TargetingCondition[], attributes: Attributes): boolean {
  return conditions.every((c) => matchesCondition(c, attributes));
}

function matchesCondition(c: TargetingCondition, attributes: Attributes): boolean {
  const raw = attributes[c.attribute];
  const value = raw === undefined || raw === null || raw === '' ? undefined : raw.toLowerCase();
  switch (c.op) {
    case 'exists':
      return value !== undefined;
    case 'notExists':
      return value === undefined;
    case 'eq':
      return value === c.value.toLowerCase();
    case 'neq':
      return value !== c.value.toLowerCase();
    case 'in':
      return value !== undefined && c.values.some((v) => v.toLowerCase() === value);
    case 'nin':
      return value === undefined || !c.values.some((v) => v.toLowerCase() === value);
    case 'contains':
      return (value ?? '').includes(c.value.toLowerCase());
    case 'startsWith':
      return (value ?? '').startsWith(c.value.toLowerCase());
  }
}

/** The same conditions as a GrowthBook `condition` (MongoDB-style), for SDKs that evaluate targeting. */
export function toGrowthBookCondition(conditions: readonly TargetingCondition[]): Record<string, unknown> {
  const parts = conditions.map(toMongo);
  if (parts.length === 0) return {};
  if (parts.length === 1) return parts[0] as Record<string, unknown>;
  return { $and: parts };
}

function toMongo(c: TargetingCondition): Record<string, unknown> {
  switch (c.op) {
    case 'exists':
      return { [c.attribute]: { $exists: true } };
    case 'notExists':
      return { [c.attribute]: { $exists: false } };
    case 'eq':
      return { [c.attribute]: c.value };
    case 'neq':
      return { [c.attribute]: { $ne: c.value } };
    case 'in':
      return { [c.attribute]: { $in: c.values } };
    case 'nin':
      return { [c.attribute]: { $nin: c.values } };
    case 'contains':
      return { [c.attribute]: { $regex: escapeRegex(c.value), $options: 'i' } };
    case 'startsWith':
      return { [c.attribute]: { $regex: `^${escapeRegex(c.value)}`, $options: 'i' } };
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
