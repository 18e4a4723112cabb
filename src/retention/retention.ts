import type { Database } from '../db/database.js';
import type { Logger } from '../lib/logger.js';

const DAY_MS = 86_400_000;

/** How long a pruned event's dedupe key is kept after the event was received (redelivery horizon). */
export const TOMBSTONE_MS = 7 * DAY_MS;

export interface RetentionOptions {
  /** Processed events, agent runs, delivered notifications, live messages: removed after this. */
  retentionDays: number;
  /** Accepted suggestions (and the events and agent run behind them): removed this long after acceptance. */
  acceptedDays: number;
  /** Rows per statement: each batch is one short transaction, so ingest and workers never wait long. */
  batchSize?: number;
  /** Most batches per table per run: a backlog is worked off over several runs. */
  maxBatchesPerTable?: number;
  /** How often the job runs (0: only when runOnce is called). Default 10 minutes. */
  intervalMs?: number;
  /** Pause between two batches, so other work gets the database in between. */
  pauseMs?: number;
  now?: () => Date;
  log?: Logger;
}

/** Rows removed by one run, per table. */
export interface RetentionReport {
  events: number;
  tombstonesWritten: number;
  suggestions: number;
  agentRuns: number;
  deliveries: number;
  streamMessages: number;
  tombstonesPruned: number;
  /** Statements (each its own transaction) the run took. */
  batches: number;
}

/**
 * Removes what is older than the retention period, in small batches (one short statement each,
 * rows chosen with FOR UPDATE SKIP LOCKED so a row a worker holds is skipped, never waited for):
 *
 * - processed events received before the cutoff, except those covered by an accepted suggestion
 *   still kept; their dedupe keys go to dedupe_tombstones while a redelivery could still come
 *   (TOMBSTONE_MS after receipt), so retention never lets a late retry in twice;
 * - suggestions created before the cutoff that were not accepted and whose notifications were all
 *   delivered (a pending, failing or dead delivery keeps its suggestion), with their deliveries;
 *   accepted ones `acceptedDays` after acceptance;
 * - agent runs created before the cutoff that no kept suggestion points to;
 * - delivered notifications and live-feed messages created before the cutoff;
 * - expired tombstones.
 *
 * Dead events are never removed: they wait for the operator's replay, after which they are
 * processed events like any other.
 */
export class RetentionJob {
  readonly #db: Database;
  readonly #retentionMs: number;
  readonly #acceptedMs: number;
  readonly #batchSize: number;
  readonly #maxBatches: number;
  readonly #intervalMs: number;
  readonly #pauseMs: number;
  readonly #now: () => Date;
  readonly #log: Logger | undefined;
  #timer?: NodeJS.Timeout;
  #running?: Promise<RetentionReport>;
  #stopping = false;

  constructor(db: Database, opts: RetentionOptions) {
    this.#db = db;
    this.#retentionMs = opts.retentionDays * DAY_MS;
    this.#acceptedMs = Math.max(opts.acceptedDays, opts.retentionDays) * DAY_MS;
    this.#batchSize = opts.batchSize ?? 500;
    this.#maxBatches = opts.maxBatchesPerTable ?? 200;
    this.#intervalMs = opts.intervalMs ?? 600_000;
    this.#pauseMs = opts.pauseMs ?? 5;
    this.#now = opts.now ?? (() => new Date());
    this.#log = opts.log;
  }

  async start(): Promise<void> {
    this.#stopping = false;
    if (this.#intervalMs <= 0) return;
    const tick = () => {
      this.#timer = setTimeout(async () => {
        await this.runOnce().catch((err: unknown) => this.#log?.warn({ err }, 'retention run failed'));
        if (!this.#stopping) tick();
      }, this.#intervalMs);
      this.#timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
  }

  /** One pass over every table (at most maxBatchesPerTable batches each). Runs are never concurrent. */
  runOnce(): Promise<RetentionReport> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(): Promise<RetentionReport> {
    const now = this.#now();
    const cutoff = new Date(now.getTime() - this.#retentionMs);
    const acceptedCutoff = new Date(now.getTime() - this.#acceptedMs);
    const report: RetentionReport = {
      events: 0,
      tombstonesWritten: 0,
      suggestions: 0,
      agentRuns: 0,
      deliveries: 0,
      streamMessages: 0,
      tombstonesPruned: 0,
      batches: 0,
    };
    const n = this.#batchSize;

    await this.#batches(report, async () => {
      const { rows } = await this.#db.query<{ removed: number; tombstones: number }>(
        `with doomed as (
           select e.id from background_events e
           where e.status = 'processed' and e.received_at < $1
             and not exists (select 1 from suggestions s
                             where s.id = e.suggestion_id and s.status = 'accepted' and s.actioned_at >= $2)
           order by e.received_at limit $3
           for update of e skip locked
         ), gone as (
           delete from background_events e using doomed where e.id = doomed.id
           returning e.user_id, e.source, e.dedupe_key, e.received_at
         ), kept as (
           insert into dedupe_tombstones (user_id, source, dedupe_key, expires_at)
           select user_id, source, dedupe_key, received_at + $5::interval from gone
             where received_at + $5::interval > $4
           on conflict (user_id, source, dedupe_key) do update set expires_at = greatest(dedupe_tombstones.expires_at,
             excluded.expires_at)
           returning 1
         )
         select (select count(*) from gone)::int as removed, (select count(*) from kept)::int as tombstones`,
        [cutoff, acceptedCutoff, n, now, `${TOMBSTONE_MS} milliseconds`],
      );
      report.events += rows[0]!.removed;
      report.tombstonesWritten += rows[0]!.tombstones;
      return rows[0]!.removed;
    });

    await this.#batches(report, async () => {
      const removed = await this.#deleteChosen(
        'suggestions',
        `select s.id from suggestions s
         where s.created_at < $1
           and (s.status <> 'accepted' or s.actioned_at < $2)
           and not exists (select 1 from notification_deliveries d where d.suggestion_id = s.id
             and d.status <> 'delivered')
         order by s.created_at limit $3
         for update of s skip locked`,
        [cutoff, acceptedCutoff, n],
      );
      report.suggestions += removed;
      return removed;
    });

    await this.#batches(report, async () => {
      const removed = await this.#deleteChosen(
        'agent_runs',
        `select r.id from agent_runs r
         where r.created_at < $1 and not exists (select 1 from suggestions s where s.agent_run_id = r.id)
         order by r.created_at limit $2
         for update of r skip locked`,
        [cutoff, n],
      );
      report.agentRuns += removed;
      return removed;
    });

    await this.#batches(report, async () => {
      const removed = await this.#deleteChosen(
        'notification_deliveries',
        `select d.id from notification_deliveries d
         where d.status = 'delivered' and d.delivered_at < $1
         order by d.delivered_at limit $2
         for update of d skip locked`,
        [cutoff, n],
      );
      report.deliveries += removed;
      return removed;
    });

    await this.#batches(report, async () => {
      const removed = await this.#deleteChosen(
        'stream_messages',
        `select m.id from stream_messages m where m.created_at < $1 order by m.created_at limit $2
         for update of m skip locked`,
        [cutoff, n],
      );
      report.streamMessages += removed;
      return removed;
    });

    await this.#batches(report, async () => {
      const { rows } = await this.#db.query<{ removed: number }>(
        `with doomed as (
           select t.user_id, t.source, t.dedupe_key from dedupe_tombstones t where t.expires_at < $1
           order by t.expires_at limit $2 for update of t skip locked
         ), gone as (
           delete from dedupe_tombstones t using doomed
           where t.user_id = doomed.user_id and t.source = doomed.source and t.dedupe_key = doomed.dedupe_key
           returning 1
         )
         select count(*)::int as removed from gone`,
        [now, n],
      );
      report.tombstonesPruned += rows[0]!.removed;
      return rows[0]!.removed;
    });

    const total = report.events + report.suggestions + report.agentRuns + report.deliveries + report.streamMessages;
    if (total > 0) this.#log?.info({ ...report, cutoff }, 'retention removed old rows');
    return report;
  }

  /** Deletes the rows (by id) that `choose` selects and locks; returns how many. */
  async #deleteChosen(table: string, choose: string, params: unknown[]): Promise<number> {
    const { rows } = await this.#db.query<{ removed: number }>(
      `with doomed as (${choose}), gone as (delete from ${table} t using doomed where t.id = doomed.id returning 1)
       select count(*)::int as removed from gone`,
      params,
    );
    return rows[0]!.removed;
  }

  /** Runs `batch` until it removes fewer than a full batch, the cap is reached, or the job stops. */
  async #batches(report: RetentionReport, batch: () => Promise<number>): Promise<void> {
    for (let i = 0; i < this.#maxBatches; i++) {
      const removed = await batch();
      report.batches++;
      if (removed < this.#batchSize) return;
      if (this.#stopping) return;
      await new Promise((r) => setTimeout(r, this.#pauseMs));
    }
  }
}
