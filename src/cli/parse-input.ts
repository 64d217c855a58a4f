import type { z } from 'zod';
import { UsageError } from './cli-io.ts';

/** Validates command-line values with the same schema as the HTTP API; errors name the flag. */
export function parseInput<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.infer<S> {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const result = schema.safeParse(defined);
  if (result.success) return result.data;
  throw new UsageError(
    result.error.issues
      .map((i) => {
        const flag = i.path.length > 0 ? `--${String(i.path[0])}` : 'input';
        return `${flag}: ${i.message}`;
      })
      .join('; '),
  );
}
