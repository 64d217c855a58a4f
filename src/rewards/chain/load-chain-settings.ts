import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Settings, SettingsError } from '../../config/settings.ts';
import {
  CHAIN_ENV_TO_KEY,
  type ChainSettings,
  chainSettingsShape,
  refineChainSettings,
} from './chain-settings.ts';

// The fragment with Settings' own CHAIN_ID field.
const ChainSettingsSchema = z
  .object({ ...chainSettingsShape, chainId: Settings.shape.chainId })
  .superRefine(refineChainSettings);

/**
 * Reads the chain's variables (and their `_FILE` forms) the way loadSettings does, for the CLI and
 * the tests, until Settings composes the fragment; then `loadSettings` returns the same fields.
 */
export function loadChainSettings(env: NodeJS.ProcessEnv): ChainSettings {
  const keys: Record<string, string> = { ...CHAIN_ENV_TO_KEY, CHAIN_ID: 'chainId' };
  const raw: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(keys)) {
    const file = env[`${name}_FILE`];
    if (file) {
      try {
        raw[key] = readFileSync(file, 'utf8').trim();
      } catch (err) {
        throw new SettingsError([
          `${name}_FILE: cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`,
        ]);
      }
    } else if (env[name]) raw[key] = env[name];
  }
  const parsed = ChainSettingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const envOf = Object.fromEntries(Object.entries(keys).map(([env, key]) => [key, env]));
  throw new SettingsError(
    parsed.error.issues.map((i) => `${envOf[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`),
  );
}
