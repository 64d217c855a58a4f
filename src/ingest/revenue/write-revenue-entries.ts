import type { Tx } from '../../db/types.ts';
import { loadEurRates } from './currency-rates.sql.ts';
import {
  linkUserByEmail,
  linkUsersToDomains,
  refreshTotalSpent,
  type UserDomain,
  visibleUserIds,
} from './link-users.sql.ts';
import { centsOfNumeric, convertToEurCents, formatCents } from './money.ts';
import {
  insertRevenueRows,
  keyOf,
  type NewRevenueRow,
  type RevenueKey,
  selectRevenueByKeys,
  updateRevenueStatuses,
} from './revenue-rows.sql.ts';
import {
  allowedNextStatuses,
  defaultStatus,
  type RevenueKind,
  type RevenueStatus,
  statusChange,
} from './revenue-status.ts';

/** One revenue fact from any source (API, CSV, Stripe), validated and with its domain resolved. */
export interface RevenueEntry extends RevenueKey {
  kind: RevenueKind;
  /** Signed: refunds are negative. */
  amountCents: bigint;
  currency: string;
  occurredAt: Date;
  /** null: the source did not say — a new row gets the kind's default, an existing row keeps its status. */
  status: RevenueStatus | null;
  userId: string | null;
  /** Lower-case e-mail of the buyer; ignored when userId is set. */
  email: string | null;
  stream: string | null;
  chain: string | null;
  transactionHash: string | null;
  metadata: Record<string, unknown>;
}

export type RejectedField = 'kind' | 'amount' | 'currency' | 'status' | 'userId' | 'externalId';

export type Rejection = {
  result: 'rejected';
  code: 'invalid_request' | 'conflict';
  field: RejectedField;
  message: string;
};

export type EntryOutcome =
  | { result: 'created'; id: string }
  | { result: 'duplicate'; id: string }
  | { result: 'updated'; id: string; previousStatus: RevenueStatus; status: RevenueStatus }
  | Rejection;

/** What the batch knows about one key: the stored row, or the row this batch will insert. */
interface KeyState {
  id: string | null;
  domainId: string;
  kind: RevenueKind;
  amountCents: bigint;
  currency: string;
  status: RevenueStatus;
  storedStatus: RevenueStatus | null;
  userId: string | null;
  insert: NewRevenueRow | null;
  /** Set when the row leaves `failed`: it dates from the payment that succeeded, not the failure. */
  redatedAt: Date | null;
}

/** An outcome decided before the rows are written; ids are known only afterwards. */
type Draft =
  | Rejection
  | { result: 'created' | 'duplicate'; key: string }
  | { result: 'updated'; key: string; previousStatus: RevenueStatus; status: RevenueStatus };

function rejected(code: Rejection['code'], field: RejectedField, message: string): Rejection {
  return { result: 'rejected', code, field, message };
}

/**
 * Records revenue entries inside the caller's (scoped) transaction, idempotently on
 * (domain, source, externalId): the same fact again changes nothing; a later status moves the
 * row forward along the allowed transitions; kind, amount and currency never change once
 * recorded. A row leaving `failed` takes the time of the entry that settles it (a retried payment
 * counts when it succeeded). Entries apply in order, so one batch may create a row and advance it.
 * A bad entry never throws: each gets an outcome, and the caller decides whether a rejection
 * aborts everything (API, --all-or-nothing) or only skips that entry.
 */
export async function writeRevenueEntries(tx: Tx, entries: readonly RevenueEntry[]): Promise<EntryOutcome[]> {
  const rates = await loadEurRates(tx);
  const userIds = [...new Set(entries.flatMap((e) => (e.userId ? [e.userId] : [])))];
  const visibleUsers = await visibleUserIds(tx, userIds);
  const state = new Map<string, KeyState>();
  for (const row of await selectRevenueByKeys(tx, uniqueKeys(entries))) {
    state.set(keyOf(row), {
      id: row.id,
      domainId: row.domainId,
      kind: row.kind,
      amountCents: centsOfNumeric(row.amount),
      currency: row.currency,
      status: row.status,
      storedStatus: row.status,
      userId: row.userId,
      insert: null,
      redatedAt: null,
    });
  }

  const drafts = entries.map((entry): Draft => {
    const rate = rates.get(entry.currency);
    if (rate === undefined) {
      return rejected(
        'invalid_request',
        'currency',
        `unknown currency ${entry.currency}: add its rate to currency_rates first`,
      );
    }
    if (entry.userId && !visibleUsers.has(entry.userId)) {
      return rejected(
        'invalid_request',
        'userId',
        `unknown user ${entry.userId} (or not a user of your domains)`,
      );
    }
    const key = keyOf(entry);
    const known = state.get(key);
    if (!known) {
      const status = entry.status ?? defaultStatus(entry.kind);
      state.set(key, {
        id: null,
        domainId: entry.domainId,
        kind: entry.kind,
        amountCents: entry.amountCents,
        currency: entry.currency,
        status,
        storedStatus: null,
        userId: entry.userId,
        insert: newRow(entry, status, rate),
        redatedAt: null,
      });
      return { result: 'created', key };
    }
    const mismatch = immutableMismatch(known, entry);
    if (mismatch) return mismatch;
    const wanted = entry.status ?? known.status;
    const change = statusChange(known.status, wanted);
    if (change === 'same') return { result: 'duplicate', key };
    if (change === 'illegal') {
      const next = allowedNextStatuses(known.status);
      return rejected(
        'conflict',
        'status',
        `externalId ${entry.externalId} is ${known.status}; it cannot become ${wanted}` +
          (next.length > 0 ? ` (allowed: ${next.join(', ')})` : ` (${known.status} is final)`),
      );
    }
    const previousStatus = known.status;
    known.status = wanted;
    if (previousStatus === 'failed') known.redatedAt = entry.occurredAt;
    if (known.insert) {
      known.insert.status = wanted;
      if (known.redatedAt) known.insert.occurredAt = known.redatedAt;
    }
    return { result: 'updated', key, previousStatus, status: wanted };
  });

  const creates = [...state.values()].filter((s) => s.insert !== null);
  await linkBuyers(tx, entries, drafts, state);
  const ids = await insertRevenueRows(
    tx,
    creates.map((s) => s.insert as NewRevenueRow),
  );
  for (const s of creates) s.id = ids.get(keyOf(s.insert as NewRevenueRow)) ?? null;
  const advanced = [...state.values()].filter(
    (s) => s.id !== null && s.storedStatus !== null && s.storedStatus !== s.status,
  );
  await updateRevenueStatuses(
    tx,
    advanced.map((s) => ({ id: s.id as string, status: s.status, occurredAt: s.redatedAt })),
  );
  await refreshTotalSpent(tx, buyersOf([...creates, ...advanced]));

  return drafts.map((d): EntryOutcome => {
    if (d.result === 'rejected') return d;
    const id = state.get(d.key)?.id;
    // A concurrent writer stored the same key between our read and our insert.
    if (!id)
      return rejected('conflict', 'externalId', 'this externalId was recorded concurrently; send it again');
    if (d.result === 'updated') {
      return { result: 'updated', id, previousStatus: d.previousStatus, status: d.status };
    }
    return { result: d.result, id };
  });
}

function uniqueKeys(entries: readonly RevenueEntry[]): RevenueKey[] {
  const keys = new Map<string, RevenueKey>();
  for (const e of entries) {
    keys.set(keyOf(e), { domainId: e.domainId, source: e.source, externalId: e.externalId });
  }
  return [...keys.values()];
}

function newRow(entry: RevenueEntry, status: RevenueStatus, rate: string): NewRevenueRow {
  return {
    domainId: entry.domainId,
    source: entry.source,
    externalId: entry.externalId,
    kind: entry.kind,
    amount: formatCents(entry.amountCents),
    currency: entry.currency,
    amountEur: formatCents(convertToEurCents(entry.amountCents, rate)),
    eurPerUnit: rate,
    occurredAt: entry.occurredAt,
    status,
    userId: entry.userId,
    stream: entry.stream,
    chain: entry.chain,
    transactionHash: entry.transactionHash,
    metadata: entry.metadata,
  };
}

function immutableMismatch(known: KeyState, entry: RevenueEntry): Rejection | null {
  const field: RejectedField | null =
    known.kind !== entry.kind
      ? 'kind'
      : known.amountCents !== entry.amountCents
        ? 'amount'
        : known.currency !== entry.currency
          ? 'currency'
          : null;
  if (!field) return null;
  return rejected(
    'conflict',
    field,
    `externalId ${entry.externalId} was recorded as ${known.kind} ${formatCents(known.amountCents)} ` +
      `${known.currency}; only its status can change (record a correction as a refund or a new entry)`,
  );
}

/** Resolves the buyers of the rows about to be inserted and links them to the row's domain. */
async function linkBuyers(
  tx: Tx,
  entries: readonly RevenueEntry[],
  drafts: readonly Draft[],
  state: Map<string, KeyState>,
): Promise<void> {
  const byEmail = new Map<string, string>();
  const links: (UserDomain & { at: Date })[] = [];
  for (const [index, draft] of drafts.entries()) {
    if (draft.result !== 'created') continue;
    const entry = entries[index] as RevenueEntry;
    const known = state.get(draft.key) as KeyState;
    if (entry.userId) {
      links.push({ userId: entry.userId, domainId: entry.domainId, at: entry.occurredAt });
    } else if (entry.email) {
      const emailKey = `${entry.domainId}\u0000${entry.email}`;
      let userId = byEmail.get(emailKey);
      if (!userId) {
        userId = await linkUserByEmail(tx, {
          domainId: entry.domainId,
          email: entry.email,
          at: entry.occurredAt,
        });
        byEmail.set(emailKey, userId);
      }
      known.userId = userId;
      (known.insert as NewRevenueRow).userId = userId;
    }
  }
  await linkUsersToDomains(tx, links);
}

function buyersOf(rows: readonly KeyState[]): UserDomain[] {
  const pairs = new Map<string, UserDomain>();
  for (const s of rows) {
    if (s.userId && s.id)
      pairs.set(`${s.userId}\u0000${s.domainId}`, { userId: s.userId, domainId: s.domainId });
  }
  return [...pairs.values()];
}
