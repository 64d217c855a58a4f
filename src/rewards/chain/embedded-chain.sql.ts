// The embedded chain's rows (migration 0020): genesis, ownership lease and journal.
import type { Queryable } from '../../db/types.ts';

export interface Genesis {
  hardfork: string;
  genesisTimestamp: bigint;
}

export type JournalKind = 'raw_transaction' | 'transaction' | 'mine';

export interface JournalEntry {
  seq: bigint;
  kind: JournalKind;
  rawTx: string | null;
  request: Record<string, unknown> | null;
  txHash: string | null;
  blockNumber: bigint;
  blockTimestamp: bigint;
  blockHash: string;
}

export async function readGenesis(db: Queryable, chainId: number): Promise<Genesis | undefined> {
  const res = await db.query<{ hardfork: string; genesis_timestamp: string }>(
    'SELECT hardfork, genesis_timestamp::text FROM embedded_chains WHERE chain_id = $1',
    [chainId],
  );
  const row = res.rows[0];
  return row && { hardfork: row.hardfork, genesisTimestamp: BigInt(row.genesis_timestamp) };
}

/** Creates the chain's genesis unless it exists; returns the one that is stored. */
export async function ensureGenesis(db: Queryable, chainId: number, proposed: Genesis): Promise<Genesis> {
  await db.query(
    `INSERT INTO embedded_chains (chain_id, hardfork, genesis_timestamp) VALUES ($1, $2, $3)
     ON CONFLICT (chain_id) DO NOTHING`,
    [chainId, proposed.hardfork, proposed.genesisTimestamp.toString()],
  );
  return (await readGenesis(db, chainId)) as Genesis;
}

/**
 * Takes the lease when it is free, expired or already ours (`force`: PGlite, whose data directory
 * lock already makes this process the only one). Returns the holder when someone else has it.
 */
export async function acquireLease(
  db: Queryable,
  lease: { chainId: number; ownerId: string; label: string; seconds: number; force: boolean },
): Promise<{ acquired: true } | { acquired: false; holder: string; expiresAt: string }> {
  const res = await db.query(
    `UPDATE embedded_chains
        SET owner_id = $2, owner_label = $3, lease_expires_at = now() + make_interval(secs => $4)
      WHERE chain_id = $1
        AND ($5 OR owner_id IS NULL OR owner_id = $2 OR lease_expires_at < now())`,
    [lease.chainId, lease.ownerId, lease.label, lease.seconds, lease.force],
  );
  if (res.rowCount === 1) return { acquired: true };
  const holder = await db.query<{ owner_label: string | null; expires_at: string }>(
    'SELECT owner_label, lease_expires_at::text AS expires_at FROM embedded_chains WHERE chain_id = $1',
    [lease.chainId],
  );
  const row = holder.rows[0];
  return {
    acquired: false,
    holder: row?.owner_label ?? 'another process',
    expiresAt: row?.expires_at ?? '?',
  };
}

/** Extends our lease; false when another process took it over. */
export async function renewLease(
  db: Queryable,
  lease: { chainId: number; ownerId: string; seconds: number },
): Promise<boolean> {
  const res = await db.query(
    `UPDATE embedded_chains SET lease_expires_at = now() + make_interval(secs => $3)
      WHERE chain_id = $1 AND owner_id = $2`,
    [lease.chainId, lease.ownerId, lease.seconds],
  );
  return res.rowCount === 1;
}

export async function releaseLease(db: Queryable, chainId: number, ownerId: string): Promise<void> {
  await db.query(
    `UPDATE embedded_chains SET owner_id = NULL, owner_label = NULL, lease_expires_at = NULL
      WHERE chain_id = $1 AND owner_id = $2`,
    [chainId, ownerId],
  );
}

/**
 * Appends one entry, fenced: it is written only while `ownerId` holds the chain, and the primary
 * key refuses a second entry with the same seq, so the journal never forks. False: not written.
 */
export async function appendJournal(
  db: Queryable,
  chainId: number,
  ownerId: string,
  entry: JournalEntry,
): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO embedded_chain_journal
       (chain_id, seq, kind, raw_tx, request, tx_hash, block_number, block_timestamp, block_hash)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
      WHERE EXISTS (SELECT 1 FROM embedded_chains WHERE chain_id = $1 AND owner_id = $10)`,
    [
      chainId,
      entry.seq.toString(),
      entry.kind,
      entry.rawTx,
      entry.request === null ? null : JSON.stringify(entry.request),
      entry.txHash,
      entry.blockNumber.toString(),
      entry.blockTimestamp.toString(),
      entry.blockHash,
      ownerId,
    ],
  );
  return res.rowCount === 1;
}

/** Entries after `afterSeq`, in order, one page at a time. */
export async function readJournalPage(
  db: Queryable,
  chainId: number,
  afterSeq: bigint,
  limit: number,
): Promise<JournalEntry[]> {
  const res = await db.query<{
    seq: string;
    kind: JournalKind;
    raw_tx: string | null;
    request: Record<string, unknown> | null;
    tx_hash: string | null;
    block_number: string;
    block_timestamp: string;
    block_hash: string;
  }>(
    `SELECT j.seq::text AS seq, j.kind, j.raw_tx, j.request, j.tx_hash, j.block_number::text AS block_number,
            j.block_timestamp::text AS block_timestamp, j.block_hash
       FROM embedded_chain_journal j
      WHERE j.chain_id = $1 AND j.seq > $2
      ORDER BY j.seq
      LIMIT $3`,
    [chainId, afterSeq.toString(), limit],
  );
  return res.rows.map((r) => ({
    seq: BigInt(r.seq),
    kind: r.kind,
    rawTx: r.raw_tx,
    request: r.request,
    txHash: r.tx_hash,
    blockNumber: BigInt(r.block_number),
    blockTimestamp: BigInt(r.block_timestamp),
    blockHash: r.block_hash,
  }));
}
