import type { Queryable } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';

/** A user as a domain's server names it: our id, or the domain's own id for it. */
export type UserRef = { userId: string } | { externalId: string };

// Active on the domain: the domain has seen the user (identify, events with a user id).
const FIND_DOMAIN_USER = `
  SELECT u.id FROM users u
   WHERE u.is_active
     AND u.id = coalesce($2::uuid,
                 (SELECT x.user_id FROM user_external_ids x WHERE x.domain_id = $1 AND x.external_id = $3))
     AND EXISTS (SELECT 1 FROM user_domains ud WHERE ud.user_id = u.id AND ud.domain_id = $1)`;

/** The user id of an active user known on `domainId`; 404 (same answer for unknown and foreign). */
export async function findDomainUser(q: Queryable, domainId: string, ref: UserRef, field: string) {
  const userId = 'userId' in ref ? ref.userId : null;
  const externalId = 'externalId' in ref ? ref.externalId : null;
  const res = await q.query<{ id: string }>(FIND_DOMAIN_USER, [domainId, userId, externalId]);
  const row = res.rows[0];
  if (!row)
    throw new AppError(
      'not_found',
      `no active user ${userId ?? externalId} on this domain (identify the user on the domain first)`,
      field,
    );
  return row.id;
}
