import type { Db } from '../db/types.ts';
import { newSalt } from './enrich/visitor-id.ts';

/**
 * Today's visitor-id salt, shared by every instance through the database and replaced each UTC
 * day; older salts are deleted, so yesterday's visitor ids cannot be recomputed from an IP.
 */
export class SaltStore {
  private cached: { day: string; salt: string } | null = null;

  constructor(private readonly db: Db) {}

  async saltFor(now: Date): Promise<string> {
    const day = now.toISOString().slice(0, 10);
    if (this.cached?.day === day) return this.cached.salt;
    const salt = await this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO visitor_salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING', [
        day,
        newSalt(),
      ]);
      await tx.query('DELETE FROM visitor_salts WHERE day < $1', [day]);
      const res = await tx.query<{ salt: string }>('SELECT salt FROM visitor_salts WHERE day = $1', [day]);
      return (res.rows[0] as { salt: string }).salt;
    });
    this.cached = { day, salt };
    return salt;
  }
}
