import { describe, inject } from 'vitest';
import { testBackend } from './test-db.ts';

/** `describe` for an integration suite, labelled with its backend; skipped only when PostgreSQL is absent outside CI. */
export function describeIntegration(name: string, fn: () => void): void {
  const backend = testBackend();
  const skip = backend === 'postgres' && Boolean(inject('postgresUnavailable'));
  describe.skipIf(skip)(`${name} [${backend}]`, fn);
}
