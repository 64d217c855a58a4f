import { createApiKey } from '../auth/create-api-key.ts';
import { listApiKeys } from '../auth/list-api-keys.ts';
import { CreateApiKeyInput } from '../auth/operator-schemas.ts';
import { revokeApiKey } from '../auth/revoke-api-key.ts';
import { type CliIo, DATABASE_HELP, DATABASE_OPTIONS, EXIT, parseCommandArgs, UsageError } from './cli-io.ts';
import { parseInput } from './parse-input.ts';
import { withDatabase } from './with-database.ts';

const HELP = [
  'Usage:',
  '  portfolio-os keys create --domain HOST --kind public|secret [--name NAME]',
  '  portfolio-os keys list [--domain HOST] [--all]',
  '  portfolio-os keys revoke KEY_ID',
  '',
  'A public key may only send events (it is safe to put in a web page); a secret key is for',
  "servers and can read its domain's data. The key is printed once, when created: only its hash is stored.",
  '',
  'Options:',
  '  --domain HOST         the domain the key belongs to (as in the portfolio file)',
  '  --kind KIND           public or secret',
  '  --name NAME           a label, e.g. "shop backend"',
  '  --all                 list revoked keys too',
  '  --json                machine-readable output',
  ...DATABASE_HELP,
].join('\n');

export async function runKeys(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    domain: { type: 'string' },
    kind: { type: 'string' },
    name: { type: 'string' },
    all: { type: 'boolean' },
    json: { type: 'boolean' },
    ...DATABASE_OPTIONS,
  });
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    io.out(HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  switch (sub) {
    case 'create': {
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
      const input = parseInput(CreateApiKeyInput, {
        domain: values.domain,
        kind: values.kind,
        name: values.name,
      });
      const { key, secret } = await withDatabase(values, (ctx) => createApiKey({ ctx, input }));
      if (values.json) io.out(JSON.stringify({ key, secret }, null, 2));
      else {
        io.out(`Created ${key.kind} key ${key.id} for ${key.domain}. It is shown this once:`);
        io.out(`  ${secret}`);
      }
      return EXIT.ok;
    }
    case 'list': {
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
      const keys = await withDatabase(values, (ctx) =>
        listApiKeys({ ctx, input: { domain: values.domain, includeRevoked: values.all } }),
      );
      if (values.json) io.out(JSON.stringify({ keys }, null, 2));
      else if (keys.length === 0) io.out('no API keys');
      else
        for (const k of keys) {
          const state = k.revokedAt ? `revoked ${k.revokedAt}` : `last used ${k.lastUsedAt ?? 'never'}`;
          io.out(
            `${k.id}  ${k.domain.padEnd(28)} ${k.kind.padEnd(6)} ${k.prefix.padEnd(18)} ${k.name}  (${state})`,
          );
        }
      return EXIT.ok;
    }
    case 'revoke': {
      if (rest.length !== 1) throw new UsageError('keys revoke takes exactly one KEY_ID (see `keys list`)');
      const res = await withDatabase(values, (ctx) =>
        revokeApiKey({ ctx, input: { id: rest[0] as string } }),
      );
      io.out(values.json ? JSON.stringify(res) : `revoked key ${res.id} at ${res.revokedAt}`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown subcommand "${sub}" (create, list or revoke)`);
  }
}
