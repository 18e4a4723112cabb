import assert from 'node:assert/strict';

/** The documented error body, and nothing else: `{"error":{"code","message"}}`. */
export function assertErrorBody(
  res: { status: number; text: string; body?: unknown },
  status: number | ((status: number) => boolean),
  what: string,
): void {
  if (typeof status === 'number') assert.equal(res.status, status, `${what}: ${res.status} ${res.text.slice(0, 300)}`);
  else assert.ok(status(res.status), `${what}: unexpected status ${res.status} ${res.text.slice(0, 300)}`);
  assert.ok(isErrorBody(res.body), `${what}: not the documented error body: ${res.text.slice(0, 300)}`);
}

/** True for exactly `{"error":{"code":string,"message":string}}`. */
export function isErrorBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'error') return false;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null || Array.isArray(error)) return false;
  const e = error as Record<string, unknown>;
  return (
    Object.keys(e).sort().join(',') === 'code,message' &&
    typeof e.code === 'string' &&
    e.code.length > 0 &&
    typeof e.message === 'string' &&
    e.message.length > 0
  );
}
