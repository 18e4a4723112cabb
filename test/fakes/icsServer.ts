/**
 * A calendar host on 127.0.0.1 (port 0) serving ICS text that tests change between polls, the way
 * Google Calendar's "secret address in iCal format" behaves:
 *
 * - GET of a path set with setFeed answers `text/calendar; charset=UTF-8` with an ETag (a hash of
 *   the body, unless disabled) and Last-Modified; If-None-Match / If-Modified-Since that still
 *   match answer 304 with no body.
 * - setRoute answers anything else: a redirect, an HTML login page, an error status, a huge body;
 *   `delayMs` stalls the answer (timeouts).
 * - Every request is recorded with its conditional headers.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedOptions {
  /** false: send no ETag (then only Last-Modified validates). */
  etag?: boolean;
  lastModified?: Date;
}

export interface RawRoute {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  delayMs?: number;
}

export interface RecordedIcsRequest {
  method: string;
  path: string;
  ifNoneMatch: string | undefined;
  ifModifiedSince: string | undefined;
  /** What the server answered. */
  status: number;
}

interface Feed {
  body: string;
  etag: string | null;
  lastModified: Date;
}

export class IcsServer {
  readonly requests: RecordedIcsRequest[] = [];
  readonly #feeds = new Map<string, Feed>();
  readonly #routes = new Map<string, RawRoute>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<IcsServer> {
    let instance: IcsServer | undefined;
    const server = createServer((req, res) => instance!.handle(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    instance = new IcsServer(server, (server.address() as AddressInfo).port);
    return instance;
  }

  /** http://127.0.0.1:PORT */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** Serves `body` at `path` from now on (a new body gets a new ETag and Last-Modified). */
  setFeed(path: string, body: string, opts: FeedOptions = {}): void {
    const etag = opts.etag === false ? null : `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    // HTTP dates have whole seconds.
    const lastModified = new Date(Math.floor((opts.lastModified ?? new Date()).getTime() / 1000) * 1000);
    this.#routes.delete(path);
    this.#feeds.set(path, { body, etag, lastModified });
  }

  async setFeedFile(path: string, file: string | URL, opts: FeedOptions = {}): Promise<void> {
    this.setFeed(path, await readFile(file, 'utf8'), opts);
  }

  setRoute(path: string, route: RawRoute): void {
    this.#feeds.delete(path);
    this.#routes.set(path, route);
  }

  requestsTo(path: string): RecordedIcsRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const record = (status: number) => {
      this.requests.push({
        method: req.method ?? 'GET',
        path,
        ifNoneMatch: req.headers['if-none-match'],
        ifModifiedSince: req.headers['if-modified-since'],
        status,
      });
    };
    const feed = this.#feeds.get(path);
    if (feed) {
      const headers: Record<string, string> = {
        'last-modified': feed.lastModified.toUTCString(),
        'cache-control': 'no-cache, must-revalidate',
      };
      if (feed.etag) headers.etag = feed.etag;
      const inm = req.headers['if-none-match'];
      const ims = req.headers['if-modified-since'];
      // If-None-Match takes precedence over If-Modified-Since (RFC 9110 13.2.2).
      const notModified =
        inm !== undefined
          ? feed.etag !== null &&
            inm
              .split(',')
              .map((s) => s.trim())
              .includes(feed.etag)
          : ims !== undefined && !Number.isNaN(Date.parse(ims)) && feed.lastModified.getTime() <= Date.parse(ims);
      if (notModified) {
        record(304);
        res.writeHead(304, headers).end();
        return;
      }
      record(200);
      res.writeHead(200, { ...headers, 'content-type': 'text/calendar; charset=UTF-8' }).end(feed.body);
      return;
    }
    const route = this.#routes.get(path);
    if (!route) {
      record(404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    record(route.status);
    const answer = () => {
      if (res.destroyed) return;
      res.writeHead(route.status, route.headers ?? {}).end(route.body);
    };
    if (route.delayMs) setTimeout(answer, route.delayMs).unref();
    else answer();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
