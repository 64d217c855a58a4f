import type { Db } from '../db/types.ts';
import type { Actor } from './actor.ts';

/** Everything a service verb needs: who acts, on which database, and what time it is. */
export interface Ctx {
  db: Db;
  actor: Actor;
  now: Date;
}
