import { addOperator } from '../auth/add-operator.ts';
import { listOperators } from '../auth/list-operators.ts';
import { AddOperatorInput } from '../auth/operator-schemas.ts';
import { removeOperator } from '../auth/remove-operator.ts';
import { type CliIo, DATABASE_HELP, DATABASE_OPTIONS, EXIT, parseCommandArgs, UsageError } from './cli-io.ts';
import { parseInput } from './parse-input.ts';
import { withDatabase } from './with-database.ts';

const HELP = [
  'Usage:',
  '  portfolio-os operators add EMAIL --role owner|admin|analyst [--name NAME] [--domains HOST,HOST]',
  '  portfolio-os operators list',
  '  portfolio-os operators remove EMAIL|ID',
  '',
  'Operators are the people who run the portfolio. Roles: owner (everything), admin (configuration,',
  'keys, operators except owners), analyst (read only). --domains limits an admin or analyst to those',
  "domains: PostgreSQL row-level security then hides every other domain's rows from them.",
  "The new operator's login token is printed once.",
  '',
  'Options:',
  '  --role ROLE           owner, admin or analyst',
  '  --name NAME           display name',
  '  --domains LIST        comma-separated hosts; omit for all domains',
  '  --json                machine-readable output',
  ...DATABASE_HELP,
].join('\n');

export async function runOperators(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    role: { type: 'string' },
    name: { type: 'string' },
    domains: { type: 'string' },
    json: { type: 'boolean' },
    ...DATABASE_OPTIONS,
  });
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    io.out(HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  switch (sub) {
    case 'add': {
      if (rest.length !== 1) throw new UsageError('operators add takes exactly one EMAIL');
      const input = parseInput(AddOperatorInput, {
        email: rest[0],
        role: values.role,
        name: values.name,
        domains: values.domains
          ?.split(',')
          .map((d) => d.trim())
          .filter(Boolean),
      });
      const { operator, token } = await withDatabase(values, (ctx) => addOperator({ ctx, input }));
      if (values.json) io.out(JSON.stringify({ operator, token }, null, 2));
      else {
        const scope = operator.domains === 'all' ? 'all domains' : operator.domains.join(', ');
        io.out(`Added ${operator.role} ${operator.email} (${scope}). Login token, shown this once:`);
        io.out(`  ${token}`);
      }
      return EXIT.ok;
    }
    case 'list': {
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
      const operators = await withDatabase(values, (ctx) => listOperators({ ctx }));
      if (values.json) io.out(JSON.stringify({ operators }, null, 2));
      else
        for (const o of operators) {
          const scope = o.domains === 'all' ? 'all domains' : o.domains.join(', ');
          io.out(`${o.id}  ${o.email.padEnd(32)} ${o.role.padEnd(8)} ${scope}`);
        }
      return EXIT.ok;
    }
    case 'remove': {
      if (rest.length !== 1) throw new UsageError('operators remove takes exactly one EMAIL or ID');
      const res = await withDatabase(values, (ctx) =>
        removeOperator({ ctx, input: { operator: rest[0] as string } }),
      );
      io.out(values.json ? JSON.stringify(res) : `removed operator ${res.email}`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown subcommand "${sub}" (add, list or remove)`);
  }
}
