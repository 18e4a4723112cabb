import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** Paths that may carry secrets: never written to logs. */
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-shopify-hmac-sha256"]',
  'req.headers["webhook-signature"]',
  '*.accessToken',
  '*.apiKey',
  '*.webhookSecret',
  '*.dbUrl',
  '*.password',
  '*.secret',
  '*.token',
];

/**
 * Error fields that say what failed without carrying data. Everything else a library hangs on an
 * error is dropped: PostgreSQL's `detail` ("Failing row contains (...)") and `where` ("JSON data,
 * line 1: ...") quote the row, PGlite adds the statement's `query` and every bound `params` (a
 * group commit's payloads), HTTP clients attach request and response bodies. Numbers and booleans
 * are kept whatever their name: they cannot carry a payload's text.
 */
const SAFE_ERROR_STRINGS = new Set([
  'code',
  'severity',
  'routine',
  'constraint',
  'table',
  'column',
  'schema',
  'dataType',
  'syscall',
  'address',
  'reason',
]);
const MAX_MESSAGE = 1_000;
const MAX_CAUSES = 4;
const MAX_AGGREGATED = 5;

const EMAIL = /[^\s@"'<>(),;:[\]\\]+@[^\s@"'<>(),;:[\]\\]+\.[a-z]{2,}/gi;

/** Masks email addresses: a log line is no place for a customer's contact. */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, '[email]');
}

const isDatabaseError = (e: Record<string, unknown>): boolean =>
  typeof e.severity === 'string' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);

/**
 * The message, minus the data some messages quote: PostgreSQL's data exceptions (SQLSTATE class 22:
 * `invalid input syntax for type uuid: "..."`) quote the offending value, and V8's JSON errors
 * quote the text they failed on. Identifiers quoted by other classes (constraint and table names)
 * stay.
 */
function safeMessage(err: Error & Record<string, unknown>): string {
  let message = String(err.message ?? '');
  if (isDatabaseError(err) && (err.code as string).startsWith('22')) message = message.replace(/"[\s\S]*"/g, '"…"');
  if (err instanceof SyntaxError) message = message.replace(/"[\s\S]*" is not valid JSON/, '"…" is not valid JSON');
  message = maskEmails(message);
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
}

export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  cause?: SerializedError;
  aggregateErrors?: SerializedError[];
  [field: string]: unknown;
}

/**
 * pino's `err` serializer for every logger of Lookout (Fastify's included): type, a message
 * without quoted data, the stack's frames, the fields in SAFE_ERROR_STRINGS, numbers and booleans,
 * and the same for `cause` and an AggregateError's `errors`.
 */
export function serializeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) {
    return typeof value === 'string' ? maskEmails(value) : value;
  }
  const err = value as Error & Record<string, unknown>;
  // pg's and PGlite's errors (the latter's class name is minified) read the same in the log.
  const type = isDatabaseError(err) ? 'DatabaseError' : err.constructor?.name || err.name;
  const message = safeMessage(err);
  const out: SerializedError = { type, message };
  if (typeof err.stack === 'string') {
    // The stack opens with "Name: message": rebuilt from the safe message, frames kept.
    const frames = err.stack.split('\n').filter((line) => /^\s+at /.test(line));
    out.stack = [`${err.name}: ${message}`, ...frames].join('\n');
  }
  for (const key of Object.keys(err)) {
    if (key === 'message' || key === 'stack' || key === 'cause' || key === 'errors') continue;
    const v = err[key];
    if (typeof v === 'number' || typeof v === 'boolean') out[key] = v;
    else if (typeof v === 'string' && SAFE_ERROR_STRINGS.has(key)) out[key] = maskEmails(v).slice(0, 200);
  }
  if (err.cause !== undefined && depth < MAX_CAUSES) {
    const cause = serializeError(err.cause, depth + 1);
    if (cause && typeof cause === 'object') out.cause = cause as SerializedError;
  }
  if (Array.isArray(err.errors) && depth < MAX_CAUSES) {
    out.aggregateErrors = err.errors.slice(0, MAX_AGGREGATED).map((e: unknown) =>
      e instanceof Error
        ? (serializeError(e, depth + 1) as SerializedError)
        : // GraphQL errors and the like: their message, nothing else they carry.
          { type: typeof e, message: maskEmails(String((e as { message?: unknown })?.message ?? e)).slice(0, 200) },
    );
  }
  return out;
}

/** Walks what a log call was given: errors under any key are serialized, strings lose emails. */
function scrub(value: unknown, depth: number): unknown {
  if (value instanceof Error) return serializeError(value);
  if (typeof value === 'string') return maskEmails(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  // Only plain objects are rewritten; anything else (a request, a Buffer) is left to its serializer.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
}

/**
 * The process logger. `destination` replaces stdout (tests capture the lines). Nothing that can
 * carry a payload, a customer's email or a secret reaches a line: secrets are redacted by path,
 * errors keep only what says what failed (serializeError), strings lose email addresses, and a
 * request is its method and path (a query string can hold a signed link's token).
 */
export function createLogger(level: string, name = 'lookout', destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: {
        err: (e: unknown) => serializeError(e),
        error: (e: unknown) => serializeError(e),
        req: (req: { method?: string; url?: string }) => ({ method: req.method, path: req.url?.split('?')[0] }),
      },
      formatters: { log: (object) => scrub(object, 0) as Record<string, unknown> },
      hooks: {
        // pino uses an error's raw message as the line's `msg` when none is given (and Fastify
        // passes `err.message` itself): the line gets the safe message instead.
        logMethod(args, method) {
          const [first, second, ...rest] = args as unknown[];
          const err =
            first instanceof Error
              ? first
              : first && typeof first === 'object' && (first as { err?: unknown }).err instanceof Error
                ? ((first as { err: Error }).err as Error & Record<string, unknown>)
                : undefined;
          const obj = first instanceof Error ? { err: first } : first;
          let msg = second;
          if (err && (msg === undefined || msg === err.message))
            msg = safeMessage(err as Error & Record<string, unknown>);
          else if (typeof msg === 'string') msg = maskEmails(msg);
          if (typeof obj === 'string') return method.apply(this, [maskEmails(obj), ...args.slice(1)] as never);
          return method.apply(this, (msg === undefined ? [obj] : [obj, msg, ...rest]) as never);
        },
      },
    },
    destination,
  );
}
