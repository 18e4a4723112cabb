/**
 * One small interface over two engines: embedded PGlite and PostgreSQL (node-postgres).
 * Every query in Lookout is plain SQL in the PostgreSQL dialect and runs unchanged on both.
 *
 * Conventions that keep results identical across engines:
 * - jsonb columns come back parsed, except where a query selects `col::text` to keep raw text
 *   (event payloads: Shopify ids exceed 2^53 and must not pass through JSON.parse).
 * - bigint / count(*) results are cast to int in SQL (`::int`), never returned as int8.
 * - timestamptz comes back as a JS Date.
 */
export type Engine = 'pglite' | 'postgres';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** A connection inside a transaction: also runs multi-statement scripts. */
export interface Transaction extends Queryable {
  exec(sql: string): Promise<void>;
}

export type Unlisten = () => Promise<void>;

export interface TransactionOptions {
  /**
   * Bound on each statement of this transaction, in ms, instead of the configured
   * DATABASE_STATEMENT_TIMEOUT_MS; 0: none. For work that is long by nature: migrations, replaying
   * thousands of events, a shop's redaction. PostgreSQL only: PGlite runs in-process and has no
   * connection to lose or freeze.
   */
  statementTimeoutMs?: number;
}

/**
 * The bound for bulk maintenance (replay, redaction, data exports): long statements are expected,
 * but a frozen database must still end them.
 */
export const MAINTENANCE_STATEMENT_TIMEOUT_MS = 10 * 60_000;

export interface Database extends Queryable {
  readonly engine: Engine;
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  /** LISTEN on a channel; payloads from any process (PostgreSQL) or this one (PGlite). */
  listen(channel: string, onPayload: (payload: string) => void): Promise<Unlisten>;
  notify(channel: string, payload: string): Promise<void>;
  /** A cheap round trip: the readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Raised when the database cannot be reached: callers turn it into 503, never into a lost event. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08004',
  '08006', // connection exceptions
  '53300', // too_many_connections
  '57014', // query_canceled: statement_timeout (an overloaded or stuck database)
]);

/** Driver messages (node-postgres, PGlite) of a connection that is gone or never came. */
const UNAVAILABLE_MESSAGE = new RegExp(
  [
    'Connection terminated',
    'connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error',
    'Query read timeout',
    'PGlite is closed',
  ].join('|'),
  'i',
);

/** True when an error means "storage is unavailable" rather than "this query is wrong". */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return true;
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}
