import type { AlertConfig } from '../config.js';
import type { Queryable } from '../db/database.js';

/**
 * The operator's alert rules: what each measures in the database, when it fires, and the same
 * condition as a Prometheus expression over the metrics Lookout exports (src/metrics.ts), so an
 * operator who alerts from Prometheus gets the same rules (`lookout alerts prometheus`).
 */

export const ALERT_RULE_IDS = [
  'dead_events',
  'dead_deliveries',
  'integrations_failing',
  'queue_age',
  'webhook_rejections',
] as const;
export type AlertRuleId = (typeof ALERT_RULE_IDS)[number];

/** What the rules read, measured in one round trip at the evaluator's `now`. */
export interface AlertMeasurements {
  deadEvents: number;
  deadDeliveries: number;
  /** The most consecutive failed polls of any active integration. */
  maxPollFailures: number;
  /** Active integrations at or past the poll-failure threshold. */
  failingIntegrations: number;
  /** Seconds the oldest due, unprocessed event has waited since it was received (0: none). */
  queueAgeS: number;
  /** Webhook deliveries refused in the rejection window. */
  rejections: number;
}

export interface AlertRule {
  id: AlertRuleId;
  /** A short name for messages: "Dead events". */
  title: string;
  /** The configured threshold; 0 turns the rule off. */
  threshold(t: AlertConfig['thresholds']): number;
  value(m: AlertMeasurements): number;
  /** One line for the operator, at the measured value. */
  summary(m: AlertMeasurements, t: AlertConfig['thresholds']): string;
  /** The Prometheus alert: its name and expression (fires when the expression has a result). */
  prometheus(t: AlertConfig['thresholds']): { alert: string; expr: string; metrics: string[] };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const ALERT_RULES: readonly AlertRule[] = [
  {
    id: 'dead_events',
    title: 'Dead events',
    threshold: (t) => t.deadEvents,
    value: (m) => m.deadEvents,
    summary: (m) =>
      `${plural(m.deadEvents, 'event')} exhausted ${m.deadEvents === 1 ? 'its' : 'their'} attempts ` +
      '(lookout events dead; lookout events replay --dead)',
    prometheus: (t) => ({
      alert: 'LookoutDeadEvents',
      expr: `max(lookout_dead_events) >= ${t.deadEvents}`,
      metrics: ['lookout_dead_events'],
    }),
  },
  {
    id: 'dead_deliveries',
    title: 'Failed notification deliveries',
    threshold: (t) => t.deadDeliveries,
    value: (m) => m.deadDeliveries,
    summary: (m) =>
      `${plural(m.deadDeliveries, 'notification delivery', 'notification deliveries')} gave up ` +
      '(POST /api/admin/deliveries/replay)',
    prometheus: (t) => ({
      alert: 'LookoutDeadDeliveries',
      expr: `max(lookout_dead_deliveries) >= ${t.deadDeliveries}`,
      metrics: ['lookout_dead_deliveries'],
    }),
  },
  {
    id: 'integrations_failing',
    title: 'Integrations failing to poll',
    threshold: (t) => t.pollFailures,
    value: (m) => m.maxPollFailures,
    summary: (m, t) =>
      `${plural(m.failingIntegrations, 'integration')} failed ${t.pollFailures} or more polls in a row ` +
      `(worst: ${m.maxPollFailures}; lookout status shows the last errors)`,
    prometheus: (t) => ({
      alert: 'LookoutIntegrationsFailing',
      expr: `max(lookout_integration_poll_failures_max) >= ${t.pollFailures}`,
      metrics: ['lookout_integration_poll_failures_max'],
    }),
  },
  {
    id: 'queue_age',
    title: 'Event queue behind',
    threshold: (t) => t.queueAgeS,
    value: (m) => m.queueAgeS,
    summary: (m, t) =>
      `the oldest due event has waited ${Math.round(m.queueAgeS)} s (threshold ${t.queueAgeS} s): ` +
      'workers are down, stuck or too few',
    prometheus: (t) => ({
      alert: 'LookoutQueueBehind',
      expr: `max(lookout_queue_oldest_pending_age_seconds) >= ${t.queueAgeS}`,
      metrics: ['lookout_queue_oldest_pending_age_seconds'],
    }),
  },
  {
    id: 'webhook_rejections',
    title: 'Webhook rejections',
    threshold: (t) => t.rejections,
    value: (m) => m.rejections,
    summary: (m, t) =>
      `${plural(m.rejections, 'webhook delivery', 'webhook deliveries')} refused in the last ` +
      `${t.rejectionsWindowS} s (bad signatures, unknown integrations, overload: see lookout_webhook_rejected_total)`,
    prometheus: (t) => ({
      alert: 'LookoutWebhookRejections',
      expr: `sum(increase(lookout_webhook_rejected_total[${t.rejectionsWindowS}s])) >= ${t.rejections}`,
      metrics: ['lookout_webhook_rejected_total'],
    }),
  },
];

export function ruleById(id: string): AlertRule | undefined {
  return ALERT_RULES.find((r) => r.id === id);
}

/** Every value the rules read, at `now` (the evaluator's clock), in one statement. */
export async function measureAlerts(
  db: Queryable,
  now: Date,
  t: AlertConfig['thresholds'],
): Promise<AlertMeasurements> {
  const { rows } = await db.query<AlertMeasurements>(
    `select
       (select count(*)::int from background_events where status = 'dead') as "deadEvents",
       (select count(*)::int from notification_deliveries where status = 'dead') as "deadDeliveries",
       (select coalesce(max(poll_failures), 0)::int from integrations where status = 'active') as "maxPollFailures",
       (select count(*)::int from integrations where status = 'active' and poll_failures >= greatest($2::int, 1))
         as "failingIntegrations",
       (select coalesce(extract(epoch from $1::timestamptz - min(received_at)), 0)::float8 from background_events
          where status in ('pending', 'processing') and run_at <= $1::timestamptz) as "queueAgeS",
       (select coalesce(sum(rejected), 0)::int from webhook_rejection_counts
          where minute > $1::timestamptz - make_interval(secs => $3::double precision)) as "rejections"`,
    [now, t.pollFailures, t.rejectionsWindowS],
  );
  const m = rows[0]!;
  return { ...m, queueAgeS: Math.max(0, m.queueAgeS) };
}
