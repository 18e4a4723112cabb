import type { LockInfo } from '../db/dataDirLock.js';

/** The running server refused a CLI call: its status and parsed error body, for callers that read more. */
export class ServerCallError extends Error {
  override readonly name = 'ServerCallError';
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** A call to the running server with the per-run control token from its lock file. */
export async function callServer<T>(holder: LockInfo, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${holder.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${holder.controlToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    const message = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? text;
    throw new ServerCallError(`${method} ${path} failed (${res.status}): ${message}`, res.status, parsed);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}
