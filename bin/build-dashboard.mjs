#!/usr/bin/env node
// `npm start` runs this first (prestart): builds the web dashboard into web/dist when it is missing
// or older than its sources, so `npm ci && npm start` serves it. A no-op when it is current, and
// skipped with a note when Vite is not installed (production installs without dev dependencies).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('../web', import.meta.url));
const INDEX = join(WEB, 'dist', 'index.html');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = [join(WEB, 'src'), join(WEB, 'index.html'), join(WEB, 'vite.config.ts')].filter(existsSync);
if (existsSync(INDEX) && statSync(INDEX).mtimeMs >= Math.max(...sources.map(newest))) process.exit(0);

let vite;
try {
  vite = await import('vite');
} catch {
  process.stderr.write(
    'Vite is not installed: the dashboard is not built (run `npm ci`, then `npm run build`).\n',
  );
  process.exit(0);
}
process.stdout.write('Building the dashboard (web/dist)…\n');
process.env.NODE_ENV = 'production';
await vite.build({
  root: WEB,
  configFile: join(WEB, 'vite.config.ts'),
  logLevel: 'warn',
  mode: 'production',
});
