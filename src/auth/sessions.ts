import type { Db } from '../db/types.ts';
import { AppError } from '../shared/app-error.ts';
import { authenticateBearer } from './authenticate.ts';
import { generateToken, hashToken } from './tokens.ts';

export const SESSION_COOKIE = 'pos_session';

/** Exchanges an operator login token for a dashboard session (cookie value). */
export async function createSession(
  db: Db,
  input: { token: string; now: Date; ttlHours: number },
): Promise<{ session: string; expiresAt: Date; email: string }> {
  const actor = await authenticateBearer(db, input.token, input.now);
  if (actor?.kind !== 'operator') {
    throw new AppError('unauthenticated', 'unknown or revoked login token', 'token');
  }
  const session = generateToken('sess');
  const expiresAt = new Date(input.now.getTime() + input.ttlHours * 3_600_000);
  await db.query(
    "INSERT INTO operator_credentials (operator_id, kind, token_hash, label, expires_at) VALUES ($1, 'session', $2, 'dashboard', $3)",
    [actor.operatorId, hashToken(session), expiresAt],
  );
  return { session, expiresAt, email: actor.email };
}

export async function endSession(db: Db, session: string, now: Date): Promise<void> {
  await db.query(
    "UPDATE operator_credentials SET revoked_at = $2 WHERE token_hash = $1 AND kind = 'session' AND revoked_at IS NULL",
    [hashToken(session), now],
  );
}
