import type { Db } from '../../db/types.ts';
import { type MonitoredDomain, resolveChecks, type UptimeCheck, type UptimeConfig } from './check-schema.ts';
import { type RecordedCheck, recordCheck } from './record-check.ts';
import { type CheckResult, runCheck, type TlsOptions } from './run-check.ts';

export interface DueCheckOptions {
  now: Date;
  config?: UptimeConfig;
  tls?: TlsOptions;
  /** Checks run at once (default 8). */
  concurrency?: number;
  /** Replaces the HTTP check (a test of the scheduling alone); default runCheck. */
  runCheckImpl?: (check: UptimeCheck, tls: TlsOptions) => Promise<CheckResult>;
}

export interface CheckRun extends RecordedCheck {
  host: string;
  domainId: string;
  checkedAt: Date;
  result: CheckResult;
}

/** The domains' last run, to know which checks are due (one index probe per domain). */
async function monitoredDomains(db: Db): Promise<(MonitoredDomain & { lastCheckedAt: Date | null })[]> {
  const res = await db.query<{ id: string; host: string; status: string; last: Date | null }>(
    `SELECT d.id, d.host, d.status, c.checked_at AS last
       FROM domains d
       LEFT JOIN LATERAL (
         SELECT checked_at FROM uptime_checks u WHERE u.domain_id = d.id ORDER BY checked_at DESC LIMIT 1
       ) c ON true
      WHERE d.archived_at IS NULL
      ORDER BY d.host`,
  );
  return res.rows.map((r) => ({ ...r, lastCheckedAt: r.last ? new Date(r.last) : null }));
}

/**
 * Runs every check whose interval has passed since its last run (all of them the first time) and
 * records the results; returns what happened, incidents and TLS warnings included.
 */
export async function runDueChecks(db: Db, options: DueCheckOptions): Promise<CheckRun[]> {
  const { now } = options;
  const checks = resolveChecks(await monitoredDomains(db), options.config).filter(
    (c) =>
      c.domain.lastCheckedAt === null ||
      c.domain.lastCheckedAt.getTime() + c.intervalSeconds * 1000 <= now.getTime(),
  );
  const run = options.runCheckImpl ?? runCheck;
  const tls = options.tls ?? {};
  const out: CheckRun[] = [];
  const queue = [...checks];
  const worker = async () => {
    for (let check = queue.shift(); check; check = queue.shift()) {
      const result = await run(check, tls);
      const domainId = check.domain.id;
      // One short transaction per result, after the network part: no transaction waits on a peer.
      const recorded = await db.transaction((tx) => recordCheck(tx, { domainId, checkedAt: now, result }));
      out.push({ host: check.host, domainId, checkedAt: now, result, ...recorded });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, checks.length) }, worker));
  return out.sort((a, b) => a.host.localeCompare(b.host));
}
