import type { Json } from './vector-support.test-support.ts';

export const powerVectorHandlers: Record<string, (c: Json) => void> = {};
