import type { Tx } from '../../db/types.ts';
import { type IncidentTransition, recordDown, recordUp } from './incidents.ts';
import type { CheckResult } from './run-check.ts';
import { type TlsWarningLevel, tlsDaysLeft, tlsWarningDue } from './tls-expiry.ts';

export interface TlsWarning {
  level: TlsWarningLevel;
  validTo: Date;
  daysLeft: number;
}

export interface RecordedCheck {
  incident: IncidentTransition;
  tlsWarning: TlsWarning | null;
}

/** Stores one run's result, moves the domain's incident and records a due TLS warning: one transaction. */
export async function recordCheck(
  tx: Tx,
  input: { domainId: string; checkedAt: Date; result: CheckResult },
): Promise<RecordedCheck> {
  const { domainId, checkedAt: at, result: r } = input;
  await tx.query(
    `INSERT INTO uptime_checks (domain_id, checked_at, ok, status_code, response_ms, attempts, error, tls_valid_to)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      domainId,
      at,
      r.ok,
      r.statusCode,
      r.responseMs,
      r.attempts,
      r.error?.slice(0, 1000) ?? null,
      r.tlsValidTo,
    ],
  );
  const incident = r.ok
    ? await recordUp(tx, { domainId, at })
    : await recordDown(tx, { domainId, at, cause: r.cause ?? 'other', error: r.error });
  return {
    incident,
    tlsWarning: r.tlsValidTo ? await recordTlsWarning(tx, domainId, r.tlsValidTo, at) : null,
  };
}

async function recordTlsWarning(
  tx: Tx,
  domainId: string,
  validTo: Date,
  now: Date,
): Promise<TlsWarning | null> {
  const warned = await tx.query<{ level: TlsWarningLevel }>(
    'SELECT level FROM uptime_tls_warnings WHERE domain_id = $1 AND valid_to = $2',
    [domainId, validTo],
  );
  const level = tlsWarningDue(
    validTo,
    now,
    warned.rows.map((w) => w.level),
  );
  if (!level) return null;
  const inserted = await tx.query(
    `INSERT INTO uptime_tls_warnings (domain_id, valid_to, level, warned_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [domainId, validTo, level, now],
  );
  return inserted.rowCount === 1 ? { level, validTo, daysLeft: tlsDaysLeft(validTo, now) } : null;
}
