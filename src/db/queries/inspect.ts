import type { Queryable } from '../database.js';

/**
 * The event inspector: one event with everything that happened to it: its payload, processing
 * state and errors, the suggestion it produced or joined (a debounce or batch covered it), the
 * agent runs that wrote that suggestion, and the suggestion's notification deliveries.
 */

export interface EventInspection {
  event: {
    id: string;
    userId: string;
    integrationId: string | null;
    eventType: string;
    source: string;
    status: 'pending' | 'processing' | 'processed' | 'dead';
    /** A worker holds it right now (its lease has not ended). */
    leased: boolean;
    attempts: number;
    outcome: string | null;
    lastError: string | null;
    payloadIssues: string[] | null;
    userActioned: boolean;
    eventTimestamp: Date;
    receivedAt: Date;
    runAt: Date;
    processedAt: Date | null;
  };
  /** The payload as stored: the exact text received when jsonb could not hold it. */
  payloadText: string;
  suggestion: {
    id: string;
    /** produced: made for this event; joined: made for another event whose debounce or batch covered this one. */
    relation: 'produced' | 'joined';
    eventId: string;
    eventType: string;
    title: string;
    body: string;
    status: string;
    agentRunId: string | null;
    coveredEvents: number;
    createdAt: Date;
    actionedAt: Date | null;
  } | null;
  /** Agent runs for the suggestion's event, newest first (a regeneration adds one). */
  agentRuns: Array<{
    id: string;
    generator: string;
    model: string | null;
    status: string;
    error: string | null;
    latencyMs: number;
    tokensIn: number | null;
    tokensOut: number | null;
    current: boolean;
    createdAt: Date;
  }>;
  deliveries: Array<{
    id: string;
    channel: string;
    status: string;
    leased: boolean;
    attempts: number;
    lastError: string | null;
    nextAttemptAt: Date;
    deliveredAt: Date | null;
    createdAt: Date;
    updatedAt: Date;
  }>;
}

/** One event's inspection; `userId` null reads any user's (the operator). */
export async function inspectEvent(
  db: Queryable,
  id: string,
  userId: string | null,
  now: Date = new Date(),
): Promise<EventInspection | undefined> {
  const { rows } = await db.query<EventInspection['event'] & { payloadText: string; suggestionId: string | null }>(
    `select e.id, e.user_id as "userId", e.integration_id as "integrationId", e.event_type as "eventType", e.source,
       e.status, (e.status = 'processing' and e.locked_until > $3) as leased, e.attempts, e.outcome,
       e.last_error as "lastError", e.payload_issues as "payloadIssues", e.user_actioned as "userActioned",
       e.event_timestamp as "eventTimestamp", e.received_at as "receivedAt", e.run_at as "runAt",
       e.processed_at as "processedAt", coalesce(e.event_data_raw, e.event_data::text) as "payloadText",
       coalesce(e.suggestion_id, (select s.id from suggestions s where s.event_id = e.id)) as "suggestionId"
     from background_events e where e.id = $1 and ($2::uuid is null or e.user_id = $2)`,
    [id, userId, now],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { payloadText, suggestionId, ...event } = row;
  let suggestion: EventInspection['suggestion'] = null;
  let agentRuns: EventInspection['agentRuns'] = [];
  let deliveries: EventInspection['deliveries'] = [];
  if (suggestionId) {
    const s = await db.query<Omit<NonNullable<EventInspection['suggestion']>, 'relation'>>(
      `select s.id, s.event_id as "eventId", s.event_type as "eventType", s.title, s.body, s.status,
         s.agent_run_id as "agentRunId", s.created_at as "createdAt", s.actioned_at as "actionedAt",
         (select count(*)::int from background_events c where c.suggestion_id = s.id) as "coveredEvents"
       from suggestions s where s.id = $1 and s.user_id = $2`,
      [suggestionId, event.userId],
    );
    const found = s.rows[0];
    if (found) {
      suggestion = { ...found, relation: found.eventId === event.id ? 'produced' : 'joined' };
      agentRuns = (
        await db.query<EventInspection['agentRuns'][number]>(
          `select r.id, r.generator, r.model, r.status, r.error, r.latency_ms as "latencyMs", r.tokens_in as "tokensIn",
             r.tokens_out as "tokensOut", (r.id is not distinct from $3::uuid) as current, r.created_at as "createdAt"
           from agent_runs r where r.event_id = $1 and r.user_id = $2 order by r.created_at desc, r.id limit 50`,
          [found.eventId, event.userId, found.agentRunId],
        )
      ).rows;
      deliveries = (
        await db.query<EventInspection['deliveries'][number]>(
          `select d.id, d.channel, d.status, (d.locked_until is not null and d.locked_until > $2) as leased, d.attempts,
             d.last_error as "lastError", d.next_attempt_at as "nextAttemptAt", d.delivered_at as "deliveredAt",
             d.created_at as "createdAt", d.updated_at as "updatedAt"
           from notification_deliveries d where d.suggestion_id = $1 order by d.channel`,
          [found.id, now],
        )
      ).rows;
    }
  }
  return { event, payloadText, suggestion, agentRuns, deliveries };
}
