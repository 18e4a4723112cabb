/**
 * The ways storing an event can fail, as ingest answers them: any failure of the database is a
 * 503 with Retry-After (the sender retries and nothing is lost), a store over its bounds is a 503
 * given at once, and anything else is a bug (500).
 */

/**
 * The database did not store the event: unreachable, refusing connections, read-only, a
 * constraint, a timeout, or a statement that reported neither a new row nor an existing one.
 * Whatever the cause, the answer is "retry later", never "done".
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  /** The SQLSTATE (or system error code) of the underlying error, when it had one. */
  readonly code: string | undefined;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    const code = (options?.cause as { code?: unknown } | undefined)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/** Runs one database step; whatever it rejects with becomes a StorageError. */
export async function fromStorage<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof StorageError) throw err;
    throw new StorageError(`storage failed: ${describe(err)}`, { cause: err });
  }
}

/** The store is over its bounds: refused before any work so the sender retries elsewhere or later. */
export class StoreOverloadedError extends Error {
  override readonly name = 'StoreOverloadedError';
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `${code} ${err.message}` : err.message;
}
