import type { Queryable } from './database.js';

/**
 * A durable queue in a table, shared by the event inbox (background_events) and the outbound
 * notifications (notification_deliveries): any number of workers in any number of processes claim
 * due rows with FOR UPDATE SKIP LOCKED under a lease, so a claim is exclusive and a crashed
 * worker's rows come due again when its lease ends; a failure is retried with backoff, then
 * `dead` after the last attempt; replay puts dead rows back. Every time is a parameter (the
 * workers' clock), so tests can move time instead of waiting for it.
 */
export interface QueueTable {
  table: 'background_events' | 'notification_deliveries';
  /** When the row is next due: set to the lease's end when claimed, to the retry time when it fails. */
  dueColumn: 'run_at' | 'next_attempt_at';
  /** Statuses a due row can be claimed in (a claimed status is claimable again once its lease ended). */
  claimable: readonly string[];
  /** The status a claimed row takes, or null to leave it. */
  claimedStatus: string | null;
  /** The status of a row that failed and will be retried. */
  retryStatus: string;
  /** Counts an attempt when a row is claimed (a crash mid-work is an attempt) or when a try ends. */
  countsAttemptOnClaim: boolean;
  /** Replay resets these statuses (besides `dead`). */
  replayable: readonly string[];
}

const ms = (param: string) => `make_interval(secs => ${param}::double precision / 1000)`;

export class LeasedQueue {
  constructor(readonly t: QueueTable) {}

  /**
   * Claims up to `limit` rows due at `now`, leased to `workerId` for `leaseMs`; `returning` is
   * the column list of the updated rows (alias `q`). With `select`, the claimed rows are a CTE
   * named `claimed` that the select reads (to join what the worker needs in the same statement).
   */
  async claim<R>(
    db: Queryable,
    c: { limit: number; workerId: string; leaseMs: number; now: Date; returning: string; select?: string },
  ): Promise<R[]> {
    const { table, dueColumn, claimable, claimedStatus, countsAttemptOnClaim } = this.t;
    const update = `update ${table} q
       set locked_by = $4, locked_until = $2::timestamptz + ${ms('$5')}, ${dueColumn} = $2::timestamptz + ${ms('$5')}
         ${claimedStatus ? `, status = '${claimedStatus}'` : ''}
         ${countsAttemptOnClaim ? ', attempts = q.attempts + 1' : ''}
       from due where q.id = due.id
       returning ${c.returning}`;
    const { rows } = await db.query<R>(
      `with due as (
         select id from ${table}
         where status = any($1::text[]) and ${dueColumn} <= $2
         order by ${dueColumn}
         limit $3
         for update skip locked
       )
       ${c.select ? `, claimed as (${update}) ${c.select}` : update}`,
      [claimable, c.now, c.limit, c.workerId, c.leaseMs],
    );
    return rows;
  }

  /**
   * A try failed: retried after `retryInMs`, or `dead` when it was the last attempt (or the
   * failure is permanent). Only the worker holding the lease can record it. Returns what happened.
   */
  async fail(
    db: Queryable,
    f: {
      id: string;
      workerId: string;
      /** Attempts so far, this one included. */
      attempts: number;
      maxAttempts: number;
      permanent?: boolean;
      error: string;
      retryInMs: number;
      now: Date;
      /** Extra `column = value` assignments (a delivery's updated_at, say); `$5` is `now`. */
      set?: string;
    },
  ): Promise<'retry' | 'dead'> {
    const { table, dueColumn, retryStatus, countsAttemptOnClaim } = this.t;
    const dead = f.permanent === true || f.attempts >= f.maxAttempts;
    await db.query(
      `update ${table}
       set status = $3, last_error = $4, locked_by = null, locked_until = null,
           ${dueColumn} = case when $3 = 'dead' then $5::timestamptz else $5::timestamptz + ${ms('$6')} end
           ${countsAttemptOnClaim ? '' : ', attempts = $7'}
           ${f.set ? `, ${f.set}` : ''}
       where id = $1 and locked_by = $2`,
      [
        f.id,
        f.workerId,
        dead ? 'dead' : retryStatus,
        f.error.slice(0, 2000),
        f.now,
        f.retryInMs,
        ...(countsAttemptOnClaim ? [] : [f.attempts]),
      ],
    );
    return dead ? 'dead' : 'retry';
  }

  /** Hands a claimed row back, due at `at`, without counting an attempt (quiet hours, a wait). */
  async release(db: Queryable, r: { id: string; workerId: string; at: Date }): Promise<void> {
    const { table, dueColumn } = this.t;
    await db.query(
      `update ${table} set ${dueColumn} = $3, locked_by = null, locked_until = null where id = $1 and locked_by = $2`,
      [r.id, r.workerId, r.at],
    );
  }

  /** Finishes a claimed row with `status` (and extra assignments); only while the lease is held. */
  async complete(
    db: Queryable,
    d: { id: string; workerId: string; status: string; set?: string; params?: unknown[] },
  ): Promise<boolean> {
    const { table } = this.t;
    const res = await db.query(
      `update ${table} set status = $3, last_error = null, locked_until = null ${d.set ? `, ${d.set}` : ''}
       where id = $1 and locked_by = $2`,
      [d.id, d.workerId, d.status, ...(d.params ?? [])],
    );
    return res.rowCount > 0;
  }

  /** Puts dead (and replayable) rows back in the queue: all of them, or these ids; `$3` in `set` is `now`. */
  async replay(db: Queryable, ids: readonly string[] | null, now: Date, set?: string): Promise<string[]> {
    const { table, dueColumn, replayable } = this.t;
    const { rows } = await db.query<{ id: string }>(
      `update ${table} set status = 'pending', attempts = 0, ${dueColumn} = $3, last_error = null,
         locked_by = null, locked_until = null ${set ? `, ${set}` : ''}
       where status = any($1::text[]) and ($2::uuid[] is null or id = any($2::uuid[]))
       returning id`,
      [['dead', ...replayable], ids, now],
    );
    return rows.map((r) => r.id);
  }
}

/** The event inbox: a claimed event is `processing`; its attempts count at the claim. */
export const EVENT_QUEUE = new LeasedQueue({
  table: 'background_events',
  dueColumn: 'run_at',
  claimable: ['pending', 'processing'],
  claimedStatus: 'processing',
  retryStatus: 'pending',
  countsAttemptOnClaim: true,
  replayable: [],
});

/** Outbound notifications: a claimed delivery keeps its status; its attempts count when a try ends. */
export const DELIVERY_QUEUE = new LeasedQueue({
  table: 'notification_deliveries',
  dueColumn: 'next_attempt_at',
  claimable: ['pending', 'failed'],
  claimedStatus: null,
  retryStatus: 'failed',
  countsAttemptOnClaim: false,
  replayable: ['failed'],
});
