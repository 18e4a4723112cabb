import { isIP, Socket } from 'node:net';
import ipaddr from 'ipaddr.js';
import type pg from 'pg';
import { parse as parseConnectionString } from 'pg-connection-string';
import { addressRefusal, type GuardOptions, guardedLookup, refuse, UrlNotAllowedError } from './urlGuard.js';

/**
 * Database URLs from users (a Supabase project's `dbUrl`) are user-supplied URLs: Lookout connects
 * to them, so they must not reach the operator's network, nor make this server read its own files.
 *
 * The URL is read with node-postgres's own parser (pg-connection-string), so what is checked is
 * what node-postgres would use: a `?host=` parameter that overrides the URL's host, a host list,
 * a Unix socket path (`?host=/var/run/postgresql`, `%2Fvar%2Frun`), an empty host (which would
 * fall back to PGHOST or localhost). Lookout then hands node-postgres an explicit configuration
 * built from the checked parts only (host, port, user, password, database, TLS), so no other
 * parameter of the URL (timeouts, `options`) reaches the driver, nothing missing from it is
 * filled from this server's PG* environment or ~/.pgpass, and it connects through a socket
 * whose `lookup` checks the addresses it connects to: a name that resolved to a public address
 * when the URL was saved and resolves to a private one later (DNS rebinding) is refused at connect.
 */

/** pg-connection-string reads these files from this server's disk while parsing. */
const FILE_PARAMETERS = ['sslcert', 'sslkey', 'sslrootcert'];
/** libpq connects to `hostaddr` instead of resolving `host`: a second address to check, refused instead. */
const ADDRESS_PARAMETERS = ['hostaddr'];

export interface ParsedDatabaseUrl {
  /** Every host the URL names (a list is refused by the checks; node-postgres uses one). */
  hosts: string[];
  port: number;
  user: string;
  password?: string;
  database?: string;
  ssl?: pg.ClientConfig['ssl'];
}

const invalid = (message: string) => new UrlNotAllowedError('invalid_url', message);

/**
 * The query parameter names pg-connection-string will see, found the way it finds them (same
 * re-encoding, same URL parse), without letting it parse yet: parsing reads the SSL files.
 */
function parameterNames(url: string): string[] {
  let s = url;
  if (/ |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(s)) s = encodeURI(s).replace(/%25(\d\d)/g, '%$1');
  let parsed: URL;
  try {
    parsed = new URL(s, 'postgres://base');
  } catch {
    try {
      parsed = new URL(s.replace('@/', '@___DUMMY___/'), 'postgres://base');
    } catch {
      throw invalid('not a valid database URL');
    }
  }
  return [...parsed.searchParams.keys()];
}

/** Reads a user's database URL as node-postgres would; refuses what it may not contain. No I/O. */
export function parseUserDatabaseUrl(url: string): ParsedDatabaseUrl {
  if (!/^postgres(ql)?:\/\//i.test(url)) throw invalid('a database URL must start with postgres:// or postgresql://');
  const names = parameterNames(url);
  const fileParameter = names.find((n) => FILE_PARAMETERS.includes(n));
  if (fileParameter)
    throw new UrlNotAllowedError(
      'invalid_url',
      `the database URL parameter ${fileParameter} names a file on the Lookout server, which a user may not ` +
        `choose; remove it`,
    );
  const addressParameter = names.find((n) => ADDRESS_PARAMETERS.includes(n));
  if (addressParameter)
    throw new UrlNotAllowedError(
      'invalid_url',
      `the database URL parameter ${addressParameter} is not supported; put the address in the host`,
    );
  let config: ReturnType<typeof parseConnectionString>;
  try {
    config = parseConnectionString(url);
  } catch {
    throw invalid('not a valid database URL');
  }
  const hosts = (config.host ?? '').split(',').map((h) => h.trim());
  if (hosts.some((h) => h === ''))
    throw invalid('the database URL has no host (node-postgres would fall back to PGHOST or localhost)');
  const portText = config.port ?? '';
  const port = portText === '' ? 5432 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !/^\d*$/.test(portText))
    throw invalid(`the database URL's port ${portText} is not a port number`);
  // Without one, node-postgres would take PGUSER or this server's login name.
  if (!config.user) throw invalid('the database URL has no user name (postgres://USER:PASSWORD@host/db)');
  return {
    hosts,
    port,
    user: config.user,
    password: config.password || undefined,
    database: config.database ?? undefined,
    ssl: config.ssl as pg.ClientConfig['ssl'],
  };
}

const isSocketPath = (host: string) => host.startsWith('/');

function socketRefusal(host: string): UrlNotAllowedError {
  return new UrlNotAllowedError(
    'private_address',
    `the Unix socket ${host} is a local address; set LOOKOUT_ALLOW_PRIVATE_URLS=true to allow it`,
  );
}

function resolveHost(host: string, guard: GuardOptions): Promise<Array<{ address: string; family: number }>> {
  return new Promise((resolve, reject) => {
    guardedLookup(guard)(host, { all: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses as unknown as Array<{ address: string; family: number }>);
    });
  });
}

/**
 * Checks every host the URL would connect to: Unix sockets and private addresses are refused
 * unless the guard allows private addresses, and a host list is refused (node-postgres connects
 * to one host). Use it when a user saves the URL; the connection checks again (see poolConfig).
 */
export async function assertPublicDatabaseUrl(url: string, guard: GuardOptions): Promise<ParsedDatabaseUrl> {
  const parsed = parseUserDatabaseUrl(url);
  for (const host of parsed.hosts) {
    if (isSocketPath(host)) {
      if (!guard.allowPrivate) throw socketRefusal(host);
      continue;
    }
    if (guard.allowPrivate) continue;
    const literal = host.replace(/^\[(.*)\]$/, '$1');
    if (ipaddr.isValid(literal) && isIP(literal) !== 0) {
      const why = addressRefusal(literal);
      if (why) throw refuse(literal, literal, why);
      continue;
    }
    // Names, and forms like 2130706433 that the system resolver reads as 127.0.0.1.
    await resolveHost(host, guard);
  }
  if (parsed.hosts.length > 1)
    throw invalid(`the database URL names several hosts (${parsed.hosts.join(', ')}); node-postgres connects to one`);
  return parsed;
}

/**
 * A socket for node-postgres that connects only where the guard allows: IP literals are checked
 * here, names through the guarded lookup, so the address connected to is the address checked.
 */
function guardedStream(guard: GuardOptions): () => Socket {
  return () => {
    const socket = new Socket();
    const connect = socket.connect.bind(socket);
    const guardedConnect = (port: number | string, host?: string): Socket => {
      if (typeof port === 'string' || host === undefined || isSocketPath(host)) {
        // A Unix socket: only reached when the URL was checked to name one, so allowed or refused here.
        const path = typeof port === 'string' ? port : String(host);
        if (!guard.allowPrivate) {
          process.nextTick(() => socket.destroy(socketRefusal(path)));
          return socket;
        }
        return connect(path);
      }
      const literal = host.replace(/^\[(.*)\]$/, '$1');
      if (!guard.allowPrivate && isIP(literal) !== 0) {
        const why = addressRefusal(literal);
        if (why) {
          process.nextTick(() => socket.destroy(refuse(literal, literal, why)));
          return socket;
        }
      }
      return connect({ port, host: literal, lookup: guardedLookup(guard) });
    };
    socket.connect = guardedConnect as typeof socket.connect;
    return socket;
  };
}

/**
 * The node-postgres pool configuration for a user's database URL: the parsed parts only, the
 * caller's settings (timeouts, pool size) winning over anything in the URL, and the guarded
 * socket. Throws UrlNotAllowedError for what the URL may not contain; addresses are checked when
 * a connection is made.
 */
export function guardedPoolConfig(url: string, guard: GuardOptions, settings: pg.PoolConfig = {}): pg.PoolConfig {
  const parsed = parseUserDatabaseUrl(url);
  if (parsed.hosts.length !== 1)
    throw invalid(`the database URL names several hosts (${parsed.hosts.join(', ')}); node-postgres connects to one`);
  const host = parsed.hosts[0]!;
  if (isSocketPath(host) && !guard.allowPrivate) throw socketRefusal(host);
  // Every part is given explicitly: what the URL leaves out must not be filled from this server's
  // environment (PGPASSWORD, PGDATABASE, PGSSLMODE) or its ~/.pgpass, which are the operator's.
  const password = parsed.password ?? '';
  return {
    ...settings,
    host,
    port: parsed.port,
    user: parsed.user,
    password: async () => password,
    database: parsed.database ?? parsed.user,
    ssl: parsed.ssl ?? false,
    ...(isSocketPath(host) ? {} : { stream: guardedStream(guard) }),
  };
}
