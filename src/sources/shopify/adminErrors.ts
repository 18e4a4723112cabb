/** Errors of the Admin API client: values with a code a caller can branch on, never bare strings. */

export type ShopifyAdminErrorCode =
  | 'unauthorized' // 401/403: the token is wrong or revoked; retrying cannot help
  | 'rate_limited' // THROTTLED or 429 still after the last attempt
  | 'server_error' // 5xx after the last attempt
  | 'timeout' // no answer within timeoutMs, after the last attempt
  | 'network' // connection refused, reset, DNS
  | 'http_error' // any other non-2xx status
  | 'graphql_error' // the query itself failed (bad field, bad argument, access denied)
  | 'invalid_response'; // 200 but the body is not the shape the query asked for

export class ShopifyAdminError extends Error {
  override readonly name: string = 'ShopifyAdminError';
  constructor(
    readonly code: ShopifyAdminErrorCode,
    message: string,
    readonly details: { status?: number; attempts?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}

export class ShopifyAuthError extends ShopifyAdminError {
  override readonly name = 'ShopifyAuthError';
}

/** THROTTLED (HTTP 200) or 429 that outlasted every attempt. */
export class ShopifyRateLimitError extends ShopifyAdminError {
  override readonly name = 'ShopifyRateLimitError';
}

export class ShopifyTimeoutError extends ShopifyAdminError {
  override readonly name = 'ShopifyTimeoutError';
}

export interface GraphqlErrorEntry {
  message: string;
  code?: string;
}

export class ShopifyGraphqlError extends ShopifyAdminError {
  override readonly name = 'ShopifyGraphqlError';
  constructor(
    readonly errors: GraphqlErrorEntry[],
    status?: number,
  ) {
    super('graphql_error', errors.map((e) => e.message).join('; ') || 'GraphQL error', { status });
  }
}
