import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Outbound requests to user-supplied URLs (Slack webhooks, outbound webhooks, ICS feeds).
 *
 * A URL is allowed only when every address its host resolves to is public unicast. The check runs
 * inside the socket's own `lookup`, so the address we connect to is the address we checked: a DNS
 * answer that changes between a check and the connect (DNS rebinding) cannot slip through.
 * Redirects are followed by hand, each hop checked again.
 */

export type UrlRefusal = 'invalid_url' | 'scheme' | 'private_address' | 'unresolvable';

/** The URL may not be fetched: bad scheme, or a host on a loopback/private/reserved address. */
export class UrlNotAllowedError extends Error {
  override readonly name = 'UrlNotAllowedError';
  readonly code = 'url_not_allowed';
  constructor(
    readonly reason: UrlRefusal,
    message: string,
  ) {
    super(message);
  }
}

export type FetchFailure = 'timeout' | 'too_many_redirects' | 'response_too_large' | 'network';

/** The request could not complete (timeout, redirect loop, oversized answer, socket error). */
export class GuardedFetchError extends Error {
  override readonly name = 'GuardedFetchError';
  constructor(
    readonly code: FetchFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Every address a host name resolves to (the system resolver, or a test's own). */
export type HostResolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export interface GuardOptions {
  /** LOOKOUT_ALLOW_PRIVATE_URLS: skip the address check (schemes are still limited to http/https). */
  allowPrivate: boolean;
  /** Host names trusted whatever they resolve to (exact, case-insensitive): an operator's own intranet hosts. */
  allowHosts?: readonly string[];
  /** Replaces the system resolver (tests point names at addresses with it); the check is the same. */
  resolve?: HostResolver;
}

function trusted(url: URL, opts: GuardOptions): boolean {
  if (opts.allowPrivate) return true;
  const host = url.hostname.toLowerCase();
  return opts.allowHosts?.some((h) => h.toLowerCase() === host) ?? false;
}

export interface GuardedFetchOptions extends GuardOptions {
  /** Default 3. */
  maxRedirects?: number;
  /** Whole request, redirects included. Default 10 s. */
  timeoutMs?: number;
  /** The body is read into memory: refuse more than this. Default 1 MiB. */
  maxResponseBytes?: number;
}

export interface GuardedRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

/** Why an address is refused, or null when it is public unicast. */
export function addressRefusal(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    const range6 = v6.range();
    if (range6 === 'ipv4Mapped') ip = v6.toIPv4Address();
    else if (range6 === 'rfc6052')
      ip = ipaddr.fromByteArray(v6.toByteArray().slice(12)); // NAT64 64:ff9b::a.b.c.d
    else return range6 === 'unicast' ? null : range6;
  }
  const range4 = (ip as ipaddr.IPv4).range();
  return range4 === 'unicast' ? null : range4;
}

function parseHttpUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UrlNotAllowedError('invalid_url', 'not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UrlNotAllowedError('scheme', `scheme ${parsed.protocol} is not allowed: use http or https`);
  }
  return parsed;
}

/** WHATWG URLs keep IPv6 literals in brackets and normalise 2130706433 to 127.0.0.1. */
function hostLiteral(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export function refuse(host: string, address: string, why: string): UrlNotAllowedError {
  const shown = host === address ? address : `${host} (${address})`;
  return new UrlNotAllowedError(
    'private_address',
    `${shown} is a ${why} address; set LOOKOUT_ALLOW_PRIVATE_URLS=true to allow it`,
  );
}

function resolveAll(host: string, resolver?: HostResolver): Promise<Array<{ address: string; family: number }>> {
  if (resolver)
    return resolver(host).then(
      (addresses) => {
        if (addresses.length === 0) throw new UrlNotAllowedError('unresolvable', `cannot resolve ${host}: no address`);
        return addresses;
      },
      (err: NodeJS.ErrnoException) => {
        throw new UrlNotAllowedError('unresolvable', `cannot resolve ${host}: ${err.code ?? err.message}`);
      },
    );
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(new UrlNotAllowedError('unresolvable', `cannot resolve ${host}: ${err.code ?? err.message}`));
      else resolve(addresses);
    });
  });
}

/**
 * Throws UrlNotAllowedError unless the URL is http(s) and (unless allowPrivate) every address of
 * its host is public. Use it to validate a URL when a user saves it; guardedFetch re-checks on use.
 */
export async function assertPublicUrl(url: string | URL, opts: GuardOptions): Promise<URL> {
  const parsed = parseHttpUrl(url);
  if (trusted(parsed, opts)) return parsed;
  const host = hostLiteral(parsed);
  const addresses = ipaddr.isValid(host)
    ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
    : await resolveAll(host, opts.resolve);
  for (const { address } of addresses) {
    const why = addressRefusal(address);
    if (why) throw refuse(host, address, why);
  }
  return parsed;
}

/**
 * A socket `lookup` that resolves every address and, unless the guard allows private addresses,
 * fails unless all are public. The socket connects to what this returned: the address checked.
 */
export function guardedLookup(opts: Pick<GuardOptions, 'allowPrivate' | 'resolve'>): LookupFunction {
  return (hostname, options, callback) => checkedLookup(hostname, options, callback, opts);
}

function checkedLookup(
  hostname: string,
  options: Parameters<LookupFunction>[1],
  callback: Parameters<LookupFunction>[2],
  opts: Pick<GuardOptions, 'allowPrivate' | 'resolve'> = { allowPrivate: false },
): void {
  resolveAll(hostname, opts.resolve).then(
    (addresses) => {
      for (const { address } of addresses) {
        const why = opts.allowPrivate ? null : addressRefusal(address);
        if (why) return callback(refuse(hostname, address, why), '', 4);
      }
      const usable = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
      if (usable.length === 0)
        return callback(new UrlNotAllowedError('unresolvable', `no address for ${hostname}`), '', 4);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    },
    (err: Error) => callback(err as NodeJS.ErrnoException, '', 4),
  );
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Statuses whose Response may not carry a body.
const NULL_BODY = new Set([101, 204, 205, 304]);

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function requestOnce(
  url: URL,
  init: GuardedRequestInit,
  opts: GuardedFetchOptions,
  signal: AbortSignal,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const host = hostLiteral(url);
    const skipCheck = trusted(url, opts);
    // IP literals never reach `lookup`: check them here.
    if (!skipCheck && ipaddr.isValid(host)) {
      const why = addressRefusal(host);
      if (why) return reject(refuse(host, host, why));
    }
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(url, {
      method: init.method ?? 'GET',
      headers: init.headers,
      signal,
      agent: false,
      lookup: skipCheck ? undefined : guardedLookup({ allowPrivate: false, resolve: opts.resolve }),
    });
    req.on('error', (err) => {
      if (err instanceof UrlNotAllowedError) reject(err);
      else if (signal.aborted)
        reject(new GuardedFetchError('timeout', `request to ${url.host} timed out`, { cause: err }));
      else reject(new GuardedFetchError('network', `request to ${url.host} failed: ${err.message}`, { cause: err }));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const limit = opts.maxResponseBytes ?? 1024 * 1024;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          res.destroy();
          reject(new GuardedFetchError('response_too_large', `response from ${url.host} exceeds ${limit} bytes`));
        } else chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (err) =>
        reject(new GuardedFetchError(signal.aborted ? 'timeout' : 'network', err.message, { cause: err })),
      );
    });
    req.end(init.body === undefined ? undefined : Buffer.from(init.body));
  });
}

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/**
 * fetch() for user-supplied URLs: http/https only, public addresses only (checked on the address
 * actually connected to), redirects re-checked hop by hop, one overall timeout, bounded body.
 * Returns a standard Response whose `url` is the final URL.
 */
export async function guardedFetch(
  url: string | URL,
  init: GuardedRequestInit,
  opts: GuardedFetchOptions,
): Promise<Response> {
  const maxRedirects = opts.maxRedirects ?? 3;
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  let current = parseHttpUrl(url);
  let request: GuardedRequestInit = { ...init, headers: { ...init.headers } };
  for (let hop = 0; ; hop++) {
    const res = await requestOnce(current, request, opts, signal);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.status) || !location) {
      const body = NULL_BODY.has(res.status) ? null : Uint8Array.from(res.body);
      const response = new Response(body, {
        status: Math.max(res.status, 200),
        headers: toHeaders(res.headers),
      });
      Object.defineProperty(response, 'url', { value: current.toString() });
      return response;
    }
    if (hop >= maxRedirects)
      throw new GuardedFetchError(
        'too_many_redirects',
        `more than ${maxRedirects} redirects from ${parseHttpUrl(url).host}`,
      );
    const next = parseHttpUrl(new URL(location, current));
    const headers = { ...request.headers };
    if (next.origin !== current.origin) {
      // Credentials are for the origin they were given to.
      for (const name of Object.keys(headers)) if (/^(authorization|cookie)$/i.test(name)) delete headers[name];
    }
    // As fetch does: 303 (and 301/302 after a POST) become a GET without a body.
    const method = (request.method ?? 'GET').toUpperCase();
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      for (const name of Object.keys(headers)) if (/^content-(type|length)$/i.test(name)) delete headers[name];
      request = { method: method === 'HEAD' ? 'HEAD' : 'GET', headers };
    } else {
      request = { ...request, headers };
    }
    current = next;
  }
}
