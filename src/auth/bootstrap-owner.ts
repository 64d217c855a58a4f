import type { Db } from '../db/types.ts';
import { systemActor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { generateToken, hashToken } from './tokens.ts';

export interface BootstrapResult {
  /** Set only when a new owner was created and no OWNER_TOKEN was given: print it once. */
  createdToken?: string;
  createdOwner: boolean;
  ownerTokenInstalled: boolean;
}

/**
 * First start: creates the owner account. With OWNER_TOKEN set, makes that token a valid
 * login of the (first) owner on every start, replacing a previous OWNER_TOKEN.
 */
export async function bootstrapOwner(
  db: Db,
  options: { ownerEmail: string; ownerToken?: string | undefined },
): Promise<BootstrapResult> {
  const actor = systemActor('bootstrap');
  return db.transaction(async (tx) => {
    // Serialise concurrent first starts of several instances.
    await tx.query('SELECT pg_advisory_xact_lock(727002)');
    const existing = await tx.query<{ id: string }>(
      "SELECT id FROM operators WHERE role = 'owner' ORDER BY created_at LIMIT 1",
    );
    let ownerId = existing.rows[0]?.id;
    let createdToken: string | undefined;
    const createdOwner = !ownerId;
    if (!ownerId) {
      const res = await tx.query<{ id: string }>(
        "INSERT INTO operators (email, name, role, all_domains) VALUES ($1, 'Owner', 'owner', true) RETURNING id",
        [options.ownerEmail.toLowerCase()],
      );
      ownerId = (res.rows[0] as { id: string }).id;
      await writeAudit(tx, actor, {
        action: 'operator.add',
        targetType: 'operator',
        targetId: ownerId,
        details: { email: options.ownerEmail, role: 'owner', reason: 'first start' },
      });
      if (!options.ownerToken) {
        createdToken = generateToken('op');
        await tx.query(
          "INSERT INTO operator_credentials (operator_id, kind, token_hash, label) VALUES ($1, 'token', $2, 'first start')",
          [ownerId, hashToken(createdToken)],
        );
      }
    }
    let ownerTokenInstalled = false;
    if (options.ownerToken) {
      const hash = hashToken(options.ownerToken);
      const current = await tx.query(
        'SELECT 1 FROM operator_credentials WHERE token_hash = $1 AND revoked_at IS NULL',
        [hash],
      );
      if (current.rowCount === 0) {
        await tx.query(
          "UPDATE operator_credentials SET revoked_at = now() WHERE label = 'OWNER_TOKEN' AND revoked_at IS NULL",
        );
        await tx.query(
          "INSERT INTO operator_credentials (operator_id, kind, token_hash, label) VALUES ($1, 'token', $2, 'OWNER_TOKEN') ON CONFLICT (token_hash) DO UPDATE SET revoked_at = NULL, operator_id = EXCLUDED.operator_id, kind = 'token', label = 'OWNER_TOKEN', expires_at = NULL",
          [ownerId, hash],
        );
        await writeAudit(tx, actor, {
          action: 'operator.token_set',
          targetType: 'operator',
          targetId: ownerId,
        });
        ownerTokenInstalled = true;
      }
    }
    return { createdOwner, ownerTokenInstalled, ...(createdToken ? { createdToken } : {}) };
  });
}
