// The token's deployment record (smart_contracts, contract_type 'token'; migration 0020) and the
// portfolio's domains as the chain knows them.
import type { Address, Hex } from 'viem';
import type { Queryable } from '../../db/types.ts';

export const TOKEN_CONTRACT_NAME = 'PortfolioToken';

export interface TokenDeployment {
  address: Address;
  chainId: number;
  network: string;
  deployedBlock: bigint | null;
  deployTxHash: Hex | null;
  deployer: Address | null;
  treasury: Address | null;
  sourceHash: string | null;
  deployedAt: string;
}

export async function activeTokenDeployment(
  db: Queryable,
  chainId: number,
): Promise<TokenDeployment | undefined> {
  const res = await db.query<{
    address: Address;
    network: string;
    deployed_block: string | null;
    deploy_tx_hash: Hex | null;
    deployer_address: Address | null;
    treasury_address: Address | null;
    source_hash: string | null;
    deployed_at: Date;
  }>(
    `SELECT address, network, deployed_block::text, deploy_tx_hash, deployer_address, treasury_address,
            source_hash, deployed_at
       FROM smart_contracts
      WHERE chain_id = $1 AND contract_type = 'token' AND is_active`,
    [chainId],
  );
  const row = res.rows[0];
  return (
    row && {
      address: row.address,
      chainId,
      network: row.network,
      deployedBlock: row.deployed_block === null ? null : BigInt(row.deployed_block),
      deployTxHash: row.deploy_tx_hash,
      deployer: row.deployer_address,
      treasury: row.treasury_address,
      sourceHash: row.source_hash,
      deployedAt: new Date(row.deployed_at).toISOString(),
    }
  );
}

/** Records a deployment; the unique index refuses a second active token on the same chain. */
export async function recordTokenDeployment(
  db: Queryable,
  d: Omit<TokenDeployment, 'deployedAt'>,
): Promise<void> {
  await db.query(
    `INSERT INTO smart_contracts
       (name, address, chain_id, network, contract_type, deployed_block, deploy_tx_hash,
        deployer_address, treasury_address, source_hash)
     VALUES ($1, $2, $3, $4, 'token', $5, $6, $7, $8, $9)`,
    [
      TOKEN_CONTRACT_NAME,
      d.address.toLowerCase(),
      d.chainId,
      d.network,
      d.deployedBlock?.toString() ?? null,
      d.deployTxHash,
      d.deployer?.toLowerCase() ?? null,
      d.treasury?.toLowerCase() ?? null,
      d.sourceHash,
    ],
  );
}

export interface PortfolioDomain {
  id: string;
  host: string;
  archived: boolean;
}

/**
 * Every domain the portfolio has had. Registered on-chain: those not archived, whatever their
 * status (a paused domain may still have ledger entries to publish).
 */
export async function portfolioDomains(db: Queryable): Promise<PortfolioDomain[]> {
  const res = await db.query<PortfolioDomain>(
    'SELECT id, host, archived_at IS NOT NULL AS archived FROM domains ORDER BY host',
  );
  return res.rows;
}
