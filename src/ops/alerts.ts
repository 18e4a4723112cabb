import type { AlertConfig } from '../config.js';
import type { Database, Queryable } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import type { AlertNotice, AlertSender, NoticeKind } from './alertNotices.js';
import { ALERT_RULES, type AlertMeasurements, measureAlerts, ruleById } from './alertRules.js';

/**
 * Operator alerts. Every `intervalMs` a worker process measures the rules (alertRules.ts) at its
 * clock's `now`: a rule at or past its threshold opens an alert (one open alert per rule, a unique
 * index), a rule below it resolves the open one. Messages go to the operator's channels:
 * "firing" when an alert opens, "still firing" once per cool-down while it stays open, and
 * "resolved" when it clears (only for an alert the operator was told about). State lives in the
 * database, so several worker processes share it: one evaluates at a time (an advisory lock; the
 * others skip that round) and each message is claimed by one UPDATE before it is sent, so exactly
 * one process sends it. A message that fails on any channel is retried after `retryMs`, with the
 * same ids (webhook-id, Message-ID) so receivers can drop the copies a partial failure causes.
 */

/** pg_try_advisory_xact_lock key of the evaluation ("lookout alerts"). */
const EVALUATION_LOCK = 0x4c4f414c;

export interface OpenAlert {
  id: string;
  rule: string;
  title: string;
  status: 'open' | 'resolved';
  value: number;
  threshold: number;
  summary: string;
  openedAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  noticesSent: number;
  lastNoticeError: string | null;
}

interface AlertRow {
  id: string;
  rule: string;
  status: 'open' | 'resolved';
  value: number;
  threshold: number;
  summary: string;
  opened_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
  notices_sent: number;
  last_notice_at: Date | null;
  last_notice_error: string | null;
}

const toAlert = (r: AlertRow): OpenAlert => ({
  id: r.id,
  rule: r.rule,
  title: ruleById(r.rule)?.title ?? r.rule,
  status: r.status,
  value: r.value,
  threshold: r.threshold,
  summary: r.summary,
  openedAt: r.opened_at,
  lastSeenAt: r.last_seen_at,
  resolvedAt: r.resolved_at,
  noticesSent: r.notices_sent,
  lastNoticeError: r.last_notice_error,
});

/** The open alerts, oldest first (what `lookout status` and `GET /api/admin/status` show). */
export async function listOpenAlerts(db: Queryable): Promise<OpenAlert[]> {
  const { rows } = await db.query<AlertRow>(
    `select * from operator_alerts where status = 'open' order by opened_at, rule limit 100`,
  );
  return rows.map(toAlert);
}

/** Every alert, newest first (tests, and the history an operator may query). */
export async function listAlerts(db: Queryable, limit = 100): Promise<OpenAlert[]> {
  const { rows } = await db.query<AlertRow>('select * from operator_alerts order by opened_at desc, id desc limit $1', [
    limit,
  ]);
  return rows.map(toAlert);
}

export interface EvaluationResult {
  /** False when another process held the evaluation lock (this round was theirs). */
  evaluated: boolean;
  measurements?: AlertMeasurements;
  opened: string[];
  resolved: string[];
  /** Notices sent (and failed) by this process in this round. */
  sent: Array<{ alertId: string; rule: string; kind: NoticeKind }>;
  failed: Array<{ alertId: string; rule: string; kind: NoticeKind; error: string }>;
}

export interface AlertEvaluatorOptions {
  db: Database;
  config: AlertConfig;
  sender: AlertSender;
  log: Logger;
  /** Where the operator reads status, named in messages. */
  statusUrl: string;
  clock?: () => Date;
  /** A message that failed is tried again after this (default 60 s). */
  retryMs?: number;
}

export class AlertEvaluator {
  #timer?: NodeJS.Timeout;
  #running?: Promise<unknown>;
  #stopped = true;

  constructor(private readonly o: AlertEvaluatorOptions) {}

  #now(): Date {
    return this.o.clock?.() ?? new Date();
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.evaluateOnce()
        .catch((err: unknown) => this.o.log.warn({ err }, 'operator alert evaluation failed'))
        .finally(() => {
          this.#running = undefined;
          this.#schedule();
        });
    }, this.o.config.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
    this.o.sender.close();
  }

  /** One round: measure, open and resolve alerts, then send the messages that are due. */
  async evaluateOnce(): Promise<EvaluationResult> {
    const now = this.#now();
    const result: EvaluationResult = { evaluated: false, opened: [], resolved: [], sent: [], failed: [] };
    const t = this.o.config.thresholds;
    await this.o.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ locked: boolean }>('select pg_try_advisory_xact_lock($1) as locked', [
        EVALUATION_LOCK,
      ]);
      if (!rows[0]?.locked) return;
      result.evaluated = true;
      const m = await measureAlerts(tx, now, t);
      result.measurements = m;
      for (const rule of ALERT_RULES) {
        const threshold = rule.threshold(t);
        const value = rule.value(m);
        if (threshold > 0 && value >= threshold) {
          const { rows: opened } = await tx.query<{ id: string; inserted: boolean }>(
            `insert into operator_alerts (rule, value, threshold, summary, opened_at, last_seen_at, notice_due_at)
             values ($1, $2, $3, $4, $5, $5, $5)
             on conflict (rule) where status = 'open'
             do update set value = excluded.value, threshold = excluded.threshold, summary = excluded.summary,
               last_seen_at = excluded.last_seen_at
             returning id, (xmax = 0) as inserted`,
            [rule.id, value, threshold, rule.summary(m, t), now],
          );
          if (opened[0]?.inserted) result.opened.push(rule.id);
        } else {
          // Cleared (or the rule was turned off): resolved, with a message only if one went out.
          const { rowCount } = await tx.query(
            `update operator_alerts set status = 'resolved', resolved_at = $2, value = $3,
               notice_due_at = case when last_notice_at is not null then $2::timestamptz end
             where rule = $1 and status = 'open'`,
            [rule.id, now, value],
          );
          if (rowCount > 0) result.resolved.push(rule.id);
        }
      }
      await tx.query(`delete from webhook_rejection_counts where minute < $1::timestamptz - interval '1 day'`, [now]);
    });
    if (this.o.sender.channelNames.length > 0) await this.#sendDue(now, result);
    return result;
  }

  /** Claims each due message with one UPDATE (so one process sends it), then sends it. */
  async #sendDue(now: Date, result: EvaluationResult): Promise<void> {
    const retryMs = this.o.retryMs ?? 60_000;
    for (let i = 0; i < 50; i++) {
      const { rows } = await this.o.db.query<AlertRow>(
        `update operator_alerts a
         set notice_due_at = case when a.status = 'open'
                              then $1::timestamptz + make_interval(secs => $2::double precision / 1000) end,
             last_notice_at = $1
         where a.id = (select id from operator_alerts where notice_due_at <= $1 order by notice_due_at, id
                       limit 1 for update skip locked)
         returning a.*`,
        [now, this.o.config.cooldownMs],
      );
      const row = rows[0];
      if (!row) return;
      const kind: NoticeKind = row.status === 'resolved' ? 'resolved' : row.notices_sent > 0 ? 'reminder' : 'firing';
      const notice: AlertNotice = {
        alertId: row.id,
        seq: row.notices_sent + 1,
        kind,
        rule: row.rule,
        title: ruleById(row.rule)?.title ?? row.rule,
        summary: row.summary,
        value: row.value,
        threshold: row.threshold,
        openedAt: row.opened_at,
        resolvedAt: row.resolved_at,
        statusUrl: this.o.statusUrl,
      };
      try {
        await this.o.sender.send(notice);
        await this.o.db.query(
          'update operator_alerts set notices_sent = notices_sent + 1, last_notice_error = null where id = $1',
          [row.id],
        );
        result.sent.push({ alertId: row.id, rule: row.rule, kind });
      } catch (err) {
        const error = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
        // Tried again later, unless the alert changed state meanwhile (its new message is due then).
        await this.o.db.query(
          `update operator_alerts
             set notice_due_at = $3::timestamptz + make_interval(secs => $4::double precision / 1000),
             last_notice_error = $5
           where id = $1 and status = $2`,
          [row.id, row.status, now, retryMs, error],
        );
        result.failed.push({ alertId: row.id, rule: row.rule, kind, error });
        this.o.log.warn({ rule: row.rule, kind, error }, 'operator alert message failed');
      }
    }
  }
}
