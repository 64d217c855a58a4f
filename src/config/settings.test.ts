import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT, loadSettings, SettingsError } from './settings.ts';

describe('settings', () => {
  it('has defaults that start the server on port 8787 with ./data', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({ port: 8787, dataDir: './data', host: '127.0.0.1', migrateOnStart: false });
    expect(s.databaseUrl).toBeUndefined();
  });

  it('reads the environment, and flags win', () => {
    const s = loadSettings({ PORT: '9000', DATA_DIR: '/tmp/x', MIGRATE_ON_START: 'true' }, { port: '9100' });
    expect(s.port).toBe(9100);
    expect(s.dataDir).toBe('/tmp/x');
    expect(s.migrateOnStart).toBe(true);
  });

  it('names every bad variable', () => {
    try {
      loadSettings({ PORT: 'eighty', DATABASE_URL: 'mysql://x', OWNER_TOKEN: 'short' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SettingsError);
      const text = (err as SettingsError).problems.join('\n');
      expect(text).toMatch(/^PORT:/m);
      expect(text).toMatch(/^DATABASE_URL: must start with postgres/m);
      expect(text).toMatch(/^OWNER_TOKEN: must be at least 32/m);
    }
  });

  it('reads secrets from *_FILE variables', () => {
    const file = new URL('../../package.json', import.meta.url).pathname;
    expect(() => loadSettings({ OWNER_TOKEN_FILE: file })).not.toThrow();
    expect(() => loadSettings({ OWNER_TOKEN_FILE: '/nonexistent/token' })).toThrow(
      /OWNER_TOKEN_FILE: cannot read/,
    );
  });

  it('documents every environment variable in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(ENVIRONMENT)) expect(readme).toContain(`\`${name}\``);
  });
});
