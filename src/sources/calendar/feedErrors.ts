/**
 * Why a calendar feed could not be read. The poll loop records `code` on the integration and
 * backs off; `retryable` tells it whether waiting can help (a timeout may pass, an HTML login page
 * where a feed should be will not).
 */
export type CalendarFeedErrorCode =
  | 'invalid_url'
  | 'url_not_allowed'
  | 'timeout'
  | 'network'
  | 'too_many_redirects'
  | 'too_large'
  | 'http_status'
  | 'not_modified_without_cache'
  | 'not_ics'
  | 'parse';

const RETRYABLE: ReadonlySet<CalendarFeedErrorCode> = new Set(['timeout', 'network', 'not_modified_without_cache']);

export class CalendarFeedError extends Error {
  override readonly name = 'CalendarFeedError';
  readonly retryable: boolean;
  constructor(
    readonly code: CalendarFeedErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number; retryable?: boolean },
  ) {
    super(message, options);
    this.status = options?.status;
    this.retryable = options?.retryable ?? RETRYABLE.has(code);
  }
  /** The HTTP status when code is 'http_status'. */
  readonly status: number | undefined;
}
