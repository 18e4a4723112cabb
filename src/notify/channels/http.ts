import { GuardedFetchError, guardedFetch, UrlNotAllowedError } from '../../lib/urlGuard.js';
import { DeliveryError } from './types.js';

export interface PostOptions {
  allowPrivate: boolean;
  timeoutMs?: number;
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * POSTs a body to a user-supplied URL through the URL guard and classifies the outcome:
 * 2xx is success; 408, 429 and 5xx are worth retrying; other 4xx and refused URLs are not.
 */
export async function postToUserUrl(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string>,
  opts: PostOptions,
): Promise<void> {
  let res: Response;
  try {
    res = await guardedFetch(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body },
      {
        allowPrivate: opts.allowPrivate,
        timeoutMs: opts.timeoutMs ?? 10_000,
        maxRedirects: 3,
        maxResponseBytes: 64 * 1024,
      },
    );
  } catch (err) {
    if (err instanceof UrlNotAllowedError)
      throw new DeliveryError(`url_not_allowed: ${err.message}`, { permanent: true, cause: err });
    if (err instanceof GuardedFetchError) throw new DeliveryError(`${err.code}: ${err.message}`, { cause: err });
    throw new DeliveryError(err instanceof Error ? err.message : String(err), { cause: err });
  }
  if (res.ok) return;
  const text = (await res.text()).slice(0, 200).replace(/\s+/g, ' ').trim();
  const message = `HTTP ${res.status}${text ? `: ${text}` : ''}`;
  const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
  throw new DeliveryError(message, {
    permanent: !retryable,
    status: res.status,
    retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
  });
}
