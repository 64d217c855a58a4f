import { ContractFunctionRevertedError, encodeErrorResult, HttpRequestError, RpcRequestError } from 'viem';
import { describe, expect, it } from 'vitest';
import { portfolioTokenAbi } from '../chain/artifacts/portfolio-token.ts';
import { domainIdOf } from '../rules/chain-ids.ts';
import { describeChainError, failureText, PERMANENT_REVERTS } from './chain-errors.ts';
import { mapWithLimit } from './relayer-chain.ts';

const domainId = domainIdOf('seo.example');
const revertData = encodeErrorResult({
  abi: portfolioTokenAbi,
  errorName: 'DomainNotActive',
  args: [domainId],
});

describe('describeChainError', () => {
  it('decodes a simulated call’s custom error', () => {
    const err = new ContractFunctionRevertedError({
      abi: portfolioTokenAbi,
      data: revertData,
      functionName: 'redeem',
    });
    const f = describeChainError(err);
    expect(f).toMatchObject({ kind: 'revert', errorName: 'DomainNotActive', args: [domainId] });
    expect(failureText(f)).toBe(`DomainNotActive(${domainId})`);
    expect(PERMANENT_REVERTS.has('DomainNotActive')).toBe(true);
  });

  it('decodes a node’s code-3 answer (eth_estimateGas, eth_call) wrapped in other errors', () => {
    const rpc = new RpcRequestError({
      body: {},
      url: 'http://node',
      error: { code: 3, message: 'reverted', data: revertData },
    });
    expect(describeChainError(rpc)).toMatchObject({ kind: 'revert', errorName: 'DomainNotActive' });
  });

  it('treats network failures, unknown revert data and foreign errors as unavailable (retried)', () => {
    const http = new HttpRequestError({ url: 'http://node', status: 503, details: 'upstream unavailable' });
    expect(describeChainError(http).kind).toBe('unavailable');
    expect(failureText(describeChainError(http))).toMatch(/^rpc: /);
    const panic = new RpcRequestError({
      body: {},
      url: 'u',
      error: { code: 3, message: 'x', data: '0xdeadbeef00' },
    });
    expect(describeChainError(panic).kind).toBe('unavailable');
    expect(describeChainError(new Error('boom'))).toEqual({ kind: 'unavailable', message: 'boom' });
  });

  it('shortens long messages', () => {
    expect(describeChainError(new Error('x'.repeat(5000))).message.length).toBeLessThanOrEqual(501);
  });
});

describe('mapWithLimit', () => {
  it('keeps the order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapWithLimit([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
    expect(await mapWithLimit([], 4, async () => 1)).toEqual([]);
  });
});
