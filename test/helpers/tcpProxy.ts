import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections currently open through the proxy. */
  readonly connections: number;
  /** The database goes away: every open connection is reset, new ones are reset on arrival. */
  cut(): void;
  /** The database is back: new connections reach it again. */
  restore(): void;
  /**
   * The database freezes (a hung host, a stalled network): sockets stay open, connections are
   * still accepted, but not one byte is forwarded in either direction until resume().
   */
  pause(): void;
  /** Bytes flow again, including whatever was sent while paused. */
  resume(): void;
  /** Resets every connection and stops listening. */
  stop(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  flowing: boolean;
}

/**
 * A loopback TCP proxy in front of PostgreSQL: for the code under test, its faults are the
 * database's faults (connections reset, refused or frozen), without touching the shared server.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let down = false;
  let paused = false;

  const flow = (p: Pair) => {
    if (p.flowing) return;
    p.flowing = true;
    p.client.pipe(p.upstream);
    p.upstream.pipe(p.client);
  };
  const hold = (p: Pair) => {
    if (!p.flowing) return;
    p.flowing = false;
    p.client.unpipe(p.upstream);
    p.upstream.unpipe(p.client);
    p.client.pause();
    p.upstream.pause();
  };
  const drop = (p: Pair) => {
    p.client.destroy();
    p.upstream.destroy();
    pairs.delete(p);
  };

  const server: Server = createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair: Pair = { client, upstream, flowing: false };
    pairs.add(pair);
    client.on('error', () => drop(pair)).on('close', () => drop(pair));
    upstream.on('error', () => drop(pair)).on('close', () => drop(pair));
    if (!paused) flow(pair);
    else {
      client.pause();
      upstream.pause();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (typeof addr !== 'object' || !addr) throw new Error('proxy has no port');
  return {
    port: addr.port,
    get connections() {
      return pairs.size;
    },
    cut() {
      down = true;
      for (const p of [...pairs]) {
        p.client.resetAndDestroy();
        drop(p);
      }
    },
    restore() {
      down = false;
    },
    pause() {
      paused = true;
      for (const p of pairs) hold(p);
    },
    resume() {
      paused = false;
      for (const p of pairs) flow(p);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        down = true;
        for (const p of [...pairs]) drop(p);
        server.close(() => resolve());
      }),
  };
}
