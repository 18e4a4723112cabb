import cluster, { type Worker } from 'node:cluster';
import { createServer, type Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { backoffMs } from './lib/backoff.js';
import type { Logger } from './lib/logger.js';

/** The most web processes `--workers` accepts: more than this is a typo, not a machine. */
export const MAX_WEB_WORKERS = 64;

/**
 * `--workers N` / LOOKOUT_WEB_WORKERS: a whole number from 1 to MAX_WEB_WORKERS, or `auto` (one
 * per CPU). Returns the count or a message saying what is wrong.
 */
export function parseWebWorkers(value: string, cpus = availableParallelism()): number | { error: string } {
  const text = value.trim().toLowerCase();
  if (text === 'auto') return Math.max(1, Math.min(MAX_WEB_WORKERS, cpus));
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_WEB_WORKERS)
    return {
      error:
        `--workers (LOOKOUT_WEB_WORKERS) must be a whole number from 1 to ${MAX_WEB_WORKERS}, ` +
        `or auto (one per CPU, ${cpus} here); got "${value}"`,
    };
  return Number(text);
}

export interface WebClusterOptions {
  workers: number;
  log: Logger;
  /** LOOKOUT_METRICS_PORT: the primary serves every worker's metrics, summed, there. */
  metricsPort?: number;
  host: string;
  /** A worker's restart waits backoffMs(attempt, restartBaseMs, restartMaxMs). */
  restartBaseMs?: number;
  restartMaxMs?: number;
  /** A worker that stays up this long resets the restart backoff. */
  stableAfterMs?: number;
  /** How long the primary waits for its workers to drain before killing them. */
  shutdownTimeoutMs?: number;
}

/**
 * The primary of `lookout start --role web --workers N` (N > 1): forks N web processes that share
 * the port (node:cluster hands each accepted connection to a worker, round robin). It opens no
 * database. The first worker starts alone: it applies the migrations (under their advisory lock),
 * creates the instance's key and operator token and prints them once; the others start when it
 * listens and find everything made. A worker that dies is replaced after a backoff; SIGTERM or
 * SIGINT is passed to every worker, each drains as a single process does, and the primary exits 0
 * when all exited 0. Resolves with the exit code.
 */
export function runWebCluster(opts: WebClusterOptions): Promise<number> {
  const { log } = opts;
  const restartBaseMs = opts.restartBaseMs ?? 500;
  const restartMaxMs = opts.restartMaxMs ?? 30_000;
  const stableAfterMs = opts.stableAfterMs ?? 10_000;
  const shutdownTimeoutMs = opts.shutdownTimeoutMs ?? 30_000;
  const listening = new Set<Worker>();
  let started = false;
  let stopping = false;
  let failedExit = false;
  let restartAttempt = 0;
  let stableTimer: NodeJS.Timeout | undefined;
  const pendingRestarts = new Set<NodeJS.Timeout>();
  let metricsServer: Server | undefined;

  return new Promise<number>((resolve) => {
    const finish = (code: number) => {
      clearTimeout(stableTimer);
      for (const t of pendingRestarts) clearTimeout(t);
      if (metricsServer) metricsServer.close(() => resolve(code));
      else resolve(code);
    };
    const liveWorkers = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);

    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, workers: liveWorkers().length }, 'shutting down: draining every web worker');
      for (const t of pendingRestarts) clearTimeout(t);
      pendingRestarts.clear();
      for (const w of liveWorkers()) w.process.kill('SIGTERM');
      const force = setTimeout(() => {
        log.error({ afterMs: shutdownTimeoutMs }, 'web workers did not exit in time: killing them');
        for (const w of liveWorkers()) w.process.kill('SIGKILL');
        failedExit = true;
      }, shutdownTimeoutMs);
      force.unref();
      if (liveWorkers().length === 0) finish(failedExit ? 1 : 0);
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));

    cluster.on('listening', (worker) => {
      listening.add(worker);
      log.info({ workerPid: worker.process.pid, listening: listening.size, of: opts.workers }, 'web worker listening');
      if (!started) {
        if (listening.size === 1) for (let i = 1; i < opts.workers; i++) cluster.fork();
        if (listening.size === opts.workers) {
          started = true;
          log.info({ workers: opts.workers, pid: process.pid }, 'lookout web cluster started');
        }
      }
      // A worker that stays up resets the backoff: a crash next week restarts at once.
      clearTimeout(stableTimer);
      stableTimer = setTimeout(() => {
        restartAttempt = 0;
      }, stableAfterMs);
      stableTimer.unref();
    });

    cluster.on('exit', (worker, code, signal) => {
      const wasListening = listening.delete(worker);
      if (stopping) {
        if (code !== 0) failedExit = true;
        if (liveWorkers().length === 0) finish(failedExit ? 1 : 0);
        return;
      }
      if (!started && !wasListening) {
        // A worker that cannot start (database unreachable, bad settings) would fail again.
        log.error({ workerPid: worker.process.pid, code, signal }, 'a web worker failed to start: stopping');
        stopping = true;
        for (const w of liveWorkers()) w.process.kill('SIGTERM');
        failedExit = true;
        if (liveWorkers().length === 0) finish(1);
        return;
      }
      restartAttempt += 1;
      const delay = backoffMs(restartAttempt, restartBaseMs, restartMaxMs);
      log.error({ workerPid: worker.process.pid, code, signal, restartInMs: delay }, 'a web worker died: replacing it');
      const timer = setTimeout(() => {
        pendingRestarts.delete(timer);
        if (!stopping) cluster.fork();
      }, delay);
      pendingRestarts.add(timer);
    });

    if (opts.metricsPort !== undefined) {
      const aggregator = new AggregatorRegistry();
      metricsServer = createServer((req, res) => {
        if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
          res
            .writeHead(404, { 'content-type': 'text/plain' })
            .end('this port serves /metrics (every worker, summed)\n');
          return;
        }
        aggregator.clusterMetrics().then(
          (text) => res.writeHead(200, { 'content-type': aggregator.contentType }).end(text),
          (err: unknown) => {
            log.warn({ err }, 'could not collect the workers’ metrics');
            res.writeHead(503, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
          },
        );
      });
      metricsServer.on('error', (err) => log.error({ err }, 'the metrics port could not be served'));
      metricsServer.listen(opts.metricsPort, opts.host);
    }
    cluster.fork();
  });
}

/** In a cluster worker: answer the primary's requests for this process's metrics registry. */
export function shareMetricsWithPrimary(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
  // The listener that answers the primary is added when an AggregatorRegistry is first built.
  new AggregatorRegistry();
}
