import { readFile } from 'node:fs/promises';
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { closestName, Portfolio } from './portfolio-schema.ts';

/** One problem of a portfolio file, positioned on the YAML node it is about (line and col are 1-based). */
export interface PortfolioProblem {
  file: string;
  line: number;
  col: number;
  /** Dotted path of the field, e.g. `domains.2.kind`; `(root)` for the document itself. */
  path: string;
  message: string;
}

export type PortfolioResult =
  | { ok: true; portfolio: Portfolio; file: string }
  | { ok: false; file: string; problems: PortfolioProblem[] };

type Segment = string | number;
type Doc = ReturnType<typeof parseDocument>;

/** `FILE:LINE:COL field.path: message` — the format editors and CI annotators understand. */
export function formatProblem(p: PortfolioProblem): string {
  return `${p.file}:${p.line}:${p.col} ${p.path}: ${p.message}`;
}

export async function loadPortfolioFile(file: string): Promise<PortfolioResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason =
      e.code === 'ENOENT'
        ? 'file not found'
        : e.code === 'EISDIR'
          ? 'is a directory, not a file'
          : e.code === 'EACCES'
            ? 'permission denied'
            : e.message;
    return {
      ok: false,
      file,
      problems: [{ file, line: 1, col: 1, path: '(root)', message: `cannot read portfolio file: ${reason}` }],
    };
  }
  return parsePortfolio(text, file);
}

/**
 * Parses and validates a portfolio document, reporting every problem at once, sorted by position:
 * YAML errors (duplicate keys included) and then, unless the YAML itself is broken, every schema
 * issue mapped to the node it concerns. Only duplicate keys leave the structure trustworthy enough
 * to validate; after a syntax error, schema issues would mostly be echoes of it.
 */
export function parsePortfolio(text: string, file: string): PortfolioResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    stringKeys: true,
    logLevel: 'error',
  });
  const at = (offset: number, path: string, message: string): PortfolioProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line: Math.max(line, 1), col: Math.max(col, 1), path, message };
  };

  const problems: PortfolioProblem[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    // After a syntax error the tree around it is a guess, so its path would mislead: say (root).
    const path = e.code === 'DUPLICATE_KEY' || e.name === 'YAMLWarning' ? pathAtOffset(doc, e.pos[0]) : [];
    const message =
      e.code === 'DUPLICATE_KEY'
        ? `duplicate key "${String(path.at(-1) ?? text.slice(e.pos[0], e.pos[1]))}": keys must be unique within a mapping`
        : `invalid YAML: ${e.message}`;
    problems.push(at(e.pos[0], formatPath(path), message));
  }
  const broken = doc.errors.some((e) => e.code !== 'DUPLICATE_KEY');

  if (!broken) {
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      problems.push(...aliasProblems(doc, at, (err as Error).message));
      return finish(file, problems);
    }
    if (doc.contents === null) {
      problems.push(
        at(0, '(root)', 'the document is empty: expected a mapping with version, name and domains'),
      );
      return finish(file, problems);
    }
    const parsed = Portfolio.safeParse(data, { error: requiredMessage });
    if (parsed.success && problems.length === 0) return { ok: true, portfolio: parsed.data, file };
    for (const issue of parsed.error?.issues ?? []) problems.push(...issueProblems(doc, issue, at));
  }
  return finish(file, problems);
}

function finish(file: string, problems: PortfolioProblem[]): PortfolioResult {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = formatProblem(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  unique.sort((a, b) => a.line - b.line || a.col - b.col);
  return { ok: false, file, problems: unique };
}

/** Zod says "expected string, received undefined" for a missing key; say what the user must do. */
function requiredMessage(issue: z.core.$ZodRawIssue): string | undefined {
  // YAML has no `undefined` (an empty value is null), so undefined input means the key is absent.
  if (issue.input !== undefined) return undefined;
  if (issue.code === 'invalid_type') {
    const expected = String(issue.expected);
    return expected === 'nonoptional'
      ? 'missing required field'
      : `missing required field (expected ${expected})`;
  }
  if (issue.code === 'invalid_value') {
    const values = issue.values.map((v) => JSON.stringify(v));
    return `missing required field (${values.length === 1 ? `expected ${values[0]}` : `one of ${values.join(', ')}`})`;
  }
  if (issue.code === 'invalid_union') return 'missing required field';
  return undefined;
}

type At = (offset: number, path: string, message: string) => PortfolioProblem;

function issueProblems(doc: Doc, issue: z.core.$ZodIssue, at: At): PortfolioProblem[] {
  const path = issue.path.filter((s): s is Segment => typeof s === 'string' || typeof s === 'number');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const keyPath = [...path, key];
      return at(locate(doc, keyPath, 'key'), formatPath(keyPath), unknownKeyMessage(key, path));
    });
  }
  return [at(locate(doc, path, 'value'), formatPath(path), issue.message)];
}

function unknownKeyMessage(key: string, parent: Segment[]): string {
  if (key === 'riskScore')
    return 'unknown key "riskScore": the risk score is derived (probability × impact), remove it';
  const allowed = allowedKeys(parent);
  const suggestion = allowed && closestName(key, allowed);
  return `unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
}

function formatPath(path: readonly Segment[]): string {
  return path.length === 0 ? '(root)' : path.join('.');
}

// ---------------------------------------------------------------------------------------------
// From a path to a YAML node
// ---------------------------------------------------------------------------------------------

function start(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

/** An empty value (`key:` with nothing after it) has no position of its own worth showing. */
function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && node.source === '';
}

/**
 * Offset of the node at `path`: the value's start (or the key itself, for `key` mode and for
 * empty values); when the path leads nowhere (a missing key), the nearest existing ancestor.
 */
function locate(doc: Doc, path: readonly Segment[], mode: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let offset = start(node) ?? 0;
  for (const [i, segment] of path.entries()) {
    // Past an alias the path continues in the anchored node elsewhere: point at the alias itself.
    if (isAlias(node)) return offset;
    const last = i === path.length - 1;
    if (isMap(node)) {
      // The last of duplicate keys wins, as in the parsed data.
      const pair = node.items.filter((p) => keyString(p.key) === String(segment)).at(-1);
      if (!pair) return offset;
      const keyOffset = start(pair.key) ?? offset;
      if (last && mode === 'key') return keyOffset;
      node = pair.value;
      offset = pair.value && !isEmptyScalar(pair.value) ? (start(pair.value) ?? keyOffset) : keyOffset;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) return offset;
      node = item;
      offset = start(item) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/** Path of the innermost node containing `offset`: gives YAML errors a field path too. */
function pathAtOffset(doc: Doc, offset: number): Segment[] {
  const path: Segment[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const from = start(p.key) ?? start(p.value);
        const to = ((p.value ?? p.key) as Node | null)?.range?.[2];
        return from !== undefined && to !== undefined && from <= offset && offset < to;
      });
      const key = pair && keyString(pair.key);
      if (!pair || key === undefined) return path;
      path.push(key);
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => {
        const range = (item as Node | null)?.range;
        return range != null && range[0] <= offset && offset < range[2];
      });
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else {
      return path;
    }
  }
}

/** toJS failed on an alias: point at each alias that resolves to nothing, or at the root. */
function aliasProblems(doc: Doc, at: At, reason: string): PortfolioProblem[] {
  const problems: PortfolioProblem[] = [];
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) === undefined && node.range)
        problems.push(
          at(node.range[0], formatPath(pathAtOffset(doc, node.range[0])), `unknown alias *${node.source}`),
        );
    },
  });
  return problems.length > 0 ? problems : [at(0, '(root)', `invalid YAML: ${reason}`)];
}

// ---------------------------------------------------------------------------------------------
// "Did you mean": the keys the schema allows at a path
// ---------------------------------------------------------------------------------------------

interface SchemaLike {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, SchemaLike>;
      element?: SchemaLike;
      innerType?: SchemaLike;
      in?: SchemaLike;
    };
  };
}

function allowedKeys(path: readonly Segment[]): string[] | undefined {
  let schema: SchemaLike | undefined = Portfolio as unknown as SchemaLike;
  const unwrap = () => {
    while (schema && !['object', 'array'].includes(schema._zod.def.type))
      schema = schema._zod.def.innerType ?? schema._zod.def.in;
  };
  for (const segment of path) {
    unwrap();
    if (!schema) return undefined;
    const def: SchemaLike['_zod']['def'] = schema._zod.def;
    schema = typeof segment === 'number' ? def.element : def.shape?.[segment];
  }
  unwrap();
  return schema?._zod.def.shape ? Object.keys(schema._zod.def.shape) : undefined;
}
