import type { EventType, Source } from '../events.js';

/** An event a worker holds under lease, as processing reads it. */
export interface ClaimedEvent {
  id: string;
  userId: string;
  integrationId: string | null;
  eventType: EventType;
  source: Source;
  /** Raw payload text (ids above 2^53 intact). */
  eventDataJson: string;
  eventTimestamp: Date;
  receivedAt: Date;
  attempts: number;
  subject: string | null;
}

export interface ClaimedRow {
  id: string;
  user_id: string;
  integration_id: string | null;
  event_type: EventType;
  source: Source;
  event_data: string;
  event_timestamp: Date;
  received_at: Date;
  attempts: number;
  subject: string | null;
}

export const CLAIMED_COLUMNS = `e.id, e.user_id, e.integration_id, e.event_type, e.source, e.event_data::text as event_data,
  e.event_timestamp, e.received_at, e.attempts, e.subject`;

export function toClaimed(r: ClaimedRow): ClaimedEvent {
  return {
    id: r.id,
    userId: r.user_id,
    integrationId: r.integration_id,
    eventType: r.event_type,
    source: r.source,
    eventDataJson: r.event_data,
    eventTimestamp: r.event_timestamp,
    receivedAt: r.received_at,
    attempts: r.attempts,
    subject: r.subject,
  };
}
