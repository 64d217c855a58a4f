// Deploys PortfolioToken once per chain and keeps its roles and domain registry in step with the
// portfolio. Idempotent: every step first reads the chain, so a second run sends nothing.
import type { Address, Hex } from 'viem';
import type { Db } from '../../db/types.ts';
import { domainIdOf } from '../rules/chain-ids.ts';
import {
  portfolioTokenAbi,
  portfolioTokenBytecode,
  portfolioTokenSourceHash,
} from './artifacts/portfolio-token.ts';
import { ChainError } from './chain-error.ts';
import type { ChainHandle } from './open-chain.ts';
import {
  activeTokenDeployment,
  recordTokenDeployment,
  type TokenDeployment,
} from './token-deployments.sql.ts';

export interface EnsureTokenInput {
  /** The portfolio's domains to register (canonical lower-case hosts); others are left as they are. */
  domains: readonly { host: string }[];
  /** Receives the treasury allocation if the token is deployed now (default: chain.treasury). */
  treasury?: Address;
}

export type RelayerRole = 'DOMAIN_ADMIN_ROLE' | 'AI_ORACLE_ROLE';

export interface EnsureTokenResult {
  deployment: TokenDeployment;
  /** True when this call deployed the contract. */
  deployed: boolean;
  rolesGranted: RelayerRole[];
  domainsRegistered: string[];
  /** Every transaction this call sent, in order. */
  transactions: Hex[];
}

const RELAYER_ROLES: readonly RelayerRole[] = ['DOMAIN_ADMIN_ROLE', 'AI_ORACLE_ROLE'];

// One deployer at a time across server instances sharing a PostgreSQL database (two first starts
// would otherwise deploy two contracts); PGlite has one process, and this queue orders its calls.
let inProcess: Promise<unknown> = Promise.resolve();

export function ensureTokenDeployed(
  db: Db,
  chain: ChainHandle,
  input: EnsureTokenInput,
): Promise<EnsureTokenResult> {
  const run = inProcess.then(() =>
    db.kind === 'postgres'
      ? db.transaction(async (tx) => {
          await tx.query("SELECT pg_advisory_xact_lock(hashtext('rewards.token.deploy'))");
          return ensureUnlocked(db, chain, input);
        })
      : ensureUnlocked(db, chain, input),
  );
  inProcess = run.catch(() => undefined);
  return run;
}

async function ensureUnlocked(
  db: Db,
  chain: ChainHandle,
  input: EnsureTokenInput,
): Promise<EnsureTokenResult> {
  const transactions: Hex[] = [];
  const send = async (what: string, hash: Hex) => {
    transactions.push(hash);
    const receipt = await chain.waitForReceipt(hash);
    if (receipt.status !== 'success')
      throw new ChainError(`${what} reverted on chain ${chain.chainId} (transaction ${hash})`);
    return receipt;
  };

  let deployment = await activeTokenDeployment(db, chain.chainId);
  const deployed = !deployment;
  if (deployment) {
    const code = await chain.publicClient.getCode({ address: deployment.address });
    if (!code || code === '0x')
      throw new ChainError(
        `the token recorded for chain ${chain.chainId} at ${deployment.address} has no code on ${chain.network}: ` +
          'the database belongs to another network with the same chain id, or the chain was reset',
      );
  } else {
    const treasury = input.treasury ?? chain.treasury;
    const hash = await chain.walletClient.deployContract({
      abi: portfolioTokenAbi,
      bytecode: portfolioTokenBytecode,
      args: [chain.account, treasury],
    });
    const receipt = await send('the PortfolioToken deployment', hash);
    if (!receipt.contractAddress) throw new ChainError(`the deployment ${hash} created no contract`);
    const record = {
      address: receipt.contractAddress.toLowerCase() as Address,
      chainId: chain.chainId,
      network: chain.network,
      deployedBlock: receipt.blockNumber,
      deployTxHash: hash,
      deployer: chain.account.toLowerCase() as Address,
      treasury: treasury.toLowerCase() as Address,
      sourceHash: portfolioTokenSourceHash,
    };
    await recordTokenDeployment(db, record);
    deployment = (await activeTokenDeployment(db, chain.chainId)) as TokenDeployment;
  }

  const token = { address: deployment.address, abi: portfolioTokenAbi } as const;
  const read = chain.publicClient.readContract;
  const adminRole = await read({ ...token, functionName: 'DEFAULT_ADMIN_ROLE' });
  const isAdmin = await read({ ...token, functionName: 'hasRole', args: [adminRole, chain.account] });

  const rolesGranted: RelayerRole[] = [];
  for (const name of RELAYER_ROLES) {
    const role = await read({ ...token, functionName: name });
    if (await read({ ...token, functionName: 'hasRole', args: [role, chain.account] })) continue;
    if (!isAdmin) throw notAdmin(chain, deployment.address, `grant ${name}`);
    await send(
      `grantRole(${name})`,
      await chain.walletClient.writeContract({
        ...token,
        functionName: 'grantRole',
        args: [role, chain.account],
      }),
    );
    rolesGranted.push(name);
  }

  const domainsRegistered: string[] = [];
  for (const { host } of input.domains) {
    const id = domainIdOf(host);
    if (await read({ ...token, functionName: 'isDomainActive', args: [id] })) continue;
    if (!isAdmin) throw notAdmin(chain, deployment.address, `register ${host}`);
    await send(
      `registerDomain(${host})`,
      await chain.walletClient.writeContract({
        ...token,
        functionName: 'registerDomain',
        args: [id, host],
      }),
    );
    domainsRegistered.push(host);
  }
  return { deployment, deployed, rolesGranted, domainsRegistered, transactions };
}

function notAdmin(chain: ChainHandle, token: Address, what: string): ChainError {
  return new ChainError(
    `cannot ${what}: the configured account ${chain.account} is not an admin of the token ${token} ` +
      `on chain ${chain.chainId} (was it deployed with another key?)`,
  );
}
