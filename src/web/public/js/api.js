// The JSON API, with the signed-in key as a bearer token (never in a URL).

const STORAGE_KEY = 'lookout.apiKey';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export const session = {
  get key() {
    return sessionStorage.getItem(STORAGE_KEY);
  },
  set(key) {
    sessionStorage.setItem(STORAGE_KEY, key);
  },
  clear() {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};

let onUnauthorized = () => {};
/** Called when a stored key stops being accepted (revoked, or a new database). */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export async function api(method, path, { body, key = session.key, signal } = {}) {
  const headers = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Lookout cannot be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined;
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const code = data?.error?.code ?? `http_${res.status}`;
    const message = data?.error?.message ?? `request failed (${res.status})`;
    const error = new ApiError(res.status, code, message);
    // The rest of the answer (e.g. the SQL sent with a 422), for views that show it.
    error.data = data;
    if (res.status === 401 && key === session.key) onUnauthorized(error);
    throw error;
  }
  return data;
}

/** Checks a key without keeping it: resolves true, false (refused), or throws (unreachable). */
export async function verifyKey(key) {
  try {
    await api('GET', '/api/preferences', { key });
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return false;
    throw err;
  }
}
