/** An event about to be stored in background_events (by a webhook or by a poll). */
export interface NewEvent {
  userId: string;
  integrationId: string | null;
  /** A source kind (sources/index.ts); kept a string here, below the registry that lists them. */
  source: string;
  /** A type one of the source's specs declares (events/registry.ts). */
  eventType: string;
  /** The payload as JSON text, exactly as received: never re-serialised (ids above 2^53). */
  eventDataJson: string;
  eventTimestamp: Date;
  /**
   * Identifies the source event: the same delivery or the same polled change always yields the
   * same key, so storage is idempotent (unique per user, source and key).
   */
  dedupeKey: string;
  /** How it reached us: metrics only. */
  via: 'webhook' | 'poll';
}
