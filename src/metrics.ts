import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus metric of the process, in one registry per app instance (tests build several
 * apps in one process). Names follow Prometheus conventions: unit suffixes, _total for counters.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'lookout_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'lookout_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly eventsReceived = new Counter({
    name: 'lookout_events_received_total',
    help: 'Events stored, by source, type and channel (webhook or poll)',
    labelNames: ['source', 'type', 'via'] as const,
    registers: [this.registry],
  });
  readonly eventsDuplicate = new Counter({
    name: 'lookout_events_duplicate_total',
    help: 'Deliveries or polled changes already stored (idempotent skip)',
    labelNames: ['source', 'via'] as const,
    registers: [this.registry],
  });
  readonly eventsFlagged = new Counter({
    name: 'lookout_events_flagged_total',
    help: 'Events stored with a sanitised jsonb copy beside their raw text, by source and issue',
    labelNames: ['source', 'issue'] as const,
    registers: [this.registry],
  });
  readonly deliveriesRejected = new Counter({
    name: 'lookout_webhook_rejected_total',
    help: 'Webhook deliveries refused, by source and reason',
    labelNames: ['source', 'reason'] as const,
    registers: [this.registry],
  });
  readonly unknownShopDeliveries = new Counter({
    name: 'lookout_webhook_unknown_shop_total',
    help: 'Shopify deliveries for shops no user has connected (acknowledged, not stored)',
    registers: [this.registry],
  });
  readonly storeBatchSize = new Histogram({
    name: 'lookout_store_batch_size',
    help: 'Events committed per group-commit transaction',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [this.registry],
  });
  readonly eventsProcessed = new Counter({
    name: 'lookout_events_processed_total',
    help: 'Events finished by the worker, by type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly eventsFailed = new Counter({
    name: 'lookout_event_failures_total',
    help: 'Processing attempts that failed (retried or dead)',
    labelNames: ['type', 'final'] as const,
    registers: [this.registry],
  });
  readonly processingLatency = new Histogram({
    name: 'lookout_event_processing_latency_seconds',
    help: 'From receipt to processed',
    labelNames: ['source'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  readonly suggestionsGenerated = new Counter({
    name: 'lookout_suggestions_generated_total',
    help: 'Suggestions created, by event type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly suggestionsActioned = new Counter({
    name: 'lookout_suggestions_actioned_total',
    help: 'Suggestions accepted or dismissed, by event type',
    labelNames: ['type', 'action'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'lookout_queue_depth',
    help: 'Events waiting to be processed (pending or leased)',
    registers: [this.registry],
  });
  readonly oldestPendingAge = new Gauge({
    name: 'lookout_queue_oldest_pending_age_seconds',
    help: 'Age of the oldest unprocessed event',
    registers: [this.registry],
  });
  readonly deadEvents = new Gauge({
    name: 'lookout_dead_events',
    help: 'Events that exhausted their attempts',
    registers: [this.registry],
  });
  readonly deadDeliveries = new Gauge({
    name: 'lookout_dead_deliveries',
    help: 'Notification deliveries that exhausted their attempts',
    registers: [this.registry],
  });
  readonly pollFailuresMax = new Gauge({
    name: 'lookout_integration_poll_failures_max',
    help: 'The most consecutive failed polls of any active integration',
    registers: [this.registry],
  });
  readonly polls = new Counter({
    name: 'lookout_polls_total',
    help: 'Integration polls, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly pollLateness = new Histogram({
    name: 'lookout_poll_lateness_seconds',
    help: 'How late a poll started after it was due',
    labelNames: ['kind'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly notifications = new Counter({
    name: 'lookout_notifications_total',
    help: 'Notification deliveries, by channel and outcome',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly llmTokens = new Counter({
    name: 'lookout_llm_tokens_total',
    help: 'LLM tokens, by direction',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly llmLatency = new Histogram({
    name: 'lookout_llm_latency_seconds',
    help: 'LLM generation latency, by status',
    labelNames: ['status'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly processErrors = new Counter({
    name: 'lookout_process_errors_total',
    help: 'Errors that reached the process level and were survived (see src/lib/processGuards.ts), by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor(opts: { processMetrics?: boolean } = {}) {
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'lookout_' });
  }
}
