import { GuardedFetchError, guardedFetch, UrlNotAllowedError } from '../../lib/urlGuard.js';
import { CalendarFeedError } from './feedErrors.js';

/** Google's and Outlook's exports of busy calendars run to a few MiB; more is not a calendar. */
export const DEFAULT_MAX_FEED_BYTES = 5 * 1024 * 1024;
export const DEFAULT_FEED_TIMEOUT_MS = 15_000;

export interface FeedRequest {
  /** http, https, or webcal (Apple and Google hand those out; it means https). */
  url: string;
  /** LOOKOUT_ALLOW_PRIVATE_URLS: let the feed live on loopback or a private network. */
  allowPrivate: boolean;
  /** Host names trusted whatever they resolve to (urlGuard's allowHosts). */
  allowHosts?: readonly string[];
  /** Validators of the copy the caller still holds; sent only when given. */
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
}

export type FeedResult =
  | { notModified: true; url: string; etag: string | null; lastModified: string | null }
  | { notModified: false; url: string; etag: string | null; lastModified: string | null; body: string };

/** webcal://host/x → https://host/x; anything else must already be an http(s) URL. */
export function normalizeFeedUrl(raw: string): string {
  const trimmed = raw.trim();
  const webcal = /^webcals?:\/\//i;
  const candidate = webcal.test(trimmed) ? trimmed.replace(webcal, 'https://') : trimmed;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new CalendarFeedError('invalid_url', 'the calendar feed address is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CalendarFeedError(
      'invalid_url',
      `a calendar feed must be http, https or webcal, not ${url.protocol.replace(/:$/, '')}`,
    );
  }
  return url.toString();
}

/** Redacts the path and query: private ICS addresses carry their secret there (Google's /private-abc123/). */
export function feedHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the feed';
  }
}

function translateFetchError(err: unknown, host: string): CalendarFeedError {
  if (err instanceof UrlNotAllowedError) {
    return new CalendarFeedError(
      err.reason === 'invalid_url' || err.reason === 'scheme' ? 'invalid_url' : 'url_not_allowed',
      err.message,
      {
        cause: err,
        // A name that does not resolve today may resolve tomorrow; a private address stays private.
        retryable: err.reason === 'unresolvable',
      },
    );
  }
  if (err instanceof GuardedFetchError) {
    switch (err.code) {
      case 'timeout':
        return new CalendarFeedError('timeout', `${host} did not answer in time`, { cause: err });
      case 'too_many_redirects':
        return new CalendarFeedError('too_many_redirects', err.message, { cause: err });
      case 'response_too_large':
        return new CalendarFeedError('too_large', err.message, { cause: err });
      case 'network':
        return new CalendarFeedError('network', err.message, { cause: err });
    }
  }
  return new CalendarFeedError(
    'network',
    `fetching the feed from ${host} failed: ${err instanceof Error ? err.message : String(err)}`,
    { cause: err },
  );
}

function statusError(status: number, host: string): CalendarFeedError {
  const why =
    status === 401 || status === 403
      ? 'refused access: a private feed address may have been reset'
      : status === 404 || status === 410
        ? 'has no feed at that address'
        : `answered HTTP ${status}`;
  // Rate limits and server errors pass; a wrong or revoked address does not.
  const retryable = status === 408 || status === 429 || status >= 500;
  return new CalendarFeedError('http_status', `${host} ${why}`, { status, retryable });
}

/** A feed starts with BEGIN:VCALENDAR (after an optional BOM and blank lines), whatever its Content-Type says. */
export function looksLikeIcs(body: string): boolean {
  return /^\uFEFF?\s*BEGIN:VCALENDAR\b/i.test(body.slice(0, 1024));
}

/**
 * Downloads one ICS feed through the SSRF guard. With validators it asks conditionally, and a 304
 * comes back as `notModified` so the poll can reuse what it expanded last time.
 */
export async function fetchFeed(req: FeedRequest): Promise<FeedResult> {
  const url = normalizeFeedUrl(req.url);
  const host = feedHost(url);
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_FEED_BYTES;
  const headers: Record<string, string> = {
    accept: 'text/calendar, text/plain;q=0.8, */*;q=0.1',
    'user-agent': 'Lookout calendar poller',
  };
  if (req.etag) headers['if-none-match'] = req.etag;
  if (req.lastModified) headers['if-modified-since'] = req.lastModified;

  let res: Response;
  try {
    res = await guardedFetch(
      url,
      { method: 'GET', headers },
      {
        allowPrivate: req.allowPrivate,
        allowHosts: req.allowHosts,
        maxRedirects: req.maxRedirects ?? 5,
        timeoutMs: req.timeoutMs ?? DEFAULT_FEED_TIMEOUT_MS,
        maxResponseBytes: maxBytes,
      },
    );
  } catch (err) {
    throw translateFetchError(err, host);
  }

  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (res.status === 304) {
    // A 304 does not have to repeat the validators: keep the ones we asked with.
    return {
      notModified: true,
      url: res.url || url,
      etag: etag ?? req.etag ?? null,
      lastModified: lastModified ?? req.lastModified ?? null,
    };
  }
  if (res.status < 200 || res.status > 299) throw statusError(res.status, host);

  const bytes = new Uint8Array(await res.arrayBuffer());
  const body = new TextDecoder('utf-8').decode(bytes);
  if (!looksLikeIcs(body)) {
    const type = res.headers.get('content-type')?.split(';')[0]?.trim() || 'no content type';
    throw new CalendarFeedError(
      'not_ics',
      `${host} did not return an iCalendar feed (got ${type}, ${bytes.length} bytes not starting with BEGIN:VCALENDAR)`,
    );
  }
  return { notModified: false, url: res.url || url, etag, lastModified, body };
}
