import type { Hex } from 'viem';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { domainIdOf } from '../rules/chain-ids.ts';
import { type Anvil, freePort, startAnvil } from './anvil.test-support.ts';
import { portfolioTokenAbi } from './artifacts/portfolio-token.ts';
import type { ChainLog } from './chain-error.ts';
import { type ReadyChain, startChainRuntime } from './chain-runtime.ts';
import { secretValue } from './chain-settings.ts';
import { DEV_PRIVATE_KEYS } from './edr-provider.ts';

const recordingLog = () => {
  const lines: { level: string; obj: object; msg: string }[] = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj, msg });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } satisfies ChainLog };
};
const registered = (ready: ReadyChain, host: string) =>
  ready.chain.publicClient.readContract({
    address: ready.tokenAddress,
    abi: portfolioTokenAbi,
    functionName: 'isDomainActive',
    args: [domainIdOf(host)],
  });

describeIntegration('chain runtime (the server side: open, deploy, register, retry)', () => {
  let db: Db;
  let anvil: Anvil | undefined;

  beforeAll(async () => {
    db = await createTestDb();
    await insertDomains(db, ['a.runtime.example', 'b.runtime.example']);
  });
  afterAll(async () => {
    await anvil?.stop();
    await db?.close();
  });

  it('opens the embedded chain, deploys, and registers domains the portfolio gains', async () => {
    const { lines, log } = recordingLog();
    const onReady = vi.fn();
    const runtime = startChainRuntime({ settings: { chainRpcTimeoutSeconds: 20 }, db, log, onReady });
    const ready = await runtime.ready();
    expect(onReady).toHaveBeenCalledExactlyOnceWith(ready);
    expect(runtime.current()).toBe(ready);
    expect(await registered(ready, 'b.runtime.example')).toBe(true);
    expect(lines.find((l) => l.msg === 'rewards token deployed')?.obj).toMatchObject({ chain: 'embedded' });

    await insertDomains(db, ['c.runtime.example']);
    expect(await registered(ready, 'c.runtime.example')).toBe(false);
    await runtime.syncDomains();
    expect(await registered(ready, 'c.runtime.example')).toBe(true);
    await runtime.stop();
    expect(runtime.current()).toBeNull();

    // A restart finds the same token on the replayed chain.
    const again = startChainRuntime({ settings: { chainRpcTimeoutSeconds: 20 }, db, log });
    expect((await again.ready()).tokenAddress).toBe(ready.tokenAddress);
    await again.stop();
  });

  it('keeps retrying while the RPC node is down, and gets ready once it answers', async () => {
    const { lines, log } = recordingLog();
    const port = await freePort();
    const runtime = startChainRuntime({
      settings: {
        chain: 'rpc',
        chainRpcUrl: `http://127.0.0.1:${port}`,
        chainId: 31_339,
        chainPrivateKey: secretValue(DEV_PRIVATE_KEYS[0] as Hex),
        chainConfirmations: 1,
        chainRpcTimeoutSeconds: 1,
      },
      db,
      log,
      retrySeconds: 0.5,
    });
    await vi.waitFor(
      () => expect(lines.filter((l) => l.level === 'error').length).toBeGreaterThanOrEqual(2),
      {
        timeout: 30_000,
      },
    );
    expect(runtime.current()).toBeNull();
    expect(lines.find((l) => l.level === 'error')?.obj).toMatchObject({
      error: expect.stringMatching(/^cannot reach the chain's JSON-RPC at http:\/\/127\.0\.0\.1:\d+: /),
    });
    anvil = await startAnvil({ chainId: 31_339, port });
    const ready = await runtime.ready();
    expect(ready.chain.kind).toBe('rpc');
    expect(await registered(ready, 'c.runtime.example')).toBe(true);
    await runtime.stop();
  });

  it('does nothing with CHAIN=off', async () => {
    const { lines, log } = recordingLog();
    const runtime = startChainRuntime({ settings: { chain: 'off', chainRpcTimeoutSeconds: 20 }, db, log });
    expect(runtime.current()).toBeNull();
    expect(lines).toEqual([
      { level: 'info', obj: {}, msg: 'rewards chain off (CHAIN=off): nothing is published' },
    ]);
    await runtime.syncDomains();
    await runtime.stop();
  });
});
