import { defineConfig } from 'vitest/config';

// Unit tests (*.test.ts) run once; integration tests (*.int.test.ts) run once per backend:
// the embedded PGlite and a real PostgreSQL server (TEST_DATABASE_URL).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          env: { TEST_BACKEND: 'pglite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          env: { TEST_BACKEND: 'postgres' },
          globalSetup: ['src/test-support/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
