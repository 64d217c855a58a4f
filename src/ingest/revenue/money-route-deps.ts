import type { ServerDeps } from '../../server/build-server.ts';

/** What the money routes use of the server's dependencies (a full ServerDeps will do). */
export type MoneyRouteDeps = Pick<ServerDeps, 'db' | 'portfolio'>;
