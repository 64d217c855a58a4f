// Gas of PortfolioToken's main calls, measured on a fresh EDR chain; writes the table into
// contracts/README.md between its gas-report markers. Run: `npx tsx src/rewards/contract/gas-report.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { l1HardforkLatest, l1HardforkToString } from '@nomicfoundation/edr';
import { type Address, getAddress, type Hex, keccak256, stringToHex } from 'viem';
import { portfolioTokenCompilerVersion } from '../chain/artifacts/portfolio-token.ts';
import { TRANSACTION_GAS_CAP } from '../chain/edr-provider.ts';
import { domainIdOf, txIdOf } from '../rules/chain-ids.ts';
import { ONE_PTF } from '../rules/token-constants.ts';
import type { BatchReward, TokenCall } from './contract-model.ts';
import { castRolesAndDomains, deployTokenHarness } from './token-harness.ts';

const README = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), 'contracts/README.md');
const BEGIN = '<!-- gas-report:begin -->';
const END = '<!-- gas-report:end -->';
const HOSTS = ['adaptogenic-mushrooms.com', 'fixie.run', 'rhymechain.win'];
const BATCH_SIZE = 100;

let nextTx = 0;
const nextTxId = () => txIdOf(`00000000-0000-4000-8000-${(++nextTx).toString(16).padStart(12, '0')}`);
/** Recipients that never held anything, as a relayer's first batch to new wallets. */
const freshUser = (i: number): Address =>
  getAddress(`0x${keccak256(stringToHex(`gas-report-user-${i}`)).slice(-40)}`);

interface Row {
  what: string;
  gas: bigint;
  perReward?: bigint;
}

async function measure(): Promise<Row[]> {
  const h = await deployTokenHarness();
  try {
    const { relayer, users } = await castRolesAndDomains(h, HOSTS);
    const alice = (users[0] as { address: Hex }).address;
    const [shop, fixie, rhyme] = HOSTS.map(domainIdOf) as [Hex, Hex, Hex];
    const deployment = await h.publicClient.getTransactionReceipt({
      hash: (await h.publicClient.getBlock({ blockNumber: 1n })).transactions[0] as Hex,
    });
    const reward = (domainId: Hex, aiOptimized: boolean): TokenCall => ({
      functionName: 'distributeDomainRewards',
      args: [alice, domainId, 100n * ONE_PTF, aiOptimized, nextTxId()],
    });
    const gasOf = async (call: TokenCall) => (await h.mustExecute(relayer, call)).gasUsed;
    const rows: Row[] = [
      { what: 'deployment (constructor mints the treasury share)', gas: deployment.gasUsed },
    ];
    rows.push({ what: 'first reward (new user, new domain)', gas: await gasOf(reward(shop, false)) });
    rows.push({ what: 'repeat reward (same user and domain)', gas: await gasOf(reward(shop, false)) });
    rows.push({ what: 'AI-optimised reward (same user and domain)', gas: await gasOf(reward(shop, true)) });
    rows.push({ what: 'reward on a 2nd domain (no milestone yet)', gas: await gasOf(reward(fixie, false)) });
    rows.push({ what: 'milestone-triggering reward (3rd domain)', gas: await gasOf(reward(rhyme, false)) });
    rows.push({
      what: 'redemption (burn of earned tokens)',
      gas: await gasOf({ functionName: 'redeem', args: [alice, shop, 10n * ONE_PTF, nextTxId()] }),
    });

    const batch = (users: Address[], txIds: Hex[]): TokenCall => ({
      functionName: 'distributeDomainRewardsBatch',
      args: [
        users.map(
          (user, i): BatchReward => ({
            user,
            domainId: fixie,
            amount: ONE_PTF,
            aiOptimized: i % 2 === 0,
            txId: txIds[i] as Hex,
          }),
        ),
      ],
    });
    const recipients = Array.from({ length: BATCH_SIZE }, (_, i) => freshUser(i));
    const firstTxIds = recipients.map(() => nextTxId());
    const perBatch = async (what: string, call: TokenCall) => {
      const gas = await gasOf(call);
      rows.push({ what, gas, perReward: gas / BigInt(BATCH_SIZE) });
    };
    await perBatch(
      `batch of ${BATCH_SIZE} rewards to ${BATCH_SIZE} new users`,
      batch(recipients, firstTxIds),
    );
    await perBatch(
      `batch of ${BATCH_SIZE} rewards to the same users again`,
      batch(
        recipients,
        recipients.map(() => nextTxId()),
      ),
    );
    await perBatch(`the first batch retried (all ${BATCH_SIZE} skipped)`, batch(recipients, firstTxIds));
    return rows;
  } finally {
    await h.close();
  }
}

function renderTable(rows: Row[]): string {
  const number = (value: bigint) => value.toLocaleString('en-US');
  const newUsers = rows.find((row) => row.what.includes('new users'))?.perReward ?? 1n;
  return [
    BEGIN,
    '<!-- written by `npx tsx src/rewards/contract/gas-report.ts`; do not edit by hand -->',
    `Measured on the embedded EDR chain (hardfork ${l1HardforkToString(l1HardforkLatest())}), solc ${portfolioTokenCompilerVersion.split('+')[0]},`,
    'optimizer 200 runs, evmVersion cancun. Batches pay 1 PTF per entry, every other one AI-optimised.',
    '',
    '| call | gas | gas per reward |',
    '|---|---:|---:|',
    ...rows.map(
      (row) => `| ${row.what} | ${number(row.gas)} | ${row.perReward ? number(row.perReward) : ''} |`,
    ),
    '',
    `A transaction may use at most ${number(TRANSACTION_GAS_CAP)} gas (2^24, EIP-7825): about`,
    `${number(TRANSACTION_GAS_CAP / newUsers)} rewards to new users fit in one batch; the relayer should stay well below.`,
    END,
  ].join('\n');
}

const rows = await measure();
const table = renderTable(rows);
const readme = readFileSync(README, 'utf8');
const begin = readme.indexOf(BEGIN);
const end = readme.indexOf(END);
if (begin < 0 || end < begin) throw new Error(`${README} has no ${BEGIN} … ${END} section`);
writeFileSync(README, `${readme.slice(0, begin)}${table}${readme.slice(end + END.length)}`);
console.log(table);
