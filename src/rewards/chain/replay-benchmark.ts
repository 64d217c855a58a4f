// How fast the embedded chain journals transactions and replays them at open (docs/chain.md).
// Usage: npx tsx src/rewards/chain/replay-benchmark.ts [transactions=2000] [postgres URL]
import { privateKeyToAccount } from 'viem/accounts';
import { migrate } from '../../db/migrate.ts';
import { openPglite } from '../../db/open-pglite.ts';
import { openPostgres } from '../../db/open-postgres.ts';
import { domainIdOf, txIdOf } from '../rules/chain-ids.ts';
import { ONE_PTF } from '../rules/token-constants.ts';
import { portfolioTokenAbi } from './artifacts/portfolio-token.ts';
import { ensureTokenDeployed } from './deploy-token.ts';
import { openChain } from './open-chain.ts';

const count = Number(process.argv[2] ?? 2000);
const url = process.argv[3];
const HOSTS = ['shop.bench.example', 'ride.bench.example', 'music.bench.example'];
const db = url ? await openPostgres({ connectionString: url }) : await openPglite();
await migrate(db);
const settings = { chainRpcTimeoutSeconds: 20 };

const live = await openChain({ settings, db });
const { deployment } = await ensureTokenDeployed(db, live, { domains: HOSTS.map((host) => ({ host })) });
const users = Array.from({ length: 50 }, (_, i) =>
  privateKeyToAccount(`0x${(i + 1).toString(16).padStart(64, '0')}`),
);
const started = performance.now();
for (let i = 0; i < count; i++) {
  const hash = await live.walletClient.writeContract({
    address: deployment.address,
    abi: portfolioTokenAbi,
    functionName: 'distributeDomainRewards',
    args: [
      (users[i % users.length] as (typeof users)[number]).address,
      domainIdOf(HOSTS[i % HOSTS.length] as string),
      BigInt(1 + (i % 7)) * ONE_PTF,
      i % 2 === 0,
      txIdOf(`00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`),
    ],
  });
  await live.waitForReceipt(hash);
}
const sendSeconds = (performance.now() - started) / 1000;
await live.close();

const reopened = await openChain({ settings, db });
const replay = reopened.replay as NonNullable<typeof reopened.replay>;
await reopened.close();
await db.close();

const perSecond = (n: number, seconds: number) => Math.round(n / seconds);
console.log(
  JSON.stringify(
    {
      backend: db.kind,
      transactions: count,
      journaledWritesPerSecond: perSecond(count, sendSeconds),
      replayedEntries: replay.entries,
      replaySeconds: Number((replay.ms / 1000).toFixed(2)),
      replayedEntriesPerSecond: perSecond(replay.entries, replay.ms / 1000),
      diverged: replay.diverged,
    },
    null,
    2,
  ),
);
