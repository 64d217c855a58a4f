import { requireServerWriter } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import type { Tx } from '../../db/types.ts';
import { loadEurRates } from '../revenue/currency-rates.sql.ts';
import { centsOfNumeric, convertToEurCents, formatCents } from '../revenue/money.ts';
import { COST_COLUMNS, type Cost, derivedCostIds, parseCostRow } from './cost-rows.ts';
import { type CostRow, insertCosts, type StoredCost, selectCosts, updateCosts } from './costs.sql.ts';
import type { ImportInput } from './import-commissions.ts';
import { type ImportReport, ReportBuilder } from './import-report.ts';
import { importScope, inImportTransaction } from './import-scope.ts';
import { readCsv } from './read-csv.ts';

export const COST_SOURCE = 'csv';
const PORTFOLIO_WIDE = 'a portfolio-wide cost (no domain) needs access to all domains';

interface Pending {
  line: number;
  row: CostRow;
  /** The stored row this one replaces, or null for a new cost. */
  stored: StoredCost | null;
}

/**
 * Imports costs, amounts normalised to EUR. Idempotent on external_id (derived from the row's
 * content when the column is empty): the same row again is unchanged; a row whose values changed
 * updates the stored cost — the file is the source of truth for the costs it names.
 */
export async function importCosts({ ctx, input }: { ctx: Ctx; input: ImportInput }): Promise<ImportReport> {
  requireServerWriter(ctx.actor);
  const table = await readCsv(input.csv, COST_COLUMNS);
  const report = new ReportBuilder('costs', table.rows.length, table.ignoredColumns);
  return inImportTransaction(ctx, { allOrNothing: input.allOrNothing, report }, async (tx) => {
    const scope = await importScope(tx, ctx, input.domain);
    const parsed: { line: number; cost: Cost }[] = [];
    for (const row of table.rows) {
      const result = parseCostRow(row, scope.defaultHost, ctx.now);
      if (result.ok) parsed.push({ line: row.line, cost: result.value });
      else report.reject({ line: row.line, field: result.field, message: result.message });
    }
    const derived = derivedCostIds(parsed.map((p) => p.cost));
    const hosts = [...new Set(parsed.flatMap((p) => (p.cost.host ? [p.cost.host] : [])))];
    const resolve = await scope.resolver(hosts);
    const rates = await loadEurRates(tx);

    const candidates: { line: number; cost: Cost; externalId: string; domainId: string | null }[] = [];
    for (const [i, { line, cost }] of parsed.entries()) {
      const domain = cost.host
        ? resolve(cost.host)
        : scope.unscoped
          ? { id: null }
          : { problem: PORTFOLIO_WIDE };
      if ('problem' in domain) {
        report.reject({ line, field: 'domain', message: domain.problem });
      } else if (!rates.has(cost.currency)) {
        report.reject({ line, field: 'currency', message: `unknown currency ${cost.currency}` });
      } else {
        candidates.push({
          line,
          cost,
          externalId: cost.externalId ?? (derived[i] as string),
          domainId: domain.id,
        });
      }
    }

    const stored = new Map(
      (await selectCosts(tx, COST_SOURCE, [...new Set(candidates.map((c) => c.externalId))])).map((s) => [
        s.externalId,
        s,
      ]),
    );
    // Applied in file order: a later row with the same external_id replaces an earlier one.
    const latest = new Map<string, Pending>();
    for (const { line, cost, externalId, domainId } of candidates) {
      const before = latest.get(externalId);
      const current = before ? toStored(before) : (stored.get(externalId) ?? null);
      const row = costRow(cost, externalId, domainId, current, rates.get(cost.currency) as string);
      if (current && sameCost(current, row)) {
        report.count('unchanged');
        continue;
      }
      report.count(current ? 'updated' : 'inserted');
      latest.set(externalId, { line, row, stored: before ? before.stored : current });
    }
    await write(tx, [...latest.values()], report);
  });
}

async function write(tx: Tx, pending: readonly Pending[], report: ReportBuilder): Promise<void> {
  const inserts = pending.filter((p) => !p.stored);
  const saved = await insertCosts(
    tx,
    COST_SOURCE,
    inserts.map((p) => p.row),
  );
  for (const p of inserts) {
    if (saved.has(p.row.externalId)) continue;
    report.uncount('inserted');
    report.reject({
      line: p.line,
      field: 'external_id',
      message: `external_id ${p.row.externalId} is already used by a cost outside your scope`,
    });
  }
  await updateCosts(
    tx,
    pending.flatMap((p) => (p.stored ? [{ ...p.row, id: p.stored.id }] : [])),
  );
}

function costRow(
  cost: Cost,
  externalId: string,
  domainId: string | null,
  current: StoredCost | null,
  rate: string,
): CostRow {
  // A correction of the description keeps the rate first used; a new amount or currency takes today's.
  const keepRate =
    current?.eurPerUnit &&
    current.currency === cost.currency &&
    current.amount !== null &&
    centsOfNumeric(current.amount) === cost.amountCents;
  const eurPerUnit = keepRate ? (current.eurPerUnit as string) : rate;
  return {
    externalId,
    domainId,
    category: cost.category,
    amount: formatCents(cost.amountCents),
    currency: cost.currency,
    eurPerUnit,
    amountEur: formatCents(convertToEurCents(cost.amountCents, eurPerUnit)),
    day: cost.day,
    description: cost.description,
    channel: cost.channel,
  };
}

function sameCost(stored: StoredCost, row: CostRow): boolean {
  return (
    stored.domainId === row.domainId &&
    stored.category === row.category &&
    stored.amount === row.amount &&
    stored.currency === row.currency &&
    stored.day === row.day &&
    stored.description === row.description &&
    stored.channel === row.channel
  );
}

function toStored(p: Pending): StoredCost {
  return {
    id: p.stored?.id ?? '',
    externalId: p.row.externalId,
    domainId: p.row.domainId,
    category: p.row.category,
    amount: p.row.amount,
    currency: p.row.currency,
    day: p.row.day,
    description: p.row.description,
    eurPerUnit: p.row.eurPerUnit,
    channel: p.row.channel,
  };
}
