/** Which domains a transaction may see. `all` is the owner's view; a list limits every row-level policy. */
export type Scope = { kind: 'all' } | { kind: 'domains'; domainIds: readonly string[] };

export const ALL_DOMAINS: Scope = { kind: 'all' };

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
}

/** A transaction handle: queries plus multi-statement scripts (migrations). */
export interface Tx extends Queryable {
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions {
  /** When set, the transaction runs as the unprivileged `portfolio_app` role with row-level security on. */
  scope?: Scope;
  /** 'high' lets the ingestion writer's commits go before waiting queries (PGlite's single session). */
  priority?: 'high' | 'normal';
}

export type BackendKind = 'pglite' | 'postgres';

export interface Db extends Queryable {
  readonly kind: BackendKind;
  /** Human description of where the data lives, for logs (never contains a password). */
  readonly location: string;
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** A database error with PostgreSQL's SQLSTATE preserved across the worker boundary. */
export class DbError extends Error {
  readonly code: string | undefined;
  readonly detail: string | undefined;
  readonly constraint: string | undefined;
  constructor(message: string, fields: { code?: string; detail?: string; constraint?: string } = {}) {
    super(message);
    this.name = 'DbError';
    this.code = fields.code;
    this.detail = fields.detail;
    this.constraint = fields.constraint;
  }
}
