// How ledger ids become on-chain bytes32 ids (ADR 0013, "Amounts and ids").
import { type Hex, keccak256, stringToBytes } from 'viem';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TX_ID_RE = /^0x0{32}[0-9a-f]{32}$/i;

/**
 * A domain's on-chain id: keccak256 of its host's UTF-8 bytes. The host is hashed as given, so
 * pass the canonical form the contract registered (lower case, no trailing dot).
 */
export function domainIdOf(host: string): Hex {
  return keccak256(stringToBytes(host));
}

/** A ledger transaction's on-chain txId: the uuid's 16 bytes left-padded to 32 bytes. */
export function txIdOf(uuid: string): Hex {
  if (!UUID_RE.test(uuid)) throw new RangeError(`not a uuid: ${JSON.stringify(uuid)}`);
  return `0x${'0'.repeat(32)}${uuid.replaceAll('-', '').toLowerCase()}`;
}

/** The ledger uuid (lower case) of an on-chain txId made by txIdOf; throws on any other bytes32. */
export function uuidOfTxId(txId: Hex): string {
  if (!TX_ID_RE.test(txId)) throw new RangeError(`not a txId made from a uuid: ${txId}`);
  const hex = txId.slice(34).toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
