import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Settings } from '../../config/settings.ts';
import { chainModeOf, chainSettingsShape, refineChainSettings } from './chain-settings.ts';
import { loadChainSettings } from './load-chain-settings.ts';

const KEY = `0x${'4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318'}`;
const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadChainSettings(env);
  } catch (err) {
    return (err as { problems: string[] }).problems;
  }
  return [];
};

describe('chain settings', () => {
  it('defaults to the embedded chain, and to rpc when an RPC URL is given', () => {
    const embedded = loadChainSettings({});
    expect(chainModeOf(embedded)).toBe('embedded');
    expect(embedded.chainRpcTimeoutSeconds).toBe(20);
    const rpc = loadChainSettings({
      CHAIN_RPC_URL: 'https://rpc.example/v3/k',
      CHAIN_ID: '59141',
      CHAIN_PRIVATE_KEY: KEY,
    });
    expect(chainModeOf(rpc)).toBe('rpc');
    expect(chainModeOf(loadChainSettings({ CHAIN: 'off', CHAIN_RPC_URL: 'https://rpc.example' }))).toBe(
      'off',
    );
  });

  it('names the variable to fix when the fields do not fit together', () => {
    expect(problemsOf({ CHAIN_RPC_URL: 'https://rpc.example' })).toEqual([
      'CHAIN_PRIVATE_KEY: required when CHAIN=rpc (or CHAIN_PRIVATE_KEY_FILE)',
    ]);
    expect(problemsOf({ CHAIN: 'rpc' })[0]).toBe('CHAIN_RPC_URL: required when CHAIN=rpc');
    expect(problemsOf({ CHAIN: 'embedded', CHAIN_RPC_URL: 'https://rpc.example' })).toEqual([
      'CHAIN_RPC_URL: is set but CHAIN=embedded: set CHAIN=rpc to use it',
    ]);
    expect(problemsOf({ CHAIN_PRIVATE_KEY: KEY })).toEqual([
      'CHAIN_PRIVATE_KEY: is for CHAIN=rpc: the embedded chain signs with its public development key',
    ]);
    expect(problemsOf({ CHAIN_CONFIRMATIONS: '2' })).toEqual([
      'CHAIN_CONFIRMATIONS: must be 1 with the embedded chain (a block there is final)',
    ]);
    expect(problemsOf({ CHAIN: 'ganache' })[0]).toMatch(/^CHAIN: /);
    expect(problemsOf({ CHAIN_ID: '0' })[0]).toMatch(/^CHAIN_ID: /);
  });

  it('never repeats a rejected key or RPC URL in its messages', () => {
    const badKeys = [KEY.slice(0, -1), `0x${'0'.repeat(64)}`, `0x${'f'.repeat(64)}`, `${KEY}00`];
    for (const bad of badKeys) {
      const problems = problemsOf({
        CHAIN: 'rpc',
        CHAIN_RPC_URL: 'https://x.example',
        CHAIN_ID: '1',
        CHAIN_PRIVATE_KEY: bad,
      });
      expect(problems[0]).toMatch(
        /^CHAIN_PRIVATE_KEY: (must be 0x followed by 64 hex digits|is not a valid secp256k1 private key)$/,
      );
      expect(inspect(problems)).not.toContain(bad.slice(2, 40));
    }
    const url = 'ftp://user:secret-token@rpc.example/path';
    const problems = problemsOf({ CHAIN_RPC_URL: url });
    expect(problems[0]).toBe('CHAIN_RPC_URL: must be an http:// or https:// URL');
    expect(problems.join('\n')).not.toContain('secret-token');
  });

  it('holds the key as a secret that prints, logs and serialises redacted', () => {
    const settings = loadChainSettings({
      CHAIN_RPC_URL: 'https://rpc.example',
      CHAIN_ID: '1',
      CHAIN_PRIVATE_KEY: KEY.slice(2).toUpperCase(),
    });
    const key = settings.chainPrivateKey;
    expect(key?.reveal()).toBe(KEY);
    for (const shown of [
      JSON.stringify(settings),
      inspect(settings, { showHidden: true, depth: 9 }),
      String(key),
      `${key}`,
    ])
      expect(shown).not.toContain(KEY.slice(2, 20));
    expect(JSON.parse(JSON.stringify(settings)).chainPrivateKey).toBe('[redacted]');
  });

  it('reads the key from CHAIN_PRIVATE_KEY_FILE and checks the treasury address', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-chain-settings-'));
    try {
      writeFileSync(join(dir, 'key'), `${KEY}\n`);
      const settings = loadChainSettings({
        CHAIN_RPC_URL: 'https://rpc.example',
        CHAIN_ID: '1',
        CHAIN_PRIVATE_KEY_FILE: join(dir, 'key'),
        TOKEN_TREASURY_ADDRESS: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
      });
      expect(settings.chainPrivateKey?.reveal()).toBe(KEY);
      expect(settings.tokenTreasuryAddress).toBe('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
      expect(problemsOf({ CHAIN_PRIVATE_KEY_FILE: join(dir, 'missing') })[0]).toMatch(
        /^CHAIN_PRIVATE_KEY_FILE: cannot read .*missing: ENOENT$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(problemsOf({ TOKEN_TREASURY_ADDRESS: '0x5AAeb6053f3e94c9b9a09f33669435e7ef1beaed' })[0]).toMatch(
      /^TOKEN_TREASURY_ADDRESS: must be an address/,
    );
    expect(problemsOf({ TOKEN_TREASURY_ADDRESS: `0x${'0'.repeat(40)}` })).toEqual([
      'TOKEN_TREASURY_ADDRESS: must not be the zero address',
    ]);
  });

  it('composes into the runtime Settings without a clash', () => {
    const composed = z
      .strictObject({ ...Settings.shape, ...chainSettingsShape })
      .superRefine(refineChainSettings);
    // Before the lead composes them no key is shared; after, the shared ones are these very schemas.
    for (const [key, schema] of Object.entries(chainSettingsShape))
      if (key in Settings.shape) expect(Settings.shape[key as keyof typeof Settings.shape]).toBe(schema);
    expect(composed.parse({}).chainRpcTimeoutSeconds).toBe(20);
    expect(composed.safeParse({ chain: 'rpc' }).error?.issues.map((i) => i.path[0])).toEqual([
      'chainRpcUrl',
      'chainPrivateKey',
    ]);
    expect(composed.parse({ chainRpcUrl: 'http://127.0.0.1:8545', chainPrivateKey: KEY }).chainId).toBe(
      31337,
    );
  });
});
